package org.mirrorswarm.tracker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mirrorswarm.live.manifest.RepoManifest;
import org.mirrorswarm.live.metalink.FileHashes;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files under the repository folder and their hashes. A scan walks the folder (skipping dot-files,
 * anything a symbolic link leads out of the folder, and names a client could not safely save), and
 * hashes, one file at a time on the caller's thread, every file whose size or modification time is not
 * the one in the cache. The cache ({@code STATE/hashes.tsv}) is rewritten after each scan that changed
 * something, so a restart rehashes nothing that did not change.
 *
 * <p>Readers never block: they see the snapshot of the last finished file.
 */
public final class Repository {
    private static final Logger LOG = LoggerFactory.getLogger(Repository.class);
    /** The signed manifest's name in the repository: served as such, never listed in itself. */
    public static final String MANIFEST = "repo.manifest";

    /** One hashed file. */
    public record Entry(String name, long size, long mtimeMillis, FileHashes hashes) {
        public Instant published() {
            return Instant.ofEpochMilli(mtimeMillis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
    }

    private final Path root;
    private final Path cacheFile;
    private final int pieceLength;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean scanned;
    private volatile Map<String, long[]> pending = Map.of();

    public Repository(Path root, Path state, int pieceLength) throws IOException {
        this.root = root.toRealPath();
        this.pieceLength = pieceLength;
        Files.createDirectories(state);
        this.cacheFile = state.resolve("hashes.tsv");
        loadCache();
    }

    public Path root() {
        return root;
    }

    /**
     * Where the hash cache (and the tracker's access log) go when no folder is given: outside the
     * repository — mirrors copy the repository, and an access log holds clients' addresses — under
     * {@code $XDG_CACHE_HOME} (or {@code ~/.cache}) {@code /mirrorswarm/tracker-KEY}, KEY naming the
     * repository's real path, so every start for the same repository finds the same cache.
     */
    public static Path defaultState(Path repo) throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        byte[] key;
        try {
            key = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(repo.toRealPath().toString().getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return base.resolve("mirrorswarm").resolve("tracker-" + HexFormat.of().formatHex(key, 0, 8));
    }

    public int pieceLength() {
        return pieceLength;
    }

    /** Whether a first scan has finished (until then, unknown files may simply not be hashed yet). */
    public boolean scanned() {
        return scanned;
    }

    /** Bumped whenever the set of files or any hash changes. */
    public long generation() {
        return generation.get();
    }

    public Entry get(String name) {
        return entries.get(name);
    }

    /** Whether {@code name} is waiting to be hashed (new or changed since its hash). */
    public boolean pending(String name) {
        return pending.containsKey(name);
    }

    /** Every hashed file, by name. */
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    /**
     * Walks the folder and hashes what is new or changed; forgets what is gone. Returns how many files it
     * hashed. Safe to call again while serving (one scan at a time).
     */
    public synchronized int scan() throws IOException {
        Map<String, long[]> found = walk();
        Map<String, long[]> todo = new HashMap<>();
        for (var e : found.entrySet()) {
            Entry known = entries.get(e.getKey());
            if (known == null || known.size() != e.getValue()[0] || known.mtimeMillis() != e.getValue()[1]) {
                todo.put(e.getKey(), e.getValue());
            }
        }
        boolean changed = entries.keySet().retainAll(found.keySet());
        pending = Map.copyOf(todo);
        Map<String, long[]> again = new HashMap<>(); // changed while being hashed: still pending, not gone
        int hashed = 0;
        for (var e : todo.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            String name = e.getKey();
            Path f = root.resolve(name);
            try {
                FileHashes h = FileHashes.of(f, pieceLength);
                BasicFileAttributes after = Files.readAttributes(f, BasicFileAttributes.class);
                if (after.size() != h.size() || after.lastModifiedTime().toMillis() != e.getValue()[1]) {
                    LOG.info("{} changed while being hashed; it is hashed again on the next scan", name);
                    entries.remove(name);
                    again.put(name, e.getValue());
                    continue;
                }
                entries.put(name, new Entry(name, h.size(), e.getValue()[1], h));
                hashed++;
                changed = true;
            } catch (NoSuchFileException gone) {
                entries.remove(name);
            } catch (IOException io) {
                LOG.warn("{}: cannot read ({}); not served", name, io.getMessage());
                entries.remove(name);
            }
            generation.incrementAndGet();
        }
        // A file caught changing is answered "being hashed" (503, retry), never "not in the repository" (404),
        // until a scan gets a stable copy of it.
        pending = Map.copyOf(again);
        if (changed) {
            generation.incrementAndGet();
            saveCache();
        }
        scanned = true;
        return hashed;
    }

    private Map<String, long[]> walk() throws IOException {
        Map<String, long[]> found = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String base = file.getFileName().toString();
                // The walk does not follow links: a symbolic link is not a regular file here, so nothing
                // outside the folder is ever listed.
                if (base.startsWith(".") || !attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (name.equals(MANIFEST) || SafeNames.problem(name) != null) {
                    return FileVisitResult.CONTINUE;
                }
                found.put(name, new long[] {attrs.size(), attrs.lastModifiedTime().toMillis()});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /** A manifest of the current snapshot (unsigned; {@code mirrorswarm sign} signs one offline). */
    public RepoManifest manifest(Instant published, Instant expires) {
        List<RepoManifest.Entry> list = new ArrayList<>();
        for (Entry e : all()) {
            list.add(new RepoManifest.Entry(e.name(), e.size(), e.hashes().sha256(), e.hashes().pieces()));
        }
        return new RepoManifest(published, expires, pieceLength, list);
    }

    // ------------------------------------------------------------------ cache

    private void loadCache() throws IOException {
        if (!Files.exists(cacheFile)) {
            return;
        }
        int lineNo = 0;
        for (String line : Files.readAllLines(cacheFile, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f.length != 6 || Integer.parseInt(f[3]) != pieceLength) {
                    continue;
                }
                String name = java.net.URLDecoder.decode(f[0], StandardCharsets.UTF_8);
                if (SafeNames.problem(name) != null) {
                    continue;
                }
                long size = Long.parseLong(f[1]);
                long mtime = Long.parseLong(f[2]);
                Digest whole = Digest.of(HashAlgorithm.SHA_256, HexFormat.of().parseHex(f[4]));
                List<Digest> pieces = new ArrayList<>();
                for (int i = 0; i + 64 <= f[5].length(); i += 64) {
                    pieces.add(Digest.of(HashAlgorithm.SHA_256, HexFormat.of().parseHex(f[5], i, i + 64)));
                }
                if (pieces.size() != (size + pieceLength - 1) / pieceLength) {
                    continue;
                }
                entries.put(name, new Entry(name, size, mtime, new FileHashes(size, whole, pieceLength, pieces)));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}:{}: damaged cache line ignored (the file is hashed again)", cacheFile, lineNo);
            }
        }
    }

    private void saveCache() throws IOException {
        Path tmp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# mirrorswarm tracker: name, size, mtime (ms), piece length, sha-256, piece sha-256s\n");
            for (Entry e : all()) {
                w.write(java.net.URLEncoder.encode(e.name(), StandardCharsets.UTF_8));
                w.write('\t');
                w.write(Long.toString(e.size()));
                w.write('\t');
                w.write(Long.toString(e.mtimeMillis()));
                w.write('\t');
                w.write(Integer.toString(pieceLength));
                w.write('\t');
                w.write(e.hashes().sha256().hex());
                w.write('\t');
                for (Digest d : e.hashes().pieces()) {
                    w.write(d.hex());
                }
                w.write('\n');
            }
        }
        Files.move(tmp, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether {@code name} exists now as a file in the folder (a cheap check for "not hashed yet"). */
    public boolean exists(String name) {
        return SafeNames.problem(name) == null && Files.isRegularFile(root.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }
}
