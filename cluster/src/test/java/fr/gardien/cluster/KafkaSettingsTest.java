package fr.gardien.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    /** Every problem is named at once, in English and French. */
    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> new KafkaSettings("kafka-1:9092,nope", "bad topic!", 0, Map.of("acks", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope' is not host:port").hasMessageContaining("n'est pas hôte:port")
                .hasMessageContaining("cluster.kafka.topic").hasMessageContaining("cluster.kafka.partitions")
                .hasMessageContaining("cluster.kafka.client.acks");
        assertThatThrownBy(() -> KafkaSettings.plain(" ")).hasMessageContaining("bootstrap-servers is empty");
    }

    /** Only TLS and SASL settings pass through to the clients, and their secrets are not shown. */
    @Test
    void securitySettingsPassThroughAndSecretsAreMasked() {
        KafkaSettings s = new KafkaSettings("k1:9093,k2:9093", "gardien.readings", 24, Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "user=\"gardien\" password=\"hunter2\"",
                "ssl.truststore.password", "changeit"));
        assertThat(s.clientProperties("w1")).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "k1:9093,k2:9093").containsEntry("client.id", "w1");
        assertThat(s.describe()).contains("SCRAM-SHA-512").doesNotContain("hunter2").doesNotContain("changeit");
        assertThat(s.toString()).doesNotContain("hunter2");
    }
}
