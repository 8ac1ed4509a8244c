package fr.gardien.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The brake on credential guessing, on a clock the test moves. */
@Timeout(10)
class AuthBrakeTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> counted = new ArrayList<>();
    private final AuthBrake brake = new AuthBrake(3, 5, Duration.ofSeconds(10), (p, o) -> counted.add(p + ":" + o), now::get);
    private final AtomicInteger checks = new AtomicInteger();

    private Future<String> attempt(String device, String address, boolean right) {
        return brake.guard("http", device, address, () -> {
            checks.incrementAndGet();
            return right ? Future.succeededFuture(device)
                    : Future.failedFuture(new AuthException(AuthException.Reason.BAD_CREDENTIALS, "wrong"));
        });
    }

    private static boolean throttled(Future<?> f) {
        return f.failed() && f.cause() instanceof AuthException e && e.reason() == AuthException.Reason.THROTTLED;
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Past the threshold an address is refused unchecked, counted, for the block time; then let through again. */
    @Test
    void anAddressPastTheThresholdIsRefusedForTheBlockTime() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttled(attempt("d1", "10.0.0.9", false))).isFalse();
        }
        assertThat(checks).hasValue(3);
        Future<String> refused = attempt("d1", "10.0.0.9", true);
        assertThat(throttled(refused)).isTrue();
        assertThat(((AuthException) refused.cause()).retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(throttled(attempt("d2", "10.0.0.9", true))).as("any device from that address").isTrue();
        assertThat(checks).as("refused attempts are not checked").hasValue(3);
        assertThat(counted).containsExactly("http:wrong-secret", "http:wrong-secret", "http:wrong-secret", "http:refused",
                "http:refused");
        advance(Duration.ofSeconds(10));
        assertThat(attempt("d1", "10.0.0.9", true).succeeded()).isTrue();
    }

    /** A right secret from another address still works while the guessing address is refused. */
    @Test
    void anotherAddressWithTheRightSecretStillWorks() {
        for (int i = 0; i < 3; i++) {
            attempt("d1", "10.0.0.9", false);
        }
        assertThat(attempt("d1", "10.0.0.50", true).succeeded()).isTrue();
    }

    /** Each new refusal of the same key lasts twice as long as the one before. */
    @Test
    void repeatedRefusalsGrow() {
        for (int i = 0; i < 3; i++) {
            attempt(null, "10.0.0.9", false);
        }
        advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            attempt(null, "10.0.0.9", false);
        }
        Future<String> refused = attempt(null, "10.0.0.9", false);
        assertThat(((AuthException) refused.cause()).retryAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    /**
     * Guessing one device from many addresses closes that device to unknown addresses, never to
     * the address it authenticated from before, whatever that address's counter says.
     */
    @Test
    void aDeviceUnderAttackStaysOpenFromItsUsualAddress() {
        assertThat(attempt("d1", "10.0.0.1", true).succeeded()).isTrue();
        for (int i = 0; i < 5; i++) {
            attempt("d1", "10.0.1." + i, false);
        }
        assertThat(throttled(attempt("d1", "10.0.2.1", true))).as("unknown address").isTrue();
        assertThat(attempt("d1", "10.0.0.1", true).succeeded()).as("usual address").isTrue();
        // Its usual address is also a NAT where someone else guesses: still let through.
        for (int i = 0; i < 4; i++) {
            attempt("d2", "10.0.0.1", false);
        }
        assertThat(throttled(attempt("d2", "10.0.0.1", true))).isTrue();
        assertThat(attempt("d1", "10.0.0.1", true).succeeded()).isTrue();
    }

    /** Failures far apart never add up to a refusal. */
    @Test
    void failuresAreForgottenAfterTenBlockTimes() {
        for (int i = 0; i < 5; i++) {
            attempt("d1", "10.0.0.9", false);
            attempt("d1", "10.0.0.9", false);
            advance(Duration.ofSeconds(101));
        }
        assertThat(attempt("d1", "10.0.0.9", true).succeeded()).isTrue();
    }

    /** An IPv6 subscriber holds a whole /64: its addresses count as one. */
    @Test
    void ipv6AddressesCountByTheirSlash64() {
        assertThat(AuthBrake.source("2001:db8:1:2:aaaa::1")).isEqualTo(AuthBrake.source("2001:db8:1:2:bbbb::2"));
        assertThat(AuthBrake.source("2001:db8:1:3::1")).isNotEqualTo(AuthBrake.source("2001:db8:1:2::1"));
        assertThat(AuthBrake.source("192.0.2.7")).isEqualTo("192.0.2.7");
    }
}
