package fr.gardien.gateway.alerts;

import java.util.Locale;

/** The language of alert summaries for a caller: French or English, French by default. */
enum Language {
    FR, EN;

    /**
     * The caller's preferred language among French and English from an {@code Accept-Language}
     * header (RFC 9110 §12.5.4): the highest weight wins, the first listed on a tie; French when
     * the header is absent or names neither.
     */
    static Language fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return FR;
        }
        Language best = FR;
        double bestWeight = -1;
        for (String part : header.split(",")) {
            String[] fields = part.trim().split(";");
            String tag = fields[0].trim().toLowerCase(Locale.ROOT);
            double weight = 1;
            for (int i = 1; i < fields.length; i++) {
                String p = fields[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        weight = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        weight = 0;
                    }
                }
            }
            Language language = tag.equals("en") || tag.startsWith("en-") ? EN
                    : tag.equals("fr") || tag.startsWith("fr-") ? FR : null;
            if (language != null && weight > 0 && weight > bestWeight) {
                best = language;
                bestWeight = weight;
            }
        }
        return best;
    }
}
