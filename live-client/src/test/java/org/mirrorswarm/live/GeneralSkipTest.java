package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The rest of an answer no longer wanted on OkHttp's connections (without pipelining, through a proxy), under a
 * rate limit: read past and charged when it is short, else the connection is closed. Left to OkHttp, closing the
 * response reads the rest past, uncounted, to keep the connection.
 */
class GeneralSkipTest {
    /** A tenth of a second of 1 MiB/s: the most read past under that limit. */
    private static final int CAP = (1 << 20) / 10;

    /**
     * Asks for {@code size} bytes, reads {@code read} of them and is done with the answer (through {@link
     * Transfer#endUnderLimit} when {@code limit} is set), then asks for 100 bytes more: how many connections the
     * server saw.
     */
    private static int connectionsAfter(RawServer server, int size, int read, RateLimit limit) throws IOException {
        OkHttpClient client = new OkHttpClient();
        try {
            Call call = client.newCall(new Request.Builder().url(server.url("/" + size)).build());
            try (Response r = call.execute()) {
                r.body().source().skip(read);
                if (limit != null) {
                    Transfer.endUnderLimit(call, r.body(), read, limit);
                }
            }
            try (Response r = client.newCall(new Request.Builder().url(server.url("/100")).build()).execute()) {
                assertThat(r.body().bytes()).hasSize(100);
            }
            return server.connections.get();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Test
    void withoutALimitOkHttpReadsTheRestPastToKeepTheConnection() throws IOException {
        try (RawServer s = RawServer.sized()) {
            assertThat(connectionsAfter(s, 2 * CAP, 1000, null)).isEqualTo(1);
        }
    }

    @Test
    void underALimitAShortRestIsReadPastAndPaidFor() throws IOException {
        RateLimit limit = new RateLimit(1 << 20);
        try (RawServer s = RawServer.sized()) {
            assertThat(connectionsAfter(s, CAP + 1000, 1000, limit)).isEqualTo(1);
        }
        assertThat(limit.paid()).isEqualTo(CAP);
    }

    @Test
    void underALimitALongerRestClosesTheConnectionUnread() throws IOException {
        RateLimit limit = new RateLimit(1 << 20);
        try (RawServer s = RawServer.sized()) {
            assertThat(connectionsAfter(s, 2 * CAP, 1000, limit)).isEqualTo(2);
        }
        assertThat(limit.paid()).isZero();
    }

    @Test
    void aWholeAnswerReadLeavesNothingToDo() throws IOException {
        RateLimit limit = new RateLimit(1 << 20);
        try (RawServer s = RawServer.sized()) {
            assertThat(connectionsAfter(s, 5000, 5000, limit)).isEqualTo(1);
        }
        assertThat(limit.paid()).isZero();
    }
}
