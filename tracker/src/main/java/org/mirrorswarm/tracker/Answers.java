package org.mirrorswarm.tracker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.mirrorswarm.live.metalink.MetalinkReader;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.strategies.Digest;

/**
 * The bodies and headers the tracker answers with. A file's Metalink is its cached part (size, hashes,
 * pieces: computed once per hash) followed by the mirrors ranked for this request.
 */
final class Answers {
    private record Cached(Repository.Entry entry, byte[] head, String urlPath) {
    }

    /** Whether a region name is an ISO 3166 country code, which Metalink's location and RFC 6249's geo carry. */
    static boolean isCountry(String region) {
        return region.length() == 2 && region.chars().allMatch(c -> c >= 'a' && c <= 'z');
    }

    /** The URL path of {@code e}, percent-encoded (cached with its Metalink head). */
    String urlPath(Repository.Entry e) {
        return cached(e).urlPath();
    }

    private Cached cached(Repository.Entry e) {
        Cached c = heads.get(e.name());
        if (c == null || c.entry() != e) {
            c = new Cached(e, head(e).getBytes(StandardCharsets.UTF_8), SafeNames.urlPath(e.name()));
            heads.put(e.name(), c);
        }
        return c;
    }

    private final ConcurrentHashMap<String, Cached> heads = new ConcurrentHashMap<>();
    private final String generator;

    Answers(String version) {
        this.generator = "mirrorswarm-tracker/" + version;
    }

    /** Metalink v4 for {@code e} listing {@code mirrors} (best first) and {@code origin} as a dynamic origin. */
    byte[] metalink(Repository.Entry e, List<TrackerConfig.MirrorSpec> mirrors, String origin) {
        Cached c = cached(e);
        StringBuilder sb = new StringBuilder(200 + mirrors.size() * 120);
        String path = c.urlPath();
        for (int i = 0; i < mirrors.size(); i++) {
            TrackerConfig.MirrorSpec m = mirrors.get(i);
            sb.append("    <url priority=\"").append(i + 1).append('"');
            if (isCountry(m.region())) {
                sb.append(" location=\"").append(m.region()).append('"');
            }
            sb.append('>').append(xml(m.url() + path)).append("</url>\n");
        }
        sb.append("  </file>\n");
        if (origin != null) {
            sb.append("  <origin dynamic=\"true\">").append(xml(origin)).append("</origin>\n");
        }
        sb.append("</metalink>\n");
        byte[] tail = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[c.head().length + tail.length];
        System.arraycopy(c.head(), 0, out, 0, c.head().length);
        System.arraycopy(tail, 0, out, c.head().length, tail.length);
        return out;
    }

    private String head(Repository.Entry e) {
        StringBuilder sb = new StringBuilder(512 + e.hashes().pieces().size() * 80);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metalink xmlns=\"").append(MetalinkReader.V4_NS)
                .append("\">\n  <generator>").append(xml(generator)).append("</generator>\n  <published>")
                .append(e.published()).append("</published>\n  <file name=\"").append(xml(e.name()))
                .append("\">\n    <size>").append(e.size()).append("</size>\n    <hash type=\"sha-256\">")
                .append(e.hashes().sha256().hex()).append("</hash>\n");
        if (!e.hashes().pieces().isEmpty()) {
            sb.append("    <pieces length=\"").append(e.hashes().pieceLength()).append("\" type=\"sha-256\">\n");
            for (Digest d : e.hashes().pieces()) {
                sb.append("      <hash>").append(d.hex()).append("</hash>\n");
            }
            sb.append("    </pieces>\n");
        }
        return sb.toString();
    }

    /** RFC 3230 / RFC 6249 {@code Digest} value. */
    static String digestHeader(Repository.Entry e) {
        return "SHA-256=" + Base64.getEncoder().encodeToString(e.hashes().sha256().bytes());
    }

    /** RFC 6249 {@code Link} values for the mirrors after the first. */
    String linkHeader(Repository.Entry e, List<TrackerConfig.MirrorSpec> mirrors) {
        StringBuilder sb = new StringBuilder();
        String path = urlPath(e);
        for (int i = 0; i < mirrors.size(); i++) {
            TrackerConfig.MirrorSpec m = mirrors.get(i);
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('<').append(m.url()).append(path).append(">; rel=duplicate; pri=").append(i + 1);
            if (isCountry(m.region())) {
                sb.append("; geo=").append(m.region());
            }
        }
        return sb.toString();
    }

    static String xml(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> null;
            };
            if (r != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(r);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
