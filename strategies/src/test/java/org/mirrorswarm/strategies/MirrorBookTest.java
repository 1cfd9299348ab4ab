package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MirrorBookTest {
    private final SchedulerConfig config = SchedulerConfig.defaults()
            .withStatistics(0.2, 5, 10.0).withBans(1.0, 8.0, 5, 3);
    private final MirrorBook book = BookFixture.book(config);
    private final int m = BookFixture.add(book, Mirror.of("a"));

    @Test
    void mirrorsAreNumberedOncePerId() {
        assertThat(BookFixture.add(book, Mirror.of("b"))).isEqualTo(1);
        assertThat(BookFixture.add(book, Mirror.of("a", 7))).isEqualTo(0);
        assertThat(book.indexOf("b")).isEqualTo(1);
        assertThat(book.indexOf("zz")).isEqualTo(-1);
        assertThat(book.size()).isEqualTo(2);
    }

    @Test
    void throughputIsThePlainMeanForFiveSamplesThenAnEwmaWithWeightPointTwo() {
        assertThat(book.throughput(m)).isNaN();
        double[] samples = {100, 200, 300, 400, 500};
        for (double s : samples) {
            BookFixture.throughput(book, m, s);
        }
        assertThat(book.throughput(m)).isCloseTo(300, within(1e-9));
        BookFixture.throughput(book, m, 1300);
        assertThat(book.throughput(m)).isCloseTo(0.8 * 300 + 0.2 * 1300, within(1e-9));
        BookFixture.throughput(book, m, 0);
        assertThat(book.throughput(m)).isCloseTo(0.8 * 500, within(1e-9));
        assertThat(book.throughputSamples(m)).isEqualTo(7);
    }

    @Test
    void meanThroughputIsOverTheMeasuredMirrorsOnly() {
        int b = BookFixture.add(book, Mirror.of("b"));
        BookFixture.add(book, Mirror.of("unmeasured"));
        assertThat(book.meanThroughput()).isNaN();
        BookFixture.throughput(book, m, 100);
        BookFixture.throughput(book, b, 300);
        assertThat(book.meanThroughput()).isEqualTo(200);
        BookFixture.throughput(book, b, 500); // b's running mean becomes 400
        assertThat(book.meanThroughput()).isCloseTo(250, within(1e-9));
    }

    @Test
    void peakEwmaTakesASlowerSampleAtOnceAndBlendsAFasterOneByElapsedTime() {
        BookFixture.latency(book, m, 1.0, 0.0);
        assertThat(book.latency(m, 0.0)).isEqualTo(1.0);
        // Reading decays towards zero with exp(-dt/tau) without changing the book.
        assertThat(book.latency(m, 10.0)).isCloseTo(Math.exp(-1), within(1e-12));
        assertThat(book.latency(m, 0.0)).isEqualTo(1.0);
        // A faster sample 10 s later: cost*w + rtt*(1-w), w = exp(-10/10).
        BookFixture.latency(book, m, 0.5, 10.0);
        double w = Math.exp(-1);
        assertThat(book.latency(m, 10.0)).isCloseTo(1.0 * w + 0.5 * (1 - w), within(1e-12));
        // A slower sample is the new cost at once: the "peak".
        BookFixture.latency(book, m, 3.0, 10.5);
        assertThat(book.latency(m, 10.5)).isEqualTo(3.0);
    }

    @Test
    void typicalLatencyAveragesLikeThroughputSoOneSlowFirstAnswerFades() {
        assertThat(book.typicalLatency(m)).isNaN();
        // A cold first answer (38 ms), then answers of 2 ms, as on loopback mirrors.
        BookFixture.latency(book, m, 0.038, 0.0);
        for (int i = 1; i < 5; i++) {
            BookFixture.latency(book, m, 0.002, 0.04 * i);
        }
        assertThat(book.typicalLatency(m)).isCloseTo((0.038 + 4 * 0.002) / 5, within(1e-12));
        BookFixture.latency(book, m, 0.002, 0.2);
        assertThat(book.typicalLatency(m)).isCloseTo(0.8 * (0.046 / 5) + 0.2 * 0.002, within(1e-12));
        for (int i = 6; i < 20; i++) {
            BookFixture.latency(book, m, 0.002, 0.04 * i);
        }
        assertThat(book.typicalLatency(m)).isLessThan(0.0025);
        // The peak EWMA, a selector's measure, still holds the spike a quarter of a second later.
        assertThat(book.latency(m, 0.8)).isGreaterThan(0.03);
    }

    @Test
    void aWaitThatOnlyBoundsTheLatencyLowersTheEstimatesAndNeverRaisesThem() {
        // With no sample yet, a bound is the best there is.
        BookFixture.latencyBound(book, m, 0.030, 0.0);
        assertThat(book.typicalLatency(m)).isEqualTo(0.030);
        assertThat(book.latency(m, 0.0)).isEqualTo(0.030);
        // Longer waits (answers queued behind others) change neither estimate, but count as samples.
        BookFixture.latencyBound(book, m, 0.400, 1.0);
        BookFixture.latencyBound(book, m, 0.250, 1.0);
        assertThat(book.typicalLatency(m)).isCloseTo(0.030, within(1e-12));
        assertThat(book.latency(m, 0.0)).isEqualTo(0.030);
        assertThat(book.latencySamples(m)).isEqualTo(3);
        // A shorter one is a sample like any other: the fourth of the warm-up, and a faster one for the peak.
        BookFixture.latencyBound(book, m, 0.010, 10.0);
        assertThat(book.typicalLatency(m)).isCloseTo(0.030 + (0.010 - 0.030) / 4, within(1e-12));
        double w = Math.exp(-1);
        assertThat(book.latency(m, 10.0)).isCloseTo(0.030 * w + 0.010 * (1 - w), within(1e-12));
        // Past the warm-up, the EWMA: a bound above the estimate leaves it; a measured wait still raises it.
        BookFixture.latency(book, m, 0.010, 10.0);
        double typical = book.typicalLatency(m);
        BookFixture.latencyBound(book, m, 0.300, 10.5);
        assertThat(book.typicalLatency(m)).isEqualTo(typical);
        BookFixture.latency(book, m, 0.300, 10.5);
        assertThat(book.typicalLatency(m)).isCloseTo(0.8 * typical + 0.2 * 0.300, within(1e-12));
    }

    @Test
    void transientFailuresBanWithExponentialBackoffThenExclude() {
        double now = 0;
        double[] expected = {1, 2, 4, 8};
        for (double ban : expected) {
            assertThat(BookFixture.fail(book, m, FailureReason.TIMEOUT, now)).isEqualTo(MirrorBook.Outcome.BANNED);
            assertThat(book.bannedUntil(m)).isCloseTo(now + ban, within(1e-12));
            assertThat(book.isUsable(m, now + ban - 1e-9)).isFalse();
            assertThat(book.isUsable(m, now + ban)).isTrue();
            now += ban;
        }
        assertThat(BookFixture.fail(book, m, FailureReason.CONNECT_FAILED, now)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(book.isExcluded(m)).isTrue();
        assertThat(book.exclusionReason(m)).contains("5 failures in a row").contains("connection failed");
        assertThat(book.isUsable(m, 1e9)).isFalse();
    }

    @Test
    void aMirrorThatNeverAnsweredIsExcludedAtItsSecondFailedConnection() {
        assertThat(BookFixture.fail(book, m, FailureReason.CONNECT_FAILED, 0)).isEqualTo(MirrorBook.Outcome.BANNED);
        assertThat(book.bannedUntil(m)).isEqualTo(1.0);
        assertThat(BookFixture.fail(book, m, FailureReason.CONNECT_FAILED, 1)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(book.exclusionReason(m))
                .isEqualTo("2 failures in a row and never answered, last: connection failed");
        // Connections that failed together, sent before the ban the first of them began, are one try.
        int b = BookFixture.add(book, Mirror.of("b"));
        for (int k = 0; k < 4; k++) {
            assertThat(BookFixture.fail(book, b, FailureReason.CONNECT_FAILED, 0.1 * k)).isEqualTo(MirrorBook.Outcome.BANNED);
        }
        assertThat(book.bannedUntil(b)).isEqualTo(1.0);
        assertThat(BookFixture.fail(book, b, FailureReason.CONNECT_FAILED, 1)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(book.exclusionReason(b)).startsWith("2 failures in a row and never answered");
    }

    @Test
    void aMirrorThatAnsweredOnceKeepsTheWholeBackoffForFailedConnections() {
        int byLatency = m;
        BookFixture.latency(book, byLatency, 0.01, 0);
        int byStatus = BookFixture.add(book, Mirror.of("busy"));
        BookFixture.fail(book, byStatus, FailureReason.HTTP_ERROR, 0); // a 503: it accepted the connection
        int byTimeout = BookFixture.add(book, Mirror.of("silent"));
        BookFixture.fail(book, byTimeout, FailureReason.TIMEOUT, 0); // no answer in time, but the connection was made
        int byBytes = BookFixture.add(book, Mirror.of("bytes"));
        BookFixture.addBytes(book, byBytes, 1);
        for (int i : new int[] {byLatency, byStatus, byTimeout, byBytes}) {
            double now = 1;
            int before = book.consecutiveFailures(i);
            for (int k = before + 1; k < 5; k++) {
                assertThat(BookFixture.fail(book, i, FailureReason.CONNECT_FAILED, now))
                        .as("mirror %d, failure %d", i, k).isEqualTo(MirrorBook.Outcome.BANNED);
                now = book.bannedUntil(i);
            }
            assertThat(BookFixture.fail(book, i, FailureReason.CONNECT_FAILED, now)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
            assertThat(book.exclusionReason(i)).isEqualTo("5 failures in a row, last: connection failed");
        }
    }

    @Test
    void withFewerFailuresAllowedThanTheNeverAnsweredLimitThoseCount() {
        MirrorBook one = BookFixture.book(SchedulerConfig.defaults().withBans(1.0, 8.0, 1, 1));
        int a = BookFixture.add(one, Mirror.of("a"));
        assertThat(BookFixture.fail(one, a, FailureReason.CONNECT_FAILED, 0)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
    }

    @Test
    void backoffIsCappedAndASuccessResetsIt() {
        double now = 0;
        for (int i = 0; i < 4; i++) {
            BookFixture.fail(book, m, FailureReason.HTTP_ERROR, now);
            now = book.bannedUntil(m);
        }
        assertThat(book.consecutiveFailures(m)).isEqualTo(4);
        BookFixture.success(book, m);
        assertThat(book.consecutiveFailures(m)).isZero();
        BookFixture.fail(book, m, FailureReason.HTTP_ERROR, now);
        assertThat(book.bannedUntil(m) - now).isEqualTo(1.0);

        MirrorBook capped = BookFixture.book(config.withBans(1.0, 3.0, 100, 3));
        int c = BookFixture.add(capped, Mirror.of("c"));
        double t = 0;
        for (int i = 0; i < 6; i++) {
            BookFixture.fail(capped, c, FailureReason.TIMEOUT, t);
            assertThat(capped.bannedUntil(c) - t).isLessThanOrEqualTo(3.0);
            t = capped.bannedUntil(c);
        }
        assertThat(capped.bannedUntil(c) - 0).isEqualTo(1 + 2 + 3 + 3 + 3 + 3);
    }

    @Test
    void aFailureDuringABanDoesNotLengthenIt() {
        BookFixture.fail(book, m, FailureReason.TIMEOUT, 0);
        BookFixture.fail(book, m, FailureReason.TIMEOUT, 0.5);
        assertThat(book.bannedUntil(m)).isEqualTo(1.0);
        assertThat(book.consecutiveFailures(m)).isEqualTo(2);
    }

    @Test
    void byDefaultAMirrorIsExcludedAtItsFirstBadPiece() {
        MirrorBook fresh = BookFixture.book(SchedulerConfig.defaults());
        int a = BookFixture.add(fresh, Mirror.of("a"));
        assertThat(BookFixture.fail(fresh, a, FailureReason.HASH_MISMATCH, 0)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(fresh.isUsable(a, 1e9)).isFalse();
        assertThat(fresh.exclusionReason(a)).isEqualTo("piece hash mismatch");
        assertThat(fresh.badPieces(a)).isEqualTo(1);
    }

    @Test
    void withAHigherLimitBadPiecesBanUntilTheLimitExcludes() {
        assertThat(BookFixture.fail(book, m, FailureReason.HASH_MISMATCH, 0)).isEqualTo(MirrorBook.Outcome.BANNED);
        assertThat(BookFixture.fail(book, m, FailureReason.HASH_MISMATCH, 5)).isEqualTo(MirrorBook.Outcome.BANNED);
        assertThat(book.bannedUntil(m)).isEqualTo(7.0);
        assertThat(BookFixture.fail(book, m, FailureReason.BAD_RESPONSE, 10)).isEqualTo(MirrorBook.Outcome.BANNED);
        assertThat(BookFixture.fail(book, m, FailureReason.HASH_MISMATCH, 20)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(book.badPieces(m)).isEqualTo(3);
        assertThat(book.exclusionReason(m)).isEqualTo("3 bad pieces, last: piece hash mismatch");
    }

    @Test
    void malformedAnswersBanAndTheThirdExcludesWhateverTheBadPieceLimit() {
        MirrorBook fresh = BookFixture.book(SchedulerConfig.defaults().withBans(1.0, 8.0, 5, 1));
        int a = BookFixture.add(fresh, Mirror.of("a"));
        assertThat(BookFixture.fail(fresh, a, FailureReason.BAD_RESPONSE, 0)).isEqualTo(MirrorBook.Outcome.BANNED);
        assertThat(BookFixture.fail(fresh, a, FailureReason.BAD_RESPONSE, 5)).isEqualTo(MirrorBook.Outcome.BANNED);
        assertThat(fresh.bannedUntil(a)).isEqualTo(7.0);
        assertThat(BookFixture.fail(fresh, a, FailureReason.BAD_RESPONSE, 10)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(fresh.malformedAnswers(a)).isEqualTo(MirrorBook.MALFORMED_LIMIT);
        assertThat(fresh.badPieces(a)).isZero();
        assertThat(fresh.exclusionReason(a)).isEqualTo("3 malformed answers, last: malformed response");
    }

    @Test
    void aFailedTlsHandshakeExcludesAtOnceWithoutCountingABadPiece() {
        assertThat(BookFixture.fail(book, m, FailureReason.TLS_FAILED, 0)).isEqualTo(MirrorBook.Outcome.EXCLUDED);
        assertThat(book.isUsable(m, 1e9)).isFalse();
        assertThat(book.exclusionReason(m)).isEqualTo("TLS handshake failed");
        assertThat(book.badPieces(m)).isZero();
        assertThat(book.failures(m)).isEqualTo(1);
    }

    @Test
    void fileFatalFailuresDropForTheFileAndCancellationsCostNothing() {
        assertThat(BookFixture.fail(book, m, FailureReason.NOT_FOUND, 0)).isEqualTo(MirrorBook.Outcome.DROPPED_FOR_FILE);
        assertThat(book.isUsable(m, 0)).isTrue();
        assertThat(BookFixture.fail(book, m, FailureReason.CANCELLED, 0)).isEqualTo(MirrorBook.Outcome.IGNORED);
        assertThat(book.failures(m)).isEqualTo(1);
    }

    @Test
    void connectionLimitIsTheSmallerOfTheMirrorsAndTheSchedulers() {
        MirrorBook b = BookFixture.book(SchedulerConfig.defaults().withConnections(16, 4, 0));
        int own = BookFixture.add(b, new Mirror("own", 1, 2, ""));
        int def = BookFixture.add(b, Mirror.of("def"));
        int big = BookFixture.add(b, new Mirror("big", 1, 9, ""));
        assertThat(b.connectionLimit(own)).isEqualTo(2);
        assertThat(b.connectionLimit(def)).isEqualTo(4);
        assertThat(b.connectionLimit(big)).isEqualTo(4);
    }
}
