package org.mirrorswarm.live;

import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * {@link HttpUrl#parse} with each scheme and authority parsed once. OkHttp runs every host through IDNA
 * mapping and NFC normalisation (even {@code 127.0.0.11}); a Metalink of 200 files on 4 mirrors has 800 URLs
 * but 4 hosts, and on a cold JVM those 800 host mappings cost about 50 ms of CPU while the download starts.
 * The rest of a URL (path, query, fragment) is resolved against the cached origin, which is what
 * {@link HttpUrl#parse} does with it after the authority; anything unusual (no "//", a byte outside printable
 * ASCII) takes the plain parse.
 */
final class HttpUrls {
    private static final int MAX_ORIGINS = 1024;
    private static final ConcurrentHashMap<String, HttpUrl> ORIGINS = new ConcurrentHashMap<>();

    private HttpUrls() {
    }

    /** The same as {@link HttpUrl#parse(String)}: the URL, or null when it is not a well-formed http(s) URL. */
    static HttpUrl parse(String url) {
        Split s = split(url);
        if (s == null) {
            return HttpUrl.parse(url);
        }
        return s.rest().isEmpty() ? s.origin() : s.origin().resolve(s.rest());
    }

    /**
     * A URL of the simple form as its parsed origin and the rest (empty, or starting with {@code /}, {@code ?}
     * or {@code #}), which resolved against that origin gives what {@link HttpUrl#parse} gives for the whole;
     * null when the URL is not of that form or its origin is not a well-formed http(s) origin.
     */
    static Split split(String url) {
        int end = authorityEnd(url);
        if (end < 0) {
            return null;
        }
        String origin = url.substring(0, end);
        HttpUrl base = ORIGINS.get(origin);
        if (base == null) {
            base = HttpUrl.parse(origin);
            if (base == null) {
                return null;
            }
            if (ORIGINS.size() < MAX_ORIGINS) {
                ORIGINS.putIfAbsent(origin, base);
            }
        }
        return new Split(base, url.substring(end));
    }

    /** An origin, and the rest of a URL on it. */
    record Split(HttpUrl origin, String rest) {
    }

    /**
     * Where the authority of an {@code http://} or {@code https://} URL ends (its first {@code / \ ? #}, or
     * the end), or -1 when the URL is not of that simple form or its path starts with two slashes.
     */
    static int authorityEnd(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return -1; // whitespace is trimmed, tabs and newlines dropped, non-ASCII mapped: the plain parse
            }
        }
        int start = url.regionMatches(true, 0, "http://", 0, 7) ? 7
                : url.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (start < 0 || start == url.length()) {
            return -1;
        }
        char first = url.charAt(start);
        if (first == '/' || first == '\\') {
            return -1; // more slashes than two
        }
        for (int i = start; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
            if (c == '/' || c == '\\') {
                // Two slashes would make the rest, resolved on its own, a reference to another host.
                boolean twice = i + 1 < url.length() && (url.charAt(i + 1) == '/' || url.charAt(i + 1) == '\\');
                return twice ? -1 : i;
            }
        }
        return url.length();
    }
}
