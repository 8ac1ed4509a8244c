package fr.gardien.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: a listener's certificate renewed on disk is served from the next handshake; a broken renewal is refused. */
class ServerCredentialsTest {

    @TempDir
    static Path dir;
    static TestCertificates first;
    static TestCertificates renewed;
    static TestCertificates other;

    @BeforeAll
    static void certificates() throws Exception {
        first = TestCertificates.generate(dir, "first");
        renewed = TestCertificates.generate(dir, "renewed");
        other = TestCertificates.generate(dir, "other");
    }

    /** A renewed pair replaces the served certificate; a handshake that chose its alias before the swap still gets a matching chain and key. */
    @Test
    void aRenewedPairIsServedFromTheNextHandshake() throws Exception {
        ServerCredentials credentials = live("renewal", first);
        String before = credentials.chooseEngineServerAlias("RSA", null, null);
        assertThat(served(credentials)).isEqualTo(serial(first));
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.UNCHANGED);

        install("renewal", renewed);
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.RELOADED);
        assertThat(served(credentials)).isEqualTo(serial(renewed));
        assertThat(credentials.certificate().getSerialNumber()).isEqualTo(serial(renewed));
        // The alias chosen before the swap: the old chain with the old key, never a mix.
        assertThat(credentials.getCertificateChain(before)[0].getSerialNumber()).isEqualTo(serial(first));
        assertThat(credentials.getPrivateKey(before)).isNotNull();
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.UNCHANGED);
    }

    /** A key of another certificate, or a missing file, is refused once, and the certificate in force stays served. */
    @Test
    void aBrokenRenewalIsRefusedAndThePreviousCertificateStays() throws Exception {
        ServerCredentials credentials = live("broken", first);
        Path cert = dir.resolve("broken-live-cert.pem");
        Path key = dir.resolve("broken-live-key.pem");
        Files.copy(renewed.cert(), cert, StandardCopyOption.REPLACE_EXISTING); // the key is still first's
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.REFUSED);
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.UNCHANGED); // reported once
        assertThat(served(credentials)).isEqualTo(serial(first));

        Files.delete(key);
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.REFUSED);
        assertThat(served(credentials)).isEqualTo(serial(first));

        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.REFUSED);
        assertThat(served(credentials)).isEqualTo(serial(first));

        Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING); // the renewal completed
        assertThat(credentials.reloadIfChanged()).isEqualTo(ServerCredentials.Reload.RELOADED);
        assertThat(served(credentials)).isEqualTo(serial(renewed));
    }

    private static ServerCredentials live(String name, TestCertificates pair) throws Exception {
        install(name, pair);
        return ServerCredentials.load(name, ConfigKey.HTTP_TLS_CERT, ConfigKey.HTTP_TLS_KEY,
                new TlsConfig(0, dir.resolve(name + "-live-cert.pem"), dir.resolve(name + "-live-key.pem"), Optional.empty()));
    }

    private static void install(String name, TestCertificates pair) throws Exception {
        Files.copy(pair.cert(), dir.resolve(name + "-live-cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.key(), dir.resolve(name + "-live-key.pem"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** What a new handshake gets: the chain of the alias chosen now. */
    private static java.math.BigInteger served(ServerCredentials credentials) {
        String alias = credentials.chooseEngineServerAlias("RSA", null, null);
        assertThat(credentials.getPrivateKey(alias)).isNotNull();
        return credentials.getCertificateChain(alias)[0].getSerialNumber();
    }

    private static java.math.BigInteger serial(TestCertificates pair) {
        return ((X509Certificate) pair.certificate()).getSerialNumber();
    }
}
