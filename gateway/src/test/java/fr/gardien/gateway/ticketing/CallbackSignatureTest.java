package fr.gardien.gateway.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The callback's signature and freshness check. */
class CallbackSignatureTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final byte[] BODY = "{\"alertId\":1,\"action\":\"close\",\"by\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    final CallbackSignature signature = new CallbackSignature(SECRET);

    /** A request signed with the secret at a recent time is accepted, up to five minutes either way. */
    @Test
    void acceptsAFreshSignedRequest() {
        for (long skew : new long[] {0, -300, 300}) {
            String ts = Long.toString(NOW.getEpochSecond() + skew);
            assertThat(signature.check(ts, signature.sign(ts, BODY), BODY, NOW)).isNull();
        }
    }

    /** The known HMAC-SHA256 of "TIMESTAMP.BODY": what a ticketing system's script must compute. */
    @Test
    void signsTheTimestampDotBody() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"0123456789abcdef0123456789abcdef",b"1768046400.{}",hashlib.sha256).hexdigest())'
        assertThat(signature.sign("1768046400", "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=23a61655eebfbd0f95c141454acfdb212cf8c6981eb4bcc3498988ae794a40da");
    }

    /** A changed body, another secret, a replayed signature under a new timestamp or a stale one are refused. */
    @Test
    void refusesTamperedStaleOrMissing() {
        String ts = Long.toString(NOW.getEpochSecond());
        String good = signature.sign(ts, BODY);
        byte[] tampered = "{\"alertId\":2,\"action\":\"close\",\"by\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(signature.check(ts, good, tampered, NOW)).isEqualTo("signature does not match");
        assertThat(signature.check(ts, new CallbackSignature(SECRET + "x").sign(ts, BODY), BODY, NOW)).isNotNull();
        assertThat(signature.check(Long.toString(NOW.getEpochSecond() + 1), good, BODY, NOW)).isEqualTo("signature does not match");
        String stale = Long.toString(NOW.getEpochSecond() - 301);
        assertThat(signature.check(stale, signature.sign(stale, BODY), BODY, NOW)).startsWith("timestamp outside");
        assertThat(signature.check(null, good, BODY, NOW)).isNotNull();
        assertThat(signature.check(ts, null, BODY, NOW)).isNotNull();
        assertThat(signature.check(ts, "md5=abc", BODY, NOW)).isNotNull();
        assertThat(signature.check(ts, "sha256=zz", BODY, NOW)).isNotNull();
        assertThat(signature.check("yesterday", good, BODY, NOW)).isNotNull();
    }
}
