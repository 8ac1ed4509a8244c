package fr.gardien.storage.db;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL (or TimescaleDB) database is and how many connections the pool keeps.
 * Validated in the constructor; {@link #toString()} masks the password so the record can be
 * logged as is.
 *
 * @param url a {@code jdbc:postgresql:} URL
 * @param user the database user
 * @param password the password, empty for trust authentication (never {@code null})
 * @param poolSize the size of the HikariCP pool: the writer threads plus the query workers
 */
public record DatabaseConfig(String url, String user, String password, int poolSize) {

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password (use \"\" for none)");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db url must start with jdbc:postgresql: [url: " + maskUrl(url) + "]");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("db user must not be blank");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new IllegalArgumentException("db pool size must be within 1..1000, was " + poolSize);
        }
    }

    /** The URL with any {@code password=} parameter masked: safe to log. */
    public String safeUrl() {
        return maskUrl(url);
    }

    static String maskUrl(String url) {
        return PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + safeUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", poolSize=" + poolSize + "]";
    }
}
