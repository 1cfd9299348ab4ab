package org.mirrorswarm.live.metalink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * Reads Metalink v4 (RFC 5854) and v3 (metalinker.org, as MirrorManager and aria2 write it) with the
 * JDK's StAX parser: no DTD, no external entities, a size cap on the document and on every count in it.
 * Unknown elements are skipped; what is skipped for a reason (ftp and rsync URLs, unknown hash types,
 * a malformed weak hash) is listed in {@link Metalink#notes()}. Anything that makes a file unusable or
 * unsafe (a bad name, a bad size, inconsistent pieces) is a {@link MetalinkException} naming the line.
 */
public final class MetalinkReader {
    public static final String V4_NS = "urn:ietf:params:xml:ns:metalink";
    public static final String V3_NS = "http://www.metalinker.org/";
    /** mirrorswarm's extension namespace (RFC 5854 §4.2 allows foreign elements): {@code expires}. */
    public static final String MIRRORSWARM_NS = "https://mirrorswarm.org/ns/metalink";
    /** Largest document accepted. */
    public static final int MAX_BYTES = 16 << 20;
    private static final int MAX_FILES = 100_000;
    private static final int MAX_URLS = 10_000;
    private static final int MAX_PIECES = 1 << 24;
    private static final int MAX_TEXT = 1 << 20;

    private final String source;
    private final URI base;
    private final Consumer<MetalinkFile> onFile;
    private final List<String> notes = new ArrayList<>();
    private XMLStreamReader r;

    private MetalinkReader(String source, URI base, Consumer<MetalinkFile> onFile) {
        this.source = source;
        this.base = base;
        this.onFile = onFile;
    }

    /**
     * A class, not {@code Comparator.comparingInt}: the JDK spins that one's lambda at every start (it is not
     * in the class-data archive), on the thread that reads a fetch's Metalink ahead.
     */
    private static final Comparator<MetalinkUrl> BY_PRIORITY = new Comparator<>() {
        @Override
        public int compare(MetalinkUrl a, MetalinkUrl b) {
            return Integer.compare(a.priority(), b.priority());
        }
    };

    /**
     * Parses a document. {@code source} names it in messages; {@code base} resolves relative URLs (the
     * URL the document was fetched from), or null for a local file, whose relative URLs are skipped.
     */
    public static Metalink parse(byte[] document, String source, URI base) throws MetalinkException {
        return parse(document, source, base, f -> { });
    }

    /**
     * Parses a document as {@link #parse(byte[], String, URI)} does, handing each file to {@code onFile} as
     * soon as it has been read (a caller can start planning while the rest is parsed). The files handed
     * over mean nothing until this returns: a later error refuses the whole document.
     */
    public static Metalink parse(byte[] document, String source, URI base, Consumer<MetalinkFile> onFile)
            throws MetalinkException {
        if (document.length > MAX_BYTES) {
            throw new MetalinkException(source + ": larger than " + (MAX_BYTES >> 20) + " MiB; refusing to parse it");
        }
        return new MetalinkReader(source, base, onFile).read(text(document, source));
    }

    /**
     * The document as text, decoded here rather than by the parser: the JDK's parser prints "[Fatal Error] …" to
     * the process's standard error for bytes that are not in the document's encoding (a binary file given as a
     * Metalink), besides throwing. The encoding is the byte-order mark's, else the XML declaration's, else UTF-8.
     */
    static java.io.Reader text(byte[] d, String source) throws MetalinkException {
        java.nio.charset.Charset cs = StandardCharsets.UTF_8;
        int skip = 0;
        if (d.length >= 3 && (d[0] & 0xff) == 0xef && (d[1] & 0xff) == 0xbb && (d[2] & 0xff) == 0xbf) {
            skip = 3;
        } else if (d.length >= 2 && (d[0] & 0xff) == 0xfe && (d[1] & 0xff) == 0xff) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (d.length >= 2 && (d[0] & 0xff) == 0xff && (d[1] & 0xff) == 0xfe) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else {
            String declared = declaredEncoding(d);
            if (declared != null) {
                try {
                    cs = java.nio.charset.Charset.forName(declared);
                } catch (IllegalArgumentException e) {
                    throw new MetalinkException(source + ": encoding '" + SafeNames.printable(declared) + "' unknown");
                }
            }
        }
        if (cs.equals(StandardCharsets.UTF_8)) {
            // The common case, on the way to a fetch's first request: the String constructor is a few times faster
            // than a decoder on a cold JVM, and marks what it cannot decode with U+FFFD, which a Metalink of ASCII
            // (Latin-1 inside the String) is found not to hold at once.
            String text = new String(d, skip, d.length - skip, StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') < 0) {
                return new java.io.StringReader(text);
            }
        }
        try {
            return new java.io.StringReader(cs.newDecoder().decode(java.nio.ByteBuffer.wrap(d, skip, d.length - skip))
                    .toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MetalinkException(source + ": not a Metalink (not " + cs.name() + " text)");
        }
    }

    /** The encoding an XML declaration at the start names ({@code <?xml version="1.0" encoding="…"?>}), or null. */
    private static String declaredEncoding(byte[] d) {
        String head = new String(d, 0, Math.min(d.length, 200), StandardCharsets.ISO_8859_1);
        int close = head.indexOf("?>");
        if (!head.startsWith("<?xml") || close < 0) {
            return null;
        }
        int at = head.indexOf("encoding", 5);
        if (at < 0 || at > close) {
            return null;
        }
        int i = space(head, at + "encoding".length(), close);
        if (i >= close || head.charAt(i) != '=') {
            return null;
        }
        i = space(head, i + 1, close);
        if (i >= close || (head.charAt(i) != '"' && head.charAt(i) != '\'')) {
            return null;
        }
        int end = head.indexOf(head.charAt(i), i + 1);
        return end < 0 || end > close ? null : head.substring(i + 1, end);
    }

    /** The first index from {@code i} that is not XML white space, or {@code end}. */
    private static int space(String s, int i, int end) {
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    /** Reads at most {@link #MAX_BYTES} from a stream, failing beyond (an endless document is cut off). */
    public static byte[] readCapped(InputStream in, String source) throws IOException, MetalinkException {
        byte[] b = in.readNBytes(MAX_BYTES + 1);
        if (b.length > MAX_BYTES) {
            throw new MetalinkException(source + ": larger than " + (MAX_BYTES >> 20) + " MiB; aborted");
        }
        return b;
    }

    private Metalink read(java.io.Reader in) throws MetalinkException {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory(); // the JDK's own, whatever else is on the class path
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException ignored) {
            // not every StAX implementation knows it; DTDs are refused below anyway
        }
        try {
            r = f.createXMLStreamReader(in);
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.DTD) {
                    throw error("a DOCTYPE is not allowed in a Metalink");
                }
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    return root();
                }
            }
            throw new MetalinkException(source + ": empty document");
        } catch (RuntimeException e) {
            throw new MetalinkException(source + ": unreadable Metalink: " + e.getMessage(), e);
        } catch (XMLStreamException e) {
            Location l = e.getLocation();
            String msg = e.getMessage() == null ? "malformed XML" : e.getMessage().replaceAll("^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
            throw new MetalinkException(source + (l != null ? ":" + l.getLineNumber() + ":" + l.getColumnNumber() : "")
                    + ": not well-formed XML: " + msg.strip(), e);
        }
    }

    private MetalinkException error(String message) {
        Location l = r.getLocation();
        return new MetalinkException(source + ":" + l.getLineNumber() + ":" + l.getColumnNumber() + ": " + message);
    }

    private Metalink root() throws XMLStreamException, MetalinkException {
        String ns = r.getNamespaceURI();
        if (!"metalink".equals(r.getLocalName())) {
            throw error("not a Metalink: the root element is <" + r.getLocalName() + ">");
        }
        int version;
        if (V4_NS.equals(ns)) {
            version = 4;
        } else if (V3_NS.equals(ns) || (ns == null || ns.isEmpty()) && "3.0".equals(attr("version"))) {
            version = 3;
        } else {
            throw error("not a Metalink: unknown namespace '" + ns + "'");
        }
        Instant published = null;
        Instant updated = null;
        Instant expires = null;
        String origin = null;
        List<MetalinkFile> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (version == 3 && attr("pubdate") != null) {
            published = rfc1123(attr("pubdate"));
        }
        while (nextChild()) {
            String name = r.getLocalName();
            String ens = r.getNamespaceURI();
            if (MIRRORSWARM_NS.equals(ens) && name.equals("expires")) {
                expires = rfc3339(text());
            } else if (!ns(ens, version)) {
                skip();
            } else if (version == 4 && name.equals("published")) {
                published = rfc3339(text());
            } else if (version == 4 && name.equals("updated")) {
                updated = rfc3339(text());
            } else if (version == 4 && name.equals("origin")) {
                origin = text().strip();
            } else if (version == 4 && name.equals("file")) {
                addFile(files, names, file4());
            } else if (version == 3 && name.equals("files")) {
                while (nextChild()) {
                    if (ns(r.getNamespaceURI(), 3) && r.getLocalName().equals("file")) {
                        addFile(files, names, file3());
                    } else {
                        skip();
                    }
                }
            } else {
                skip();
            }
        }
        if (files.isEmpty()) {
            throw new MetalinkException(source + ": describes no file");
        }
        return new Metalink(version, files, published, updated, expires, origin, notes);
    }

    private void addFile(List<MetalinkFile> files, Set<String> names, MetalinkFile f) throws MetalinkException {
        if (!names.add(f.name())) {
            throw new MetalinkException(source + ": the file '" + f.name() + "' is described twice");
        }
        if (files.size() >= MAX_FILES) {
            throw new MetalinkException(source + ": more than " + MAX_FILES + " files");
        }
        files.add(f);
        onFile.accept(f);
    }

    private static boolean ns(String ns, int version) {
        if (version == 4) {
            return V4_NS.equals(ns);
        }
        return V3_NS.equals(ns) || ns == null || ns.isEmpty();
    }

    // ------------------------------------------------------------------ v4

    private MetalinkFile file4() throws XMLStreamException, MetalinkException {
        Draft f = new Draft();
        while (nextChild()) {
            String el = r.getLocalName();
            if (!V4_NS.equals(r.getNamespaceURI())) {
                skip();
                continue;
            }
            switch (el) {
                case "size" -> f.size = size(text());
                case "hash" -> hash(f.name, attr("type"), f.hashes);
                case "pieces" -> f.addPieces(false);
                case "url" -> {
                    String prio = attr("priority");
                    f.addUrl(prio == null ? 999_999 : intIn(prio, "priority", 1, 999_999), 0);
                }
                case "metaurl" -> {
                    notes.add(f.name + ": metaurl (" + attr("mediatype") + ") skipped: this client fetches from HTTP mirrors only");
                    skip();
                }
                default -> skip();
            }
        }
        return f.finish();
    }

    // ------------------------------------------------------------------ v3

    private MetalinkFile file3() throws XMLStreamException, MetalinkException {
        Draft f = new Draft();
        while (nextChild()) {
            String el = r.getLocalName();
            if (!ns(r.getNamespaceURI(), 3)) {
                skip(); // mm0:alternates (older accepted versions), mm0:timestamp, …
                continue;
            }
            switch (el) {
                case "size" -> f.size = size(text());
                case "verification" -> {
                    while (nextChild()) {
                        if (!ns(r.getNamespaceURI(), 3)) {
                            skip();
                        } else if (r.getLocalName().equals("hash")) {
                            hash(f.name, attr("type"), f.hashes);
                        } else if (r.getLocalName().equals("pieces")) {
                            f.addPieces(true);
                        } else {
                            skip();
                        }
                    }
                }
                case "resources" -> {
                    String max = attr("maxconnections");
                    int fileMax = max == null ? 0 : intIn(max, "maxconnections", 1, 1 << 16);
                    while (nextChild()) {
                        if (ns(r.getNamespaceURI(), 3) && r.getLocalName().equals("url")) {
                            String pref = attr("preference");
                            int preference = pref == null ? 0 : intIn(pref, "preference", 0, 100);
                            String m = attr("maxconnections");
                            f.addUrl(101 - preference, m == null ? fileMax : intIn(m, "maxconnections", 1, 1 << 16));
                        } else {
                            skip();
                        }
                    }
                }
                default -> skip();
            }
        }
        return f.finish();
    }

    // ------------------------------------------------------------------ shared

    private String fileName() throws MetalinkException {
        String name = attr("name");
        if (name == null) {
            throw error("<file> without a name");
        }
        String problem = SafeNames.problem(name);
        if (problem != null) {
            throw error("refusing file name '" + SafeNames.printable(name) + "': " + problem);
        }
        return name;
    }

    /** A {@code <file>} as its elements are read: v4 and v3 differ in where things are, not in what they are. */
    private final class Draft {
        final String name;
        long size = -1;
        final Map<HashAlgorithm, Digest> hashes = new LinkedHashMap<>();
        final List<MetalinkFile.Pieces> pieces = new ArrayList<>();
        final List<MetalinkUrl> urls = new ArrayList<>();
        /** URLs of other schemes than HTTP(S) skipped, by scheme: one note for all (a MirrorManager file lists dozens). */
        final Map<String, Integer> otherSchemes = new java.util.TreeMap<>();

        /** At a {@code <file>} element, whose name is checked here. */
        Draft() throws MetalinkException {
            name = fileName();
        }

        /** At a {@code <pieces>} element. */
        void addPieces(boolean v3) throws XMLStreamException, MetalinkException {
            MetalinkFile.Pieces p = pieces(name, v3);
            if (p != null) {
                pieces.add(p);
            }
        }

        /** At a {@code <url>} element, whose other attributes have been read. */
        void addUrl(int priority, int maxConnections) throws XMLStreamException, MetalinkException {
            String location = attr("location"); // before the text, which moves past the element
            MetalinkUrl u = url(name, text(), priority, location, maxConnections, otherSchemes);
            if (u != null) {
                urls.add(u);
            }
        }

        /** The file as read, its strongest piece hashes checked against its size and its URLs in priority order. */
        MetalinkFile finish() throws MetalinkException {
            MetalinkFile.Pieces best = null;
            for (MetalinkFile.Pieces p : pieces) {
                if (best == null || p.type().compareTo(best.type()) > 0) {
                    best = p;
                }
            }
            if (best != null && size >= 0) {
                long expected = size == 0 ? 0 : (size + best.length() - 1) / best.length();
                if (best.hashes().size() != expected) {
                    throw new MetalinkException(source + ": " + name + ": " + size + " bytes in pieces of " + best.length()
                            + " make " + expected + " pieces, but " + best.hashes().size() + " piece hashes are given");
                }
            }
            if (!otherSchemes.isEmpty()) {
                int n = otherSchemes.values().stream().mapToInt(Integer::intValue).sum();
                StringBuilder which = new StringBuilder();
                otherSchemes.forEach((scheme, count) -> which.append(which.length() == 0 ? "" : ", ")
                        .append(count == 1 ? "" : count + " ").append(scheme));
                notes.add(name + ": " + (n == 1 ? which + " URL skipped" : n + " URLs skipped (" + which + ")")
                        + ": HTTP and HTTPS only");
            }
            urls.sort(BY_PRIORITY); // stable: ties keep document order
            if (urls.size() > MAX_URLS) {
                throw new MetalinkException(source + ": " + name + ": more than " + MAX_URLS + " URLs");
            }
            return new MetalinkFile(name, size, hashes, best, urls);
        }
    }

    private void hash(String file, String type, Map<HashAlgorithm, Digest> into) throws XMLStreamException, MetalinkException {
        String value = text().strip();
        var a = HashAlgorithm.byName(type);
        if (a.isEmpty()) {
            notes.add(file + ": hash type '" + type + "' skipped: not one this client knows");
            return;
        }
        try {
            into.put(a.get(), Digest.ofHex(a.get(), value));
        } catch (IllegalArgumentException e) {
            notes.add(file + ": " + a.get().metalinkName() + " hash skipped: " + e.getMessage());
        }
    }

    private MetalinkFile.Pieces pieces(String file, boolean v3) throws XMLStreamException, MetalinkException {
        String type = attr("type");
        String len = attr("length");
        if (len == null) {
            throw error(file + ": <pieces> without a length");
        }
        int length = intIn(len, "pieces length", 1, Integer.MAX_VALUE);
        var a = HashAlgorithm.byName(type);
        if (a.isEmpty()) {
            notes.add(file + ": piece hashes of type '" + type + "' skipped: not a type this client knows");
            skip();
            return null;
        }
        TreeMap<Integer, Digest> byIndex = new TreeMap<>();
        int next = 0;
        while (nextChild()) {
            if (!r.getLocalName().equals("hash")) {
                skip();
                continue;
            }
            int index = next;
            String piece = attr("piece");
            if (v3 && piece != null) {
                index = intIn(piece, "piece", 0, MAX_PIECES);
            }
            String value = text().strip();
            Digest d;
            try {
                d = Digest.ofHex(a.get(), value);
            } catch (IllegalArgumentException e) {
                throw error(file + ": piece " + index + ": " + e.getMessage());
            }
            if (byIndex.put(index, d) != null) {
                throw error(file + ": piece " + index + " hashed twice");
            }
            if (byIndex.size() > MAX_PIECES) {
                throw error(file + ": more than " + MAX_PIECES + " pieces");
            }
            next = index + 1;
        }
        List<Digest> hashes = new ArrayList<>(byIndex.values());
        if (!byIndex.isEmpty() && byIndex.lastKey() != hashes.size() - 1) {
            throw new MetalinkException(source + ": " + file + ": piece hashes are not numbered 0 to "
                    + (hashes.size() - 1));
        }
        return new MetalinkFile.Pieces(a.get(), length, hashes);
    }

    private MetalinkUrl url(String file, String text, int priority, String location, int max,
                            Map<String, Integer> otherSchemes) {
        String u = text.strip();
        if (u.isEmpty()) {
            notes.add(file + ": empty URL skipped");
            return null;
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            notes.add(file + ": malformed URL skipped: " + SafeNames.printable(u));
            return null;
        }
        if (!uri.isAbsolute()) {
            if (base == null) {
                notes.add(file + ": relative URL '" + SafeNames.printable(u) + "' skipped: no base URL for a local file");
                return null;
            }
            uri = base.resolve(uri);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            otherSchemes.merge(SafeNames.printable(scheme), 1, Integer::sum);
            return null;
        }
        if (uri.getHost() == null) {
            notes.add(file + ": URL without a host skipped: " + SafeNames.printable(u));
            return null;
        }
        return new MetalinkUrl(uri.toString(), priority, location == null ? "" : location.strip().toLowerCase(Locale.ROOT), max);
    }

    private long size(String text) throws MetalinkException {
        String s = text.strip();
        if (!isNumber(s, false, 18)) {
            throw error("size: not a byte count: '" + SafeNames.printable(s) + "'");
        }
        return Long.parseLong(s);
    }

    private int intIn(String text, String what, int min, int max) throws MetalinkException {
        String s = text.strip();
        if (!isNumber(s, true, 10)) {
            throw error(what + ": not a whole number: '" + SafeNames.printable(s) + "'");
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw error(what + ": " + v + " is outside " + min + "–" + max);
        }
        return (int) v;
    }

    /** {@code s} is 1 to {@code maxDigits} ASCII digits, after a minus sign if {@code signed} allows one. */
    private static boolean isNumber(String s, boolean signed, int maxDigits) {
        int from = signed && s.startsWith("-") ? 1 : 0;
        int n = s.length() - from;
        if (n < 1 || n > maxDigits) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private Instant rfc3339(String text) throws MetalinkException {
        String s = text.strip();
        Instant quick = plainRfc3339(s);
        if (quick != null) {
            return quick;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw error("not an RFC 3339 date: '" + SafeNames.printable(text.strip()) + "'");
        }
    }

    /**
     * The common spelling of an RFC 3339 date, {@code 2026-11-27T10:00:00Z} or with a fraction of a second
     * and a {@code ±hh:mm} offset, read without {@link java.time.format.DateTimeFormatter}: setting up the
     * JDK's formatters costs several milliseconds of a cold start, on the thread that hands the first files
     * to the download. Null for anything else (lower-case letters, a leap second, a date that does not exist,
     * …), which {@link OffsetDateTime#parse} then reads or refuses exactly as before.
     */
    static Instant plainRfc3339(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int from = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int count = i - from;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(s, from, count);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 17 || om < 0 || om > 59) {
                return null;
            }
            offset = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second - offset, nanos);
    }

    /** The value of {@code count} ASCII digits of {@code s} from {@code from}, or -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private Instant rfc1123(String text) throws MetalinkException {
        try {
            return ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw error("pubdate: not an RFC 822 date: '" + SafeNames.printable(text.strip()) + "'");
        }
    }

    private String attr(String name) {
        return r.getAttributeValue(null, name);
    }

    /** Moves to the next child element of the current one; false at the current element's end. */
    private boolean nextChild() throws XMLStreamException, MetalinkException {
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if (ev == XMLStreamConstants.DTD) {
                throw error("a DOCTYPE is not allowed in a Metalink");
            }
            if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                throw error("entity reference '&" + r.getLocalName() + ";' is not allowed");
            }
        }
        throw error("document ends inside an element");
    }

    /** The text of the current element (which must hold no elements); leaves the reader at its end. */
    private String text() throws XMLStreamException, MetalinkException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    sb.append(r.getText());
                    if (sb.length() > MAX_TEXT) {
                        throw error("element text longer than " + MAX_TEXT + " characters");
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    return sb.toString();
                }
                case XMLStreamConstants.START_ELEMENT -> throw error("unexpected <" + r.getLocalName() + "> inside a text element");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw error("entity reference '&" + r.getLocalName() + ";' is not allowed");
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                }
                default -> {
                    if (!r.hasNext()) {
                        throw error("document ends inside an element");
                    }
                }
            }
        }
    }

    /** Skips the current element and everything in it. */
    private void skip() throws XMLStreamException, MetalinkException {
        int depth = 1;
        while (depth > 0) {
            if (!r.hasNext()) {
                throw error("document ends inside an element");
            }
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                throw error("entity reference '&" + r.getLocalName() + ";' is not allowed");
            }
        }
    }
}
