package org.mirrorswarm.live;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkFile;
import org.mirrorswarm.live.store.AtomicWrite;

/**
 * Refuses stale Metalinks (TUF's rollback and freeze attacks): one past its {@code expires}, and one
 * older ({@code updated}, else {@code published}) than a Metalink already accepted for the same file in
 * the same target folder. What was accepted is remembered in {@code DIR/.mirrorswarm-metalinks}.
 */
public final class MetalinkGuard {
    public static final String STATE = ".mirrorswarm-metalinks";

    private MetalinkGuard() {
    }

    /** Checks {@code m} against the clock and what {@code dir} has seen; null when it may be used, else why not. */
    public static String check(Metalink m, String source, Path dir, Instant now) throws IOException {
        return check(m, source, new Record(dir), now);
    }

    /** Remembers {@code m} as accepted for its files. */
    public static void remember(Metalink m, Path dir) throws IOException {
        remember(m, dir, new Record(dir));
    }

    /**
     * {@link #check} and, when {@code m} may be used, {@link #remember}, reading {@code dir}'s record once (run
     * under the folder's lock, nothing changes it in between).
     */
    public static String accept(Metalink m, String source, Path dir, Instant now) throws IOException {
        Record seen = new Record(dir);
        String why = check(m, source, seen, now);
        if (why == null) {
            remember(m, dir, seen);
        }
        return why;
    }

    /**
     * A folder's record of accepted Metalinks, each date in it parsed once: a Metalink's files share one date,
     * and a folder's record a few.
     */
    private static final class Record {
        final Properties dates;
        private final Map<String, Instant> parsed = new HashMap<>();

        Record(Path dir) throws IOException {
            dates = load(dir);
        }

        /** When the Metalink accepted before for {@code name} was published, or null (none, or a damaged entry). */
        Instant before(String name) {
            String v = dates.getProperty(name);
            return v == null ? null : parsed.computeIfAbsent(v, MetalinkGuard::parseOrNull);
        }
    }

    private static String check(Metalink m, String source, Record seen, Instant now) {
        if (m.expires() != null && now.isAfter(m.expires())) {
            return source + ": expired at " + m.expires() + " (now " + now + "); refusing a stale Metalink";
        }
        Instant fresh = m.freshness();
        if (fresh == null) {
            return null;
        }
        for (MetalinkFile f : m.files()) {
            Instant before = seen.before(f.name());
            if (before != null && fresh.isBefore(before)) {
                return source + ": published " + fresh + ", older than the Metalink accepted before for "
                        + f.name() + " (" + before + "); refusing a rollback";
            }
        }
        return null;
    }

    private static void remember(Metalink m, Path dir, Record record) throws IOException {
        Instant fresh = m.freshness();
        if (fresh == null) {
            return;
        }
        // Formatted once: on a cold JVM, 200 files' worth of Instant.toString took milliseconds of a fetch's start.
        String freshText = fresh.toString();
        Properties seen = record.dates;
        for (MetalinkFile f : m.files()) {
            Instant before = record.before(f.name());
            if (before == null || fresh.isAfter(before)) {
                seen.setProperty(f.name(), freshText);
            }
        }
        Files.createDirectories(dir);
        AtomicWrite.replace(dir.resolve(STATE), w -> {
            TreeMap<Object, Object> sorted = new TreeMap<>(seen);
            w.write("# mirrorswarm: the newest Metalink accepted per file (rollback protection)\n");
            for (var e : sorted.entrySet()) {
                w.write(escape((String) e.getKey(), true));
                w.write('=');
                w.write(escape((String) e.getValue(), false));
                w.write('\n');
            }
        });
    }

    /** The instant {@code text} says, or null for a damaged entry (it protects nothing and is rewritten). */
    private static Instant parseOrNull(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code text} escaped as {@link Properties#store(Writer, String)} writes a key or a value, so that
     * {@link Properties#load(Reader)} reads it back exactly (without {@code store}'s date line, which
     * would cost a time-zone lookup at the end of every fetch).
     */
    static String escape(String text, boolean key) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> b.append(i == 0 || key ? "\\ " : " ");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case '\\' -> b.append("\\\\");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static Properties load(Path dir) throws IOException {
        return loadProperties(dir.resolve(STATE));
    }

    /** A properties file if it exists, else empty (the guards' remembered state). */
    public static Properties loadProperties(Path f) throws IOException {
        Properties p = new Properties();
        if (Files.exists(f)) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }
}
