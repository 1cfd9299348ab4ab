package org.mirrorswarm.live;

import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.Mirror;

/**
 * One file to fetch: its plan (size, pieces, hashes; the name is a checked relative path) and where each
 * mirror serves it, most preferred first.
 */
public record LiveFile(FilePlan plan, List<Source> sources) {
    /**
     * A mirror and this file's URL on it. A URL read from a Metalink may be kept as its mirror's origin (scheme,
     * host, port; parsed once per mirror) and the rest of it, and put together only when first asked for: a
     * file is mostly fetched from one or two of its mirrors, and making every URL of a 200-file, 4-mirror
     * Metalink (OkHttp checks and re-encodes each path) cost the download's start about 23 ms of processor
     * time, for 800 URLs of which it never asks 600.
     */
    public static final class Source {
        private final Mirror mirror;
        private final HttpUrl origin;
        private final String rest;
        private volatile HttpUrl url;

        public Source(Mirror mirror, HttpUrl url) {
            this.mirror = Objects.requireNonNull(mirror, "mirror");
            this.url = Objects.requireNonNull(url, "url");
            this.origin = null;
            this.rest = null;
        }

        private Source(Mirror mirror, HttpUrl origin, String rest) {
            this.mirror = Objects.requireNonNull(mirror, "mirror");
            this.origin = Objects.requireNonNull(origin, "origin");
            this.rest = Objects.requireNonNull(rest, "rest");
        }

        /**
         * The source at {@code origin.resolve(rest)}, resolved when first asked for. {@code rest} must be empty
         * or start with {@code /}, {@code ?} or {@code #} (not {@code //}), and hold only printable ASCII: such
         * a reference keeps the origin and always resolves ({@link HttpUrls#split}).
         */
        static Source later(Mirror mirror, HttpUrl origin, String rest) {
            return rest.isEmpty() ? new Source(mirror, origin) : new Source(mirror, origin, rest);
        }

        public Mirror mirror() {
            return mirror;
        }

        public HttpUrl url() {
            HttpUrl u = url;
            if (u == null) {
                u = origin.resolve(rest);
                if (u == null) { // not for a rest as later() requires
                    throw new IllegalStateException("cannot resolve " + rest + " against " + origin);
                }
                url = u;
            }
            return u;
        }

        /** Sources are equal when their mirrors and URLs are (each URL put together to compare it). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Source s && mirror.equals(s.mirror) && url().equals(s.url());
        }

        @Override
        public int hashCode() {
            return Objects.hash(mirror, url());
        }

        @Override
        public String toString() {
            return "Source[mirror=" + mirror + ", url=" + url() + "]";
        }
    }

    public LiveFile {
        Objects.requireNonNull(plan, "plan");
        sources = List.copyOf(sources);
    }

    /** The mirror identity of a URL: its host, with the port when it is not the scheme's default. */
    public static String mirrorId(HttpUrl url) {
        int def = HttpUrl.defaultPort(url.scheme());
        String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host(); // IPv6: [::1]:8081, not ::1:8081
        return url.port() == def ? host : host + ":" + url.port();
    }

    /** A URL without user name and password, for messages and logs. */
    public static String redact(HttpUrl url) {
        return url.newBuilder().username("").password("").build().toString();
    }
}
