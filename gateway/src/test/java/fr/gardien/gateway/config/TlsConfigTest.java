package fr.gardien.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: the TLS listeners' keys, and the start-up errors for their PEM files. */
class TlsConfigTest {

    @TempDir
    static Path dir;
    static TestCertificates gateway;
    static TestCertificates other;

    @BeforeAll
    static void certificates() throws Exception {
        gateway = TestCertificates.generate(dir, "gateway");
        other = TestCertificates.generate(dir, "other");
    }

    /** Both files set: a checked HTTPS listener on its port, beside the clear one (on by default). */
    @Test
    void aCertificateAndItsKeyGiveATlsListener() {
        GardienConfig c = ConfigLoader.load(null, Map.of("GARDIEN_HTTP_TLS_CERT", gateway.cert().toString(),
                "GARDIEN_HTTP_TLS_KEY", gateway.key().toString(), "GARDIEN_MQTT_TLS_CERT", gateway.cert().toString(),
                "GARDIEN_MQTT_TLS_KEY", gateway.key().toString(), "GARDIEN_MQTT_PLAIN_ENABLED", "false"));
        assertThat(c.http().tls()).contains(new TlsConfig(8443, gateway.cert(), gateway.key()));
        assertThat(c.http().plainEnabled()).isTrue();
        assertThat(c.mqtt().tls()).contains(new TlsConfig(8883, gateway.cert(), gateway.key()));
        assertThat(c.mqtt().plainEnabled()).isFalse();
        assertThat(c.describe()).contains("http.tls.key = " + gateway.key()).contains("mqtt.plain-enabled = false (env)");
    }

    /** Without TLS files: no TLS listener, and the clear ones stay (the default). */
    @Test
    void noFilesNoTls() {
        GardienConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.http().tls()).isEmpty();
        assertThat(c.mqtt().tls()).isEmpty();
        assertThat(c.http().plainEnabled()).isTrue();
        assertThat(c.mqtt().plainEnabled()).isTrue();
    }

    /** A missing key file stops start-up with the key named, in English and French. */
    @Test
    void aMissingKeyFileIsNamed() {
        Path missing = dir.resolve("absent-key.pem");
        String message = error(Map.of("GARDIEN_HTTP_TLS_CERT", gateway.cert().toString(), "GARDIEN_HTTP_TLS_KEY",
                missing.toString()));
        assertThat(message).contains("GARDIEN_HTTP_TLS_KEY").contains("private key file not found: " + missing)
                .contains("fichier introuvable pour la clé privée");
    }

    /** A key that is not the certificate's is refused, without quoting either file. */
    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        String message = error(Map.of("GARDIEN_MQTT_TLS_CERT", gateway.cert().toString(), "GARDIEN_MQTT_TLS_KEY",
                other.key().toString()));
        assertThat(message).contains("GARDIEN_MQTT_TLS_KEY").contains("does not match the certificate of mqtt.tls.cert")
                .contains("ne correspond pas au certificat");
        String keyLine = Files.readAllLines(other.key()).get(1);
        assertThat(message).doesNotContain(keyLine);
    }

    /** A key file given as the certificate, and a certificate given as the key, are named. */
    @Test
    void filesSwappedAreNamed() {
        String message = error(Map.of("GARDIEN_HTTP_TLS_CERT", gateway.key().toString(), "GARDIEN_HTTP_TLS_KEY",
                gateway.key().toString()));
        assertThat(message).contains("GARDIEN_HTTP_TLS_CERT").contains("no PEM certificate in " + gateway.key())
                .contains("aucun certificat PEM");
        message = error(Map.of("GARDIEN_HTTP_TLS_CERT", gateway.cert().toString(), "GARDIEN_HTTP_TLS_KEY",
                gateway.cert().toString()));
        assertThat(message).contains("GARDIEN_HTTP_TLS_KEY").contains("no unencrypted PEM private key");
    }

    /** One file without the other, or the clear listener off without TLS, is an error naming the key. */
    @Test
    void incompleteSettingsAreNamed() {
        assertThat(error(Map.of("GARDIEN_HTTP_TLS_CERT", gateway.cert().toString())))
                .contains("http.tls.key: must be set with http.tls.cert");
        assertThat(error(Map.of("GARDIEN_MQTT_PLAIN_ENABLED", "false")))
                .contains("GARDIEN_MQTT_PLAIN_ENABLED: false leaves no listener: set mqtt.tls.cert");
    }

    /** The README's nested form; an error in it names the file's line and the key. */
    @Test
    void nestedSectionsInTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("gardien.yaml"), "http:\n  plain-enabled: false\n"
                + "  tls: {port: 9443, cert: gateway-cert.pem, key: gateway-key.pem}\n"
                + "mqtt:\n  tls:\n    cert: gateway-cert.pem\n    key: absent.pem\n");
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.load(file, Map.of()), ConfigException.class);
        assertThat(e.getMessage()).isEqualTo(file + ":7: mqtt.tls.key: private key file not found: " + dir.resolve("absent.pem")
                + " / fichier introuvable pour la clé privée : " + dir.resolve("absent.pem"));
        Files.writeString(file, Files.readString(file).replace("absent.pem", "gateway-key.pem"));
        GardienConfig c = ConfigLoader.load(file, Map.of());
        assertThat(c.http().tls()).contains(new TlsConfig(9443, gateway.cert(), gateway.key()));
        assertThat(c.http().plainEnabled()).isFalse();
        assertThat(c.mqtt().tls()).contains(new TlsConfig(8883, gateway.cert(), gateway.key()));
    }

    private static String error(Map<String, String> env) {
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.load(null, env), ConfigException.class);
        assertThat(e).as("a ConfigException").isNotNull();
        return e.getMessage();
    }
}
