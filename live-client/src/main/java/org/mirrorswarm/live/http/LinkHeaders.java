package org.mirrorswarm.live.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RFC 8288 {@code Link} header values as Metalink/HTTP (RFC 6249) uses them: {@code <URL>; rel=duplicate;
 * pri=N; geo=cc} for mirrors and {@code <URL>; rel=describedby; type="application/metalink4+xml"} for a
 * Metalink. Malformed links are skipped.
 */
public final class LinkHeaders {
    /** One link: its target resolved against the request URL, and its parameters. */
    public record Link(URI target, String rel, int pri, String geo, String type) {
    }

    private LinkHeaders() {
    }

    /** Every link in the given header values, in order. */
    public static List<Link> parse(List<String> values, URI base) {
        List<Link> out = new ArrayList<>();
        for (String value : values) {
            int i = 0;
            while (i < value.length()) {
                int lt = value.indexOf('<', i);
                if (lt < 0) {
                    break;
                }
                int gt = value.indexOf('>', lt);
                if (gt < 0) {
                    break;
                }
                String target = value.substring(lt + 1, gt).strip();
                int end = nextLinkStart(value, gt + 1);
                String params = value.substring(gt + 1, end);
                if (params.endsWith(",")) {
                    params = params.substring(0, params.length() - 1);
                }
                i = end;
                String rel = "";
                int pri = 999_999;
                String geo = "";
                String type = "";
                for (String p : params.split(";")) {
                    int eq = p.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String k = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    String v = p.substring(eq + 1).strip();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    switch (k) {
                        case "rel" -> rel = v.toLowerCase(Locale.ROOT);
                        case "pri" -> {
                            long n = ContentRange.number(v);
                            pri = n >= 1 && n <= 999_999 ? (int) n : 999_999;
                        }
                        case "geo" -> geo = v.toLowerCase(Locale.ROOT);
                        case "type" -> type = v.toLowerCase(Locale.ROOT);
                        default -> {
                        }
                    }
                }
                try {
                    URI u = base == null ? new URI(target) : base.resolve(new URI(target));
                    out.add(new Link(u, rel, pri, geo, type));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // a malformed link is no mirror
                }
            }
        }
        return out;
    }

    /** Index of the comma that starts the next link (outside quotes), or the end. */
    private static int nextLinkStart(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i + 1;
            }
        }
        return s.length();
    }
}
