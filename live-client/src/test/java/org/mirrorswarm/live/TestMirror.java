package org.mirrorswarm.live;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okio.Buffer;
import org.mirrorswarm.live.http.ContentRange;

/**
 * A mirror for tests: a MockWebServer on its own loopback address (127.0.0.N, so mirrors are distinct
 * hosts as they are for real) serving one file with correct byte ranges, unless a fault replaces the
 * answer. Records every request and the ranges asked for.
 */
final class TestMirror implements Closeable {
    /** Builds the answer to a request; {@code n} counts this mirror's requests from 0. */
    interface Behaviour extends BiFunction<RecordedRequest, Integer, MockResponse> {
    }

    private static final AtomicInteger NEXT = new AtomicInteger(40);

    final MockWebServer server = new MockWebServer();
    final byte[] content;
    final String path;
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final List<long[]> ranges = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour;
    private final AtomicInteger count = new AtomicInteger();

    TestMirror(byte[] content, String path) throws IOException {
        this(content, path, server -> { });
    }

    /** A mirror whose server {@code setup} configures before it starts (TLS, protocols). */
    TestMirror(byte[] content, String path, java.util.function.Consumer<MockWebServer> setup) throws IOException {
        this.content = content;
        this.path = path;
        this.behaviour = (r, n) -> serve(r);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                requests.add(r);
                long[] range = requestedRange(r);
                if (range != null) {
                    ranges.add(range);
                }
                return behaviour.apply(r, count.getAndIncrement());
            }
        });
        setup.accept(server);
        server.start(InetAddress.getByName("127.0.0." + nextHost()), 0);
    }

    static int nextHost() {
        int n = NEXT.getAndIncrement();
        if (n > 250) {
            NEXT.set(40);
            n = 40;
        }
        return n;
    }

    TestMirror behave(Behaviour b) {
        this.behaviour = b;
        return this;
    }

    HttpUrl url() {
        return server.url(path);
    }

    String host() {
        return LiveFile.mirrorId(url());
    }

    /** [first, last] of the Range header, or null. */
    static long[] requestedRange(RecordedRequest r) {
        String h = r.getHeaders().get("Range");
        if (h == null || !h.startsWith("bytes=")) {
            return null;
        }
        String[] p = h.substring(6).split("-");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    /** A correct answer: 206 with the asked range, or 200 with the whole file, 404 for other paths. */
    MockResponse serve(RecordedRequest r) {
        return serve(r, content);
    }

    MockResponse serve(RecordedRequest r, byte[] data) {
        return serve(r, path, data);
    }

    /** A correct answer for a mirror that holds {@code data} at {@code at}: 404 for other paths. */
    static MockResponse serve(RecordedRequest r, String at, byte[] data) {
        if (!r.getUrl().encodedPath().equals(at)) {
            return new MockResponse.Builder().code(404).build();
        }
        long[] range = requestedRange(r);
        if (range == null) {
            return new MockResponse.Builder().code(200).body(new Buffer().write(data)).build();
        }
        long last = Math.min(range[1], data.length - 1);
        if (range[0] >= data.length) {
            return new MockResponse.Builder().code(416).addHeader("Content-Range", "bytes */" + data.length).build();
        }
        return new MockResponse.Builder().code(206)
                .addHeader("Content-Range", "bytes " + range[0] + "-" + last + "/" + data.length)
                .body(new Buffer().write(data, (int) range[0], (int) (last - range[0] + 1))).build();
    }

    /** Bytes of the file this mirror was asked for, by range. */
    long bytesAsked() {
        long n = 0;
        for (long[] r : ranges) {
            n += r[1] - r[0] + 1;
        }
        return n;
    }

    /** Whether any request asked for a range overlapping [from, to). */
    boolean asked(long from, long to) {
        for (long[] r : ranges) {
            if (r[0] < to && from <= r[1]) {
                return true;
            }
        }
        return false;
    }

    static ContentRange parse(String s) {
        return ContentRange.parse(s);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
