package org.mirrorswarm.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A download's general HTTP client (OkHttp: redirects, chunked answers, HTTP/2, credentials, size probes), built
 * when first asked for. Most downloads never ask: their mirrors are served over the live client's own
 * connections ({@link Pipes}), which need only the client's name resolution, proxy settings and TLS, known
 * without building it. Building one on a cold JVM cost the main thread about 40 ms of processor time as a
 * download starts (OkHttp's platform detection instantiates every security provider, starts
 * {@code java.util.logging} and reads the time-zone database), on two cores that the Metalink's parse, the
 * compilers and the first transfers have no time to spare.
 */
public final class GeneralClient implements Supplier<OkHttpClient> {
    private final FetchOptions options;
    private final Trust.Pending tls;
    private volatile OkHttpClient client;

    private GeneralClient(OkHttpClient client, FetchOptions options, Trust.Pending tls) {
        this.client = client;
        this.options = options;
        this.tls = tls;
    }

    /** A client built already (with its own name resolution, proxy, TLS or pins). */
    public static GeneralClient of(OkHttpClient client) {
        return new GeneralClient(java.util.Objects.requireNonNull(client, "client"), null, null);
    }

    /**
     * {@link LiveDownload#client(FetchOptions, boolean) LiveDownload.client(options, false)} when first asked
     * for, with https over {@code tls} ({@link Trust.Pending#on}) when it is not null (its certificate file
     * read already: see {@link Trust.Pending#awaitFile}), else over the system's TLS.
     */
    public static GeneralClient later(FetchOptions options, Trust.Pending tls) {
        return new GeneralClient(null, java.util.Objects.requireNonNull(options, "options"), tls);
    }

    /** The client, built now if it was not. */
    @Override
    public OkHttpClient get() {
        OkHttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = LiveDownload.client(options, false);
                    if (tls != null) {
                        try {
                            tls.on(c);
                        } catch (IOException e) { // read when the command started: not here
                            throw new UncheckedIOException(e);
                        }
                    }
                    client = c;
                }
            }
        }
        return c;
    }

    /** Whether the client has been built. */
    boolean built() {
        return client != null;
    }

    /**
     * The client's name resolution; for one not built yet, the system's, as it will have: OkHttp's {@link
     * Dns#SYSTEM} is the JDK's look-up on the JVM, but asks OkHttp's platform for it, which is the detection this
     * class spares.
     */
    Dns dns() {
        OkHttpClient c = client;
        return c != null ? c.dns() : SYSTEM;
    }

    private static final Dns SYSTEM = host -> java.util.Arrays.asList(InetAddress.getAllByName(host));

    /** Whether the client would reach {@code url}'s origin without a proxy. */
    boolean direct(HttpUrl url) {
        OkHttpClient c = client;
        Proxy p = c != null ? c.proxy() : null;
        if (p != null) {
            return p.type() == Proxy.Type.DIRECT;
        }
        // OkHttp's own choice for a client with neither: the JVM's default selector, if there is one; one not built
        // yet will have the environment's proxies when its options have them.
        ProxySelector s = c != null ? c.proxySelector()
                : options != null && options.proxies() != null ? options.proxies() : ProxySelector.getDefault();
        if (s == null) {
            return true;
        }
        try {
            List<Proxy> ps = s.select(url.uri());
            return ps == null || ps.isEmpty() || ps.get(0).type() == Proxy.Type.DIRECT;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * How the live client's own connections put TLS on a socket: the client's ({@link LiveDownload#pipeTls}), or
     * for one not built yet what it will have (its TLS being set up, OkHttp's default host-name check).
     */
    Pipe.Tls pipeTls() {
        OkHttpClient c = client;
        if (c != null) {
            return LiveDownload.pipeTls(c);
        }
        return LiveDownload.pipeTls((tls != null ? tls : Trust.Pending.system()).ready());
    }
}
