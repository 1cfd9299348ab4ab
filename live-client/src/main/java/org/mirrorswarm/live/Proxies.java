package org.mirrorswarm.live;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * The proxies of the Unix environment, as curl, wget, apt and dnf read them: {@code http_proxy} for http
 * URLs, {@code https_proxy} (or {@code HTTPS_PROXY}) for https ones, {@code all_proxy} (or {@code ALL_PROXY})
 * for either when its own is not set, and {@code no_proxy} (or {@code NO_PROXY}): a comma-separated list of
 * host names, each matching itself and its sub-domains (a leading dot or {@code *.} is allowed), IP
 * addresses, CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}: for hosts given as addresses), or {@code *} for
 * every host; a name or address may carry a port ({@code mirror.lan:8080}, {@code [fd00::1]:8080}), and then
 * matches that port only, as Go's and Python's readers take it (curl ignores such an entry); this machine's own
 * names and addresses always go direct. {@code HTTP_PROXY} in capitals is not read, as curl does not: a CGI
 * program gets it from a request's {@code Proxy:} header ("httpoxy"). A proxy is {@code http://[user:password@]host[:port]}
 * (port 1080 by default, curl's), or {@code host:port}; credentials are sent to the proxy (Basic) and never
 * printed.
 */
public final class Proxies extends ProxySelector {
    private final Proxy http;
    private final Proxy https;
    private final String httpCredentials;
    private final String httpsCredentials;
    private final List<NoProxy> noProxy;

    /** An entry of no_proxy: a name, address or block (lower case, brackets off), and its port or -1 for any. */
    private record NoProxy(String host, int port) {
        static NoProxy of(String entry) {
            String h = entry;
            int port = -1;
            int colon = h.lastIndexOf(':');
            boolean bracketed = h.startsWith("[");
            // A port after "]" or after a name's or IPv4 address's only colon (an IPv6 address has several).
            if (colon > 0 && (bracketed ? h.charAt(colon - 1) == ']' : h.indexOf(':') == colon)
                    && h.substring(colon + 1).matches("\\d{1,5}")) {
                port = Integer.parseInt(h.substring(colon + 1));
                h = h.substring(0, colon);
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            return new NoProxy(h, port);
        }
    }

    private Proxies(Proxy http, String httpCredentials, Proxy https, String httpsCredentials, List<NoProxy> noProxy) {
        this.http = http;
        this.https = https;
        this.httpCredentials = httpCredentials;
        this.httpsCredentials = httpsCredentials;
        this.noProxy = noProxy;
    }

    /**
     * The proxies {@code env} names, or null when it names none.
     *
     * @throws IllegalArgumentException naming the variable, when a value is not a proxy this client can use
     */
    public static Proxies fromEnvironment(Map<String, String> env) {
        String[] http = pick(env, "http_proxy", null, "all_proxy", "ALL_PROXY");
        String[] https = pick(env, "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");
        if (http == null && https == null) {
            return null;
        }
        HttpUrl h = http == null ? null : parse(http[0], http[1]);
        HttpUrl s = https == null ? null : parse(https[0], https[1]);
        String[] no = pick(env, "no_proxy", "NO_PROXY", null, null);
        List<NoProxy> hosts = new ArrayList<>();
        if (no != null) {
            for (String e : no[1].split(",")) {
                String t = e.strip().toLowerCase(Locale.ROOT);
                if (t.startsWith("*.")) {
                    t = t.substring(1);
                }
                if (!t.isEmpty()) {
                    hosts.add(NoProxy.of(t));
                }
            }
        }
        return new Proxies(proxy(h), credentials(h), proxy(s), credentials(s), List.copyOf(hosts));
    }

    /** The first of the names set to something, as {name, value}. */
    private static String[] pick(Map<String, String> env, String lower, String upper, String all, String allUpper) {
        for (String n : new String[] {lower, upper, all, allUpper}) {
            if (n != null && env.get(n) != null && !env.get(n).isBlank()) {
                return new String[] {n, env.get(n).strip()};
            }
        }
        return null;
    }

    private static HttpUrl parse(String name, String value) {
        String v = value.contains("://") ? value : "http://" + value;
        String scheme = v.substring(0, v.indexOf("://")).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(name + ": a " + scheme + ":// proxy is not supported (http:// only)");
        }
        String authority = v.substring(v.indexOf("://") + 3);
        if (authority.indexOf('/') >= 0) {
            authority = authority.substring(0, authority.indexOf('/'));
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        boolean port = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
        HttpUrl u = HttpUrl.parse(v);
        if (u == null) {
            // without what may be credentials
            throw new IllegalArgumentException(name + ": not a proxy URL: " + value.replaceFirst("^(\\w+://)?[^@/]*@", "$1"));
        }
        return port ? u : u.newBuilder().port(1080).build();
    }

    private static Proxy proxy(HttpUrl u) {
        return u == null ? null : new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.host(), u.port()));
    }

    private static String credentials(HttpUrl u) {
        return u == null || u.username().isEmpty() ? null : Credentials.basic(u.username(), u.password());
    }

    /**
     * Whether {@code host} (at {@code port}) is kept away from the proxy: by {@code no_proxy}, or as this
     * machine's own (localhost, 127.0.0.0/8, ::1), which a proxy elsewhere cannot reach (Go's net/http and the
     * JVM's defaults do the same).
     */
    boolean bypassed(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        byte[] ip = null;
        boolean parsed = false;
        for (NoProxy e : noProxy) {
            String n = e.host();
            if (e.port() >= 0 && e.port() != port) {
                continue;
            }
            if (n.indexOf('/') > 0) { // a CIDR block, as curl 7.86 and later read one: IP literals in it go direct
                if (!parsed) {
                    ip = literal(h);
                    parsed = true;
                }
                if (ip != null && inBlock(ip, n)) {
                    return true;
                }
                continue;
            }
            String bare = n.startsWith(".") ? n.substring(1) : n;
            if (n.equals("*") || h.equals(bare) || h.endsWith("." + bare)) {
                return true;
            }
        }
        return false;
    }

    /** Whether address {@code ip} is in {@code block} ("10.0.0.0/8", "fd00::/8"); false for a malformed block. */
    private static boolean inBlock(byte[] ip, String block) {
        int slash = block.indexOf('/');
        String a = block.substring(0, slash);
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        byte[] net = literal(a);
        int bits;
        try {
            bits = Integer.parseInt(block.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (net == null || net.length != ip.length || bits < 0 || bits > 8 * ip.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i & 7);
            if ((ip[i >> 3] & mask) != (net[i >> 3] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (never a name lookup). */
    private static byte[] literal(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = host.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (host.indexOf(':') < 0 || !host.matches("[0-9a-f:.]+")) {
            return null;
        }
        try {
            // In brackets the JDK parses it as an IPv6 literal or refuses it; it never asks a name server.
            return java.net.InetAddress.getByName("[" + host + "]").getAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    @Override
    public List<Proxy> select(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Proxy p = scheme.equals("https") ? https : scheme.equals("http") ? http : null;
        if (p == null || uri.getHost() == null
                || bypassed(uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80)) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(p);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // one proxy per scheme: nothing to fall back to
    }

    /** The Proxy-Authorization value for {@code proxy}, or null when it was given no credentials. */
    String credentialsFor(Proxy proxy) {
        if (proxy.equals(https) && httpsCredentials != null) {
            return httpsCredentials;
        }
        return proxy.equals(http) ? httpCredentials : null;
    }

    /** OkHttp's answer to a proxy's 407: the credentials once, then give up (no loop of refusals). */
    public okhttp3.Authenticator authenticator() {
        return (route, response) -> {
            if (route == null || response.request().header("Proxy-Authorization") != null) {
                return null;
            }
            String c = credentialsFor(route.proxy());
            return c == null ? null : response.request().newBuilder().header("Proxy-Authorization", c).build();
        };
    }
}
