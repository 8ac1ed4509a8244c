package fr.gardien.gateway.config;

import java.util.Objects;

/**
 * The database connection.
 *
 * @param url JDBC URL of PostgreSQL/TimescaleDB ({@code jdbc:postgresql:…}); empty: start an
 *     embedded PostgreSQL with its files under {@code data.dir}
 * @param user the database user; may be empty (then the URL or the embedded default decides)
 * @param password the database password; may be empty. Secret: never log it, {@link #toString()}
 *     masks it
 * @param poolSize the number of connections, 1 to 1000
 * @throws IllegalArgumentException when a value is out of its range
 */
public record DbConfig(String url, String user, String password, int poolSize) {

    public DbConfig {
        url = ConfigKey.DB_URL.checkJdbcUrl(Objects.requireNonNull(url, "url"));
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        ConfigKey.DB_POOL_SIZE.checkInt(poolSize);
    }

    /** True when no URL is configured and the embedded PostgreSQL is to be used. */
    public boolean embedded() {
        return url.isEmpty();
    }

    /** The URL with any password in it ({@code password=…}, {@code user:pass@}) replaced by {@code ****}. */
    public String maskedUrl() {
        return ConfigKey.maskUrl(url);
    }

    @Override
    public String toString() {
        return "DbConfig[url=" + maskedUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****")
            + ", poolSize=" + poolSize + "]";
    }
}
