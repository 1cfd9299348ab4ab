package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * The rest of an answer no longer wanted, on a connection with another request behind it: skipped to keep
 * the connection when it is short, and paid for under a rate limit; under a limit only a tenth of a second of
 * it is skipped (a longer rest closes the connection, even while draining).
 */
class PipeSkipTest {
    private static byte[] get(int n) {
        return ("GET /" + n + " HTTP/1.1\r\nHost: mirror\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends two requests, reads the head of the first answer, and is done with it, its body unread
     * ({@code cancelled}: as a stop while it is read, with the second waiting behind it). Whether the second
     * answer then came on the same connection.
     */
    private static boolean secondAnswerKept(RawServer server, RateLimit limit, int first, boolean cancelled)
            throws IOException {
        HttpUrl u = server.url("/");
        Pipe pipe = new Pipe(u.host(), u.port(), null, limit);
        try {
            pipe.connect(Dns.SYSTEM, 5000, 5000);
            Pipe.Turn a = pipe.send(get(first));
            Pipe.Turn b = pipe.send(get(100));
            assertThat(a.await(() -> false)).isTrue();
            assertThat(a.readHead().code()).isEqualTo(200);
            if (cancelled) {
                a.cancel();
            }
            a.finish(true);
            try {
                assertThat(b.await(() -> false)).isTrue();
                assertThat(b.readHead().code()).isEqualTo(200);
                assertThat(b.body().readByteArray()).hasSize(100);
                b.finish(true);
                assertThat(server.connections.get()).isEqualTo(1);
                return true;
            } catch (Pipe.Closed closed) {
                return false;
            }
        } finally {
            pipe.close();
        }
    }

    @Test
    void withoutALimitARestUpToAMebibyteIsSkippedAndAnyWhileDraining() throws IOException {
        try (RawServer s = RawServer.sized()) {
            assertThat(secondAnswerKept(s, null, (int) Pipe.MAX_SKIP, false)).isTrue();
        }
        try (RawServer s = RawServer.sized()) {
            assertThat(secondAnswerKept(s, null, 1 + (int) Pipe.MAX_SKIP, false)).isFalse();
        }
        try (RawServer s = RawServer.sized()) {
            assertThat(secondAnswerKept(s, null, 3 << 20, true)).isTrue();
        }
    }

    @Test
    void underALimitWhatIsSkippedIsPaidForAndALongerRestClosesTheConnection() throws IOException {
        RateLimit limit = new RateLimit(100 << 10); // a tenth of a second: 10 KiB
        long cap = limit.readSize((int) Pipe.MAX_SKIP);
        assertThat(cap).isEqualTo(10 << 10);
        try (RawServer s = RawServer.sized()) {
            assertThat(secondAnswerKept(s, limit, (int) cap, false)).isTrue();
            assertThat(limit.paid()).as("the body skipped").isEqualTo(cap);
        }
        for (boolean cancelled : new boolean[] {false, true}) {
            RateLimit l = new RateLimit(100 << 10);
            try (RawServer s = RawServer.sized()) {
                assertThat(secondAnswerKept(s, l, 1 + (int) cap, cancelled)).as("cancelled: %s", cancelled).isFalse();
                assertThat(l.paid()).isZero();
            }
        }
    }

    @Test
    void aSkipCapOfATenthOfASecondOfTheLimitBetweenAKibibyteAndAMebibyte() {
        assertThat(new Pipe("h", 80, null, new RateLimit(1000)).skipCap()).isEqualTo(1024);
        assertThat(new Pipe("h", 80, null, new RateLimit(1 << 30)).skipCap()).isEqualTo(Pipe.MAX_SKIP);
        assertThat(new Pipe("h", 80, null).skipCap()).isEqualTo(Pipe.MAX_SKIP);
        assertThatThrownBy(() -> new RateLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
