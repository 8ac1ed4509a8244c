package fr.gardien.rules.yaml;

import java.time.Duration;

/**
 * A configuration record refused a value. It names the setting as the configuration file writes
 * it ({@code writer.queue-capacity}), so that a record built in code reports it plainly and the
 * configuration reader can add the file and line (or the environment variable) it came from.
 * The records of every module throw it from their constructors; {@code rules} is the module they
 * all share.
 */
public class InvalidSetting extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * @param setting the setting's name, such as {@code writer.threads}
     * @param reason what was expected and what was given, without the name
     */
    public InvalidSetting(String setting, String reason) {
        super(reason);
        this.setting = setting;
    }

    /** The setting's name, such as {@code writer.threads}. */
    public String setting() {
        return setting;
    }

    /** What was expected and what was given, without the setting's name. */
    public String reason() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return setting + ": " + reason();
    }

    /**
     * @return {@code value}
     * @throws InvalidSetting unless {@code min <= value <= max}
     */
    public static int checkInt(String setting, int value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSetting(setting, expectedInt(min, max) + ", got " + value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws InvalidSetting unless {@code value} is given and {@code min <= value <= max}
     */
    public static Duration checkDuration(String setting, Duration value, Duration min, Duration max) {
        if (value == null || value.isNegative() || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSetting(setting, expectedDuration(min, max) + ", got "
                + (value == null ? "nothing" : Durations.format(value)));
        }
        return value;
    }

    /** {@code expected an integer from 1 to 64}. */
    public static String expectedInt(long min, long max) {
        return "expected an integer from " + min + " to " + max;
    }

    /** {@code expected a duration from 0ms to 1m (such as …)}. */
    public static String expectedDuration(Duration min, Duration max) {
        return "expected a duration from " + Durations.format(min) + " to " + Durations.format(max)
            + " (such as 10ms, 5s, 10m, 1h, 400d or PT10M)";
    }
}
