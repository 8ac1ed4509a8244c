package fr.gardien.gateway.ticketing.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.gardien.gateway.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of an e-mail connector's YAML fields. */
class EmailSettingsTest {

    static Map<String, Object> valid() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "caretaker-mail");
        m.put("type", "email");
        m.put("host", "smtp.bailleur.example");
        m.put("username", "gardien");
        m.put("password", "s3cret pass");
        m.put("from", "gardien@bailleur.example");
        m.put("to", List.of("tickets@bailleur.example"));
        return m;
    }

    /** Defaults: port 587, STARTTLS required, the standard subject, French. */
    @Test
    void minimalSettingsTakeSafeDefaults() {
        EmailSettings s = EmailSettings.from(valid());
        assertThat(s.port()).isEqualTo(587);
        assertThat(s.starttls()).isEqualTo(EmailSettings.StartTls.REQUIRED);
        assertThat(s.subjectTemplate()).isEqualTo(EmailSettings.DEFAULT_SUBJECT);
        assertThat(s.language()).isEqualTo("fr");
        assertThat(s.password()).isEqualTo("s3cret pass");
    }

    /** A single address is accepted for {@code to}. */
    @Test
    void singleRecipientMayBeAString() {
        Map<String, Object> m = valid();
        m.put("to", "tickets@bailleur.example");
        assertThat(EmailSettings.from(m).to()).containsExactly("tickets@bailleur.example");
    }

    /** Every error is reported at once, each naming the connector and key. */
    @Test
    void everyErrorIsReportedAtOnce() {
        Map<String, Object> m = valid();
        m.remove("host");
        m.put("port", "abc");
        m.put("starttls", "sometimes");
        m.remove("password");
        m.put("from", "not-an-address");
        m.put("to", List.of());
        m.put("subject", "{severity} {readings}");
        m.put("language", "de");
        m.put("bcc", "x@y.example");
        ConfigException e = catchThrowableOfType(() -> EmailSettings.from(m), ConfigException.class);
        assertThat(e.errors()).hasSize(9).allMatch(line -> line.startsWith("ticketing.connectors[caretaker-mail]."));
        assertThat(String.join("\n", e.errors())).contains(".host: required", ".port:", ".starttls:",
                ".username, password: set both or neither", ".from:", ".to: at least one", "{readings}", ".language:",
                ".bcc: unknown key");
    }

    /** The password never shows in the settings' text. */
    @Test
    void passwordIsMaskedInToString() {
        assertThat(EmailSettings.from(valid()).toString()).doesNotContain("s3cret").contains("password=****");
    }
}
