package fr.gardien.gateway.backtest;

import fr.gardien.rules.RuleSignal;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the backtest prints: one line per signal as the engine emits it, then a table per rule.
 * As text for people, or as JSON lines ({@code --json}) for scripts: one object per signal
 * ({@code "type":"signal"}) and one per rule of the table ({@code "type":"rule"}).
 */
abstract class BacktestOutput {

    /** The summary language. */
    enum Language { FR, EN }

    static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    protected final PrintWriter out;
    protected final Language language;
    protected final Function<String, ZoneId> zoneOfSite;

    private BacktestOutput(PrintWriter out, Language language, Function<String, ZoneId> zoneOfSite) {
        this.out = out;
        this.language = language;
        this.zoneOfSite = zoneOfSite;
    }

    static BacktestOutput text(PrintWriter out, Language language, Function<String, ZoneId> zoneOfSite) {
        return new Text(out, language, zoneOfSite);
    }

    static BacktestOutput json(PrintWriter out, Language language, Function<String, ZoneId> zoneOfSite) {
        return new Json(out, language, zoneOfSite);
    }

    /** Before the first signal: what is replayed. */
    abstract void header(String description);

    abstract void signal(RuleSignal signal);

    /** After the replay: the table per rule and a last line of totals. */
    abstract void summary(List<RuleTally.Row> rows, String totals);

    protected String summaryText(RuleSignal s) {
        return language == Language.FR ? s.explanation().summaryFr() : s.explanation().summaryEn();
    }

    protected String localTime(RuleSignal s) {
        ZoneId zone = zoneOfSite.apply(s.site());
        return LOCAL.format(s.at().atZone(zone == null ? ZoneOffset.UTC : zone).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    protected static String code(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code 0 min}, {@code 45 min}, {@code 2 h 30 min}, {@code 3 d 2 h 5 min} ({@code j} in French). */
    static String duration(Duration d, Language language) {
        long minutes = d.toMinutes();
        long days = minutes / (24 * 60);
        long hours = minutes % (24 * 60) / 60;
        long mins = minutes % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append(language == Language.FR ? " j" : " d");
        }
        if (hours > 0) {
            text.append(text.isEmpty() ? "" : " ").append(hours).append(" h");
        }
        if (mins > 0 || text.isEmpty()) {
            text.append(text.isEmpty() ? "" : " ").append(mins).append(" min");
        }
        return text.toString();
    }

    private static final class Text extends BacktestOutput {

        Text(PrintWriter out, Language language, Function<String, ZoneId> zoneOfSite) {
            super(out, language, zoneOfSite);
        }

        @Override
        void header(String description) {
            out.println(description);
            out.println();
            out.flush();
        }

        @Override
        void signal(RuleSignal s) {
            out.printf("%s  %s  %s  %s  %s  %-7s  %s%n", localTime(s), s.site(), s.equipment(), s.ruleId(),
                    code(s.severity()), s.kind(), summaryText(s));
            out.flush();
        }

        @Override
        void summary(List<RuleTally.Row> rows, String totals) {
            out.println();
            if (rows.isEmpty()) {
                out.println("No alert would have fired.");
            } else {
                int width = Math.max(4, rows.stream().mapToInt(r -> r.rule().length()).max().orElse(0));
                out.printf("%-" + width + "s  %6s  %6s  %s%n", "rule", "raises", "clears", "time active");
                for (RuleTally.Row r : rows) {
                    out.printf("%-" + width + "s  %6d  %6d  %s%s%n", r.rule(), r.raises(), r.clears(),
                            duration(r.active(), language),
                            r.activeAtEnd() == 0 ? "" : " (" + r.activeAtEnd() + " still active at the end)");
                }
            }
            out.println();
            out.println(totals);
            out.flush();
        }
    }

    private static final class Json extends BacktestOutput {

        Json(PrintWriter out, Language language, Function<String, ZoneId> zoneOfSite) {
            super(out, language, zoneOfSite);
        }

        @Override
        void header(String description) {
            // JSON lines carry only signals and rule rows; the description goes to the error stream.
        }

        @Override
        void signal(RuleSignal s) {
            JsonObject figures = new JsonObject();
            s.explanation().figures().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> figures.put(e.getKey(), finite(e.getValue())));
            out.println(new JsonObject()
                    .put("type", "signal")
                    .put("at", s.at().toString())
                    .put("localTime", localTime(s))
                    .put("site", s.site())
                    .put("equipment", s.equipment())
                    .put("rule", s.ruleId())
                    .put("severity", code(s.severity()))
                    .put("category", s.category())
                    .put("urgency", code(s.urgency()))
                    .put("kind", s.kind().name())
                    .put("summary", summaryText(s))
                    .put("explanation", new JsonObject()
                            .put("from", text(s.explanation().from()))
                            .put("to", text(s.explanation().to()))
                            .put("figures", figures))
                    .encode());
            out.flush();
        }

        @Override
        void summary(List<RuleTally.Row> rows, String totals) {
            for (RuleTally.Row r : rows) {
                out.println(new JsonObject()
                        .put("type", "rule")
                        .put("rule", r.rule())
                        .put("raises", r.raises())
                        .put("clears", r.clears())
                        .put("activeSeconds", r.active().toSeconds())
                        .put("activeAtEnd", r.activeAtEnd())
                        .encode());
            }
            out.flush();
        }

        private static String text(Instant t) {
            return t == null ? null : t.toString();
        }

        /** JSON has no NaN or infinity. */
        private static Double finite(Double v) {
            return v == null || v.isNaN() || v.isInfinite() ? null : v;
        }
    }
}
