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
    /** A mirror and this file's URL on it. */
    public record Source(Mirror mirror, HttpUrl url) {
        public Source {
            Objects.requireNonNull(mirror, "mirror");
            Objects.requireNonNull(url, "url");
        }
    }

    public LiveFile {
        Objects.requireNonNull(plan, "plan");
        sources = List.copyOf(sources);
    }

    /** The mirror identity of a URL: its host, with the port when it is not the scheme's default. */
    public static String mirrorId(HttpUrl url) {
        int def = HttpUrl.defaultPort(url.scheme());
        return url.port() == def ? url.host() : url.host() + ":" + url.port();
    }

    /** A URL without user name and password, for messages and logs. */
    public static String redact(HttpUrl url) {
        return url.newBuilder().username("").password("").build().toString();
    }
}
