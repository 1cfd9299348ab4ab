package org.mirrorswarm.live;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.mirrorswarm.live.http.ContentRange;
import org.mirrorswarm.live.http.DigestHeaders;
import org.mirrorswarm.live.http.LinkHeaders;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkException;
import org.mirrorswarm.live.metalink.MetalinkFile;
import org.mirrorswarm.live.metalink.MetalinkReader;
import org.mirrorswarm.live.metalink.MetalinkUrl;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.Mirror;

/**
 * Turns what the user gives into files to fetch: a Metalink (local or by URL), a list of mirror URLs
 * with a SHA-256, or a plain URL whose server speaks Metalink/HTTP (RFC 6249: {@code Link: rel=duplicate}
 * mirrors, {@code Digest} headers, or a {@code rel=describedby} Metalink).
 */
public final class Sources {
    private Sources() {
    }

    /** The files of a Metalink; sizes it leaves out are asked of the mirrors. */
    public static List<LiveFile> fromMetalink(Metalink m, FetchOptions o, Supplier<OkHttpClient> client,
                                              List<String> notes)
            throws IOException {
        List<LiveFile> out = new ArrayList<>();
        for (MetalinkFile f : m.files()) {
            out.add(fromMetalinkFile(f, o, client, notes));
        }
        return out;
    }

    /**
     * One file of a Metalink, as {@link #fromMetalink} plans it; {@code client} is asked for only when the
     * Metalink gives no size.
     */
    public static LiveFile fromMetalinkFile(MetalinkFile f, FetchOptions o, Supplier<OkHttpClient> client,
                                            List<String> notes)
            throws IOException {
        List<LiveFile.Source> sources = sources(f.name(), f.urls(), notes);
        long size = f.size();
        if (size < 0) {
            size = probeSize(client.get(), sources, o);
            if (size < 0) {
                throw new IOException(f.name() + ": the Metalink gives no size and no mirror tells it");
            }
        }
        FilePlan plan;
        Digest whole = f.strongestHash();
        if (f.pieces() != null) {
            long expected = size == 0 ? 0 : (size + f.pieces().length() - 1) / f.pieces().length();
            if (f.pieces().hashes().size() != expected) {
                throw new IOException(f.name() + ": " + f.pieces().hashes().size() + " piece hashes for " + expected
                        + " pieces");
            }
            plan = new FilePlan(f.name(), size, f.pieces().length(), f.pieces().hashes(), whole);
        } else {
            plan = new FilePlan(f.name(), size, o.pieceLength(), List.of(), whole);
            if (whole != null) {
                notes.add(f.name() + ": no piece hashes; only the whole file's " + whole.algorithm().metalinkName()
                        + " is checked, at the end");
            }
        }
        return new LiveFile(plan, sources);
    }

