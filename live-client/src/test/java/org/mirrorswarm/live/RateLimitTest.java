package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The rate limit's arithmetic, on a clock the test moves ({@link RateLimit#take} is given the time). */
class RateLimitTest {
    private static final long MS = 1_000_000L;

    @Test
    void aFirstReadWithinTheBurstGoesOnAndTheNextWaitsForItsOwnBytes() {
        RateLimit l = new RateLimit(100_000); // 100 kB/s: 10 µs a byte, a burst of 10,000 bytes
        assertThat(l.take(10_000, 0)).isZero();
        assertThat(l.take(10_000, 0)).isEqualTo(100 * MS);
        assertThat(l.take(5_000, 0)).isEqualTo(150 * MS);
    }

    @Test
    void readersPayInTurnSoTheTotalKeepsToTheRateWhateverTheirNumber() {
        RateLimit l = new RateLimit(1 << 20);
        int readers = 16;
        long[] free = new long[readers]; // when each reader may read again
        long now = 0;
        long bytes = 0;
        // Each reader reads 8 KiB whenever it is free, the earliest first: the time the last read is paid for
        // gives the rate actually allowed.
        for (int i = 0; i < 20_000; i++) {
            int r = 0;
            for (int k = 1; k < readers; k++) {
                if (free[k] < free[r]) {
                    r = k;
                }
            }
            now = Math.max(now, free[r]);
            free[r] = now + l.take(8 << 10, now);
            bytes += 8 << 10;
        }
        long end = 0;
        for (long f : free) {
            end = Math.max(end, f);
        }
        double rate = bytes / (end / 1e9);
        // 156.25 MiB take 156.25 s at 1 MiB/s: the burst (a tenth of a second's credit) is all the excess.
        assertThat(rate).isBetween((1 << 20) * 0.999, (1 << 20) * 1.001);
    }

    @Test
    void idleTimeIsLentBackOnlyUpToTheBurst() {
        RateLimit l = new RateLimit(10_000); // a burst of 1,000 bytes
        assertThat(l.take(1_000, 0)).isZero();
        // An hour idle: still only a tenth of a second's worth of credit.
        long hour = 3_600_000 * MS;
        assertThat(l.take(1_000, hour)).isZero();
        assertThat(l.take(1_000, hour)).isEqualTo(100 * MS);
    }

    @Test
    void readsAreATenthOfASecondOfTheRateBetweenOneKibAndTheBuffer() {
        assertThat(new RateLimit(100).readSize(64 << 10)).isEqualTo(1024);
        assertThat(new RateLimit(256 << 10).readSize(64 << 10)).isEqualTo((256 << 10) / 10);
        assertThat(new RateLimit(1 << 20).readSize(64 << 10)).isEqualTo(64 << 10);
        assertThat(new RateLimit(100).readSize(512)).isEqualTo(512);
    }

    @Test
    void aLimitIsAboveZero() {
        assertThatThrownBy(() -> new RateLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FetchOptions.defaults().withRateLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FetchOptions.defaults().rateLimit()).isZero();
    }
}