    /** One file from mirror URLs, most preferred first, with its whole-file hash (no piece hashes). */
    public static LiveFile fromMirrors(String name, List<String> urls, Digest whole, long size, FetchOptions o,
                                       OkHttpClient client, List<String> notes) throws IOException {
        String problem = SafeNames.problem(name);
        if (problem != null) {
            throw new IOException("refusing file name '" + SafeNames.printable(name) + "': " + problem);
        }
        List<MetalinkUrl> mu = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            mu.add(new MetalinkUrl(urls.get(i), i + 1, "", 0));
        }
        List<LiveFile.Source> sources = sources(name, mu, notes);
        if (sources.isEmpty()) {
            throw new IOException(name + ": no usable http(s) mirror URL");
        }
        long s = size >= 0 ? size : probeSize(client, sources, o);
        if (s < 0) {
            throw new IOException(name + ": no mirror tells the size; give --size");
        }
        notes.add(whole == null ? name + ": no hash at all; fetched unverified (--allow-unverified)"
                : name + ": no piece hashes; pieces are checked as a whole file (" + whole.algorithm().metalinkName()
                + ") at the end, and a mismatch is traced to its mirror by fetching again");
        return new LiveFile(new FilePlan(name, s, o.pieceLength(), List.of(), whole), sources);
    }

    private static List<LiveFile.Source> sources(String file, List<MetalinkUrl> urls, List<String> notes) {
        Map<String, LiveFile.Source> byMirror = new LinkedHashMap<>();
        for (MetalinkUrl u : urls) {
            // Most URLs are put together only if asked for (LiveFile.Source.later): the origin says the mirror.
            HttpUrls.Split split = HttpUrls.split(u.url());
            HttpUrl url = split != null ? split.origin() : HttpUrl.parse(u.url());
            if (url == null) {
                notes.add(file + ": not an http(s) URL, skipped: " + SafeNames.printable(u.url()));
                continue;
            }
            String id = LiveFile.mirrorId(url);
            if (byMirror.containsKey(id)) {
                notes.add(file + ": a second URL on " + id + " skipped (one mirror, one identity)");
                continue;
            }
            Mirror m = new Mirror(id, 1.0, u.maxConnections(), u.location());
            byMirror.put(id, split != null ? LiveFile.Source.later(m, url, split.rest()) : new LiveFile.Source(m, url));
        }
        return new ArrayList<>(byMirror.values());
    }

    /** The size a mirror reports for the file (HEAD, else a one-byte range), or -1. */
    static long probeSize(OkHttpClient client, List<LiveFile.Source> sources, FetchOptions o) {
        for (LiveFile.Source s : sources) {
            HttpUrl url = s.url().newBuilder().username("").password("").build();
            try (Response r = LiveDownload.newCall(client, new Request.Builder().url(url).head()
                    .header("Accept-Encoding", "identity").header("User-Agent", o.userAgent()).build()).execute()) {
                if (r.code() == 200) {
                    String cl = r.header("Content-Length");
                    long n = cl == null ? -1 : ContentRange.number(cl.strip());
                    if (n >= 0) {
                        return n;
                    }
                }
            } catch (IOException e) {
                // try the next mirror
            }
            try (Response r = LiveDownload.newCall(client, new Request.Builder().url(url).header("Range", "bytes=0-0")
                    .header("Accept-Encoding", "identity").header("User-Agent", o.userAgent()).build()).execute()) {
                ContentRange cr = r.code() == 206 ? ContentRange.parse(r.header("Content-Range")) : null;
                if (cr != null && cr.complete() >= 0) {
                    return cr.complete();
                }
            } catch (IOException e) {
                // try the next mirror
            }
        }
        return -1;
    }

    /** What a URL turned out to be: a Metalink document, or a file with RFC 6249 mirrors. */
    public record Resolved(Metalink metalink, LiveFile file) {
    }

    /**
     * Resolves a URL: a Metalink (by media type or a {@code .meta4}/{@code .metalink} name) is fetched and
     * parsed with a size cap; otherwise the server's RFC 6249 {@code Link} and {@code Digest} headers give
     * the mirrors and the hash (a {@code rel=describedby} Metalink is followed instead when offered). Without a
     * {@code Digest}, only with {@link FetchOptions#allowUnverified}: the file is then fetched unchecked.
     */
    public static Resolved resolve(String url, FetchOptions o, OkHttpClient client, List<String> notes)
            throws IOException, MetalinkException {
        HttpUrl u = HttpUrl.parse(url);
        if (u == null) {
            throw new IOException("not an http(s) URL: " + SafeNames.printable(url));
        }
        String path = u.encodedPath().toLowerCase(java.util.Locale.ROOT);
        if (path.endsWith(".meta4") || path.endsWith(".metalink")) {
            return new Resolved(fetchMetalink(u, o, client), null);
        }
        String name = u.pathSegments().get(u.pathSize() - 1); // from the URL asked for, never from a server
        HttpUrl at = u;
        for (int hop = 0; ; hop++) {
            try (Response r = LiveDownload.newCall(client, new Request.Builder().url(at).head().header("Want-Digest", "SHA-256")
                    .header("Accept-Encoding", "identity").header("User-Agent", o.userAgent()).build()).execute()) {
                String type = r.header("Content-Type", "").toLowerCase(java.util.Locale.ROOT);
                if (type.startsWith("application/metalink4+xml") || type.startsWith("application/metalink+xml")) {
                    return new Resolved(fetchMetalink(at, o, client), null);
                }
                boolean redirect = r.code() == 301 || r.code() == 302 || r.code() == 303 || r.code() == 307
                        || r.code() == 308;
                HttpUrl location = redirect && r.header("Location") != null ? at.resolve(r.header("Location")) : null;
                if (r.code() != 200 && location == null) {
                    throw new IOException(LiveFile.redact(at) + ": HTTP " + r.code());
                }
                List<LinkHeaders.Link> links = LinkHeaders.parse(r.headers("Link"), at.uri());
                for (LinkHeaders.Link l : links) {
                    if (l.rel().equals("describedby") && l.type().startsWith("application/metalink4+xml")) {
                        return new Resolved(fetchMetalink(HttpUrl.get(l.target()), o, client), null);
                    }
                }
                Digest d = DigestHeaders.strongest(r.headers("Digest")).orElse(null);
                if (d == null && location != null) {
                    // A plain redirect: ask where it leads (a mirror may send the headers itself).
                    if (hop >= o.maxRedirects()) {
                        throw new IOException(LiveFile.redact(u) + ": more than " + o.maxRedirects() + " redirects");
                    }
                    at = location;
                    continue;
                }
                if (d == null && !o.allowUnverified()) {
                    throw new IOException(LiveFile.redact(at) + ": the server sends no Digest header and no Metalink; "
                            + "give --sha256 and --mirror instead (or --allow-unverified to fetch it unchecked)");
                }
                // A 200 tells the size; a redirect's Content-Length is its own little body's, so the mirrors are asked.
                String cl = location == null ? r.header("Content-Length") : null;
                long size = cl == null ? -1 : ContentRange.number(cl.strip());
                List<LinkHeaders.Link> dups = new ArrayList<>();
                for (LinkHeaders.Link l : links) {
                    if (l.rel().equals("duplicate")) {
                        dups.add(l);
                    }
                }
                dups.sort(java.util.Comparator.comparingInt(LinkHeaders.Link::pri));
                List<String> urls = new ArrayList<>();
                urls.add(location != null ? location.toString() : at.toString());
                for (LinkHeaders.Link l : dups) {
                    urls.add(l.target().toString());
                }
                if (d == null && location == null && dups.isEmpty()) {
                    notes.add(LiveFile.redact(u) + ": a plain download (no RFC 6249 mirrors, no digest)");
                } else {
                    notes.add(LiveFile.redact(u) + ": RFC 6249 gave " + (location != null ? dups.size() + 1 : dups.size())
                            + " mirrors" + (location != null ? " (a redirect and its duplicates)" : "")
                            + (d != null ? " and a " + d.algorithm().metalinkName() + " digest" : " and no digest"));
                }
                return new Resolved(null, fromMirrors(name, urls, d, size, o, client, notes));
            }
        }
    }

    /** Fetches a Metalink document, refusing one larger than {@link MetalinkReader#MAX_BYTES}. */
    public static Metalink fetchMetalink(HttpUrl u, FetchOptions o, OkHttpClient client) throws IOException,
            MetalinkException {
        try (Response r = LiveDownload.newCall(client, new Request.Builder().url(u).header("User-Agent", o.userAgent())
                .header("Accept", "application/metalink4+xml, application/metalink+xml;q=0.9").build()).execute()) {
            if (r.code() != 200) {
                throw new IOException(LiveFile.redact(u) + ": HTTP " + r.code());
            }
            String cl = r.header("Content-Length");
            if (cl != null && ContentRange.number(cl.strip()) > MetalinkReader.MAX_BYTES) {
                throw new MetalinkException(LiveFile.redact(u) + ": larger than " + (MetalinkReader.MAX_BYTES >> 20)
                        + " MiB; refusing to fetch it");
            }
            byte[] doc = MetalinkReader.readCapped(r.body().byteStream(), LiveFile.redact(u));
            return MetalinkReader.parse(doc, LiveFile.redact(u), u.uri());
        }
    }

    /** Fetches up to {@code cap} bytes of {@code u} (a manifest, a mirror list); more is refused. */
    public static byte[] fetchCapped(HttpUrl u, int cap, FetchOptions o, OkHttpClient client) throws IOException {
        try (Response r = LiveDownload.newCall(client, new Request.Builder().url(u).header("User-Agent", o.userAgent())
                .header("Accept-Encoding", "identity").build()).execute()) {
            if (r.code() != 200) {
                throw new IOException(LiveFile.redact(u) + ": HTTP " + r.code());
            }
            byte[] b = r.body().byteStream().readNBytes(cap + 1);
            if (b.length > cap) {
                throw new IOException(LiveFile.redact(u) + ": larger than " + (cap >> 20) + " MiB; aborted");
            }
            return b;
        }
    }

    /**
     * Files of a verified repository manifest ({@code names} of them, or all when empty), each from every
     * mirror base URL given (hints: nothing they serve is trusted beyond the manifest's hashes).
     */
    public static List<LiveFile> fromManifest(org.mirrorswarm.live.manifest.RepoManifest m, List<String> names,
                                              List<String> mirrorBases, List<String> notes) throws IOException {
        List<org.mirrorswarm.live.manifest.RepoManifest.Entry> chosen = new ArrayList<>();
        if (names.isEmpty()) {
            chosen.addAll(m.entries());
        } else {
            for (String n : names) {
                var e = m.entry(n);
                if (e == null) {
                    throw new IOException(n + ": not in the repository manifest");
                }
                chosen.add(e);
            }
        }
        List<LiveFile> out = new ArrayList<>();
        for (var e : chosen) {
            List<MetalinkUrl> urls = new ArrayList<>();
            for (int i = 0; i < mirrorBases.size(); i++) {
                String base = mirrorBases.get(i).endsWith("/") ? mirrorBases.get(i) : mirrorBases.get(i) + "/";
                urls.add(new MetalinkUrl(base + SafeNames.urlPath(e.name()), i + 1, "", 0));
            }
            List<LiveFile.Source> sources = sources(e.name(), urls, notes);
            if (sources.isEmpty()) {
                throw new IOException(e.name() + ": no usable http(s) mirror");
            }
            out.add(new LiveFile(new FilePlan(e.name(), e.size(), m.pieceLength(), e.pieces(), e.sha256()), sources));
        }
        return out;
    }
}
