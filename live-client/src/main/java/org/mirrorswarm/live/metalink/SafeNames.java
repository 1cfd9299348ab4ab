package org.mirrorswarm.live.metalink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * File names from a plan are untrusted: a Metalink (or a tracker) could name {@code ../../.bashrc}
 * (aria2 CVE-2010-1512, wget2 CVE-2025-69194). A safe name is a relative path of plain segments separated
 * by {@code /}: no empty, {@code .} or {@code ..} segment, no backslash, no drive letter or colon, no
 * control character, no leading slash, at most 255 bytes a segment and 4096 in all.
 */
public final class SafeNames {
    private SafeNames() {
    }

    /** Null when {@code name} is safe, else why it is not. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty name";
        }
        if (name.length() > 4096) {
            return "name longer than 4096 characters";
        }
        if (name.startsWith("/")) {
            return "absolute path";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in name";
            }
            if (c == '\\') {
                return "backslash in name";
            }
            if (c == ':') {
                return "colon in name (drive letter or stream)";
            }
        }
        // Segment by segment, by hand: this runs once per file of a Metalink on a cold JVM, where a regex and
        // a split per name cost more than the rest of the check.
        for (int start = 0; start <= name.length(); ) {
            int end = name.indexOf('/', start);
            if (end < 0) {
                end = name.length();
            }
            String why = segmentProblem(name, start, end);
            if (why != null) {
                return why;
            }
            start = end + 1;
        }
        return null;
    }

    private static String segmentProblem(String name, int start, int end) {
        int len = end - start;
        if (len == 0) {
            return "empty path segment";
        }
        if (name.charAt(start) == '.' && (len == 1 || len == 2 && name.charAt(start + 1) == '.')) {
            return "'" + name.substring(start, end) + "' path segment";
        }
        // A char is at most 3 bytes of UTF-8 (a surrogate pair, two chars, is 4): only long segments need counting.
        if (len > 85 && name.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            return "path segment longer than 255 bytes";
        }
        int dot = name.indexOf('.', start);
        int baseEnd = dot >= 0 && dot < end ? dot : end;
        if (reserved(name, start, baseEnd)) {
            return "reserved device name '" + name.substring(start, end) + "'";
        }
        return null;
    }

    /** Whether {@code name[start, end)} is a Windows device name, any case: CON PRN AUX NUL COM0-9 LPT0-9. */
    private static boolean reserved(String name, int start, int end) {
        int len = end - start;
        if (len != 3 && len != 4) {
            return false;
        }
        String head = name.substring(start, start + 3).toUpperCase(Locale.ROOT);
        if (len == 3) {
            return head.equals("CON") || head.equals("PRN") || head.equals("AUX") || head.equals("NUL");
        }
        char d = name.charAt(start + 3);
        return (head.equals("COM") || head.equals("LPT")) && d >= '0' && d <= '9';
    }

    /**
     * Where {@code name} goes under {@code dir}: checked, and inside {@code dir} even after following the
     * symbolic links of the folders that already exist. Creates the parent folders.
     */
    public static Path resolve(Path dir, String name) throws IOException {
        return new Folder(dir).resolve(name);
    }

    /**
     * {@link SafeNames#resolve} for the many files of one download into one folder: each parent folder is
     * created and checked once (a download of 200 packages into one folder made 200 {@code mkdir} calls that
     * failed with an exception each, and 400 {@code realpath} calls, while its first requests went out).
     */
    public static final class Folder {
        private final Path root;
        private Path realRoot;
        private final Map<Path, Path> realParents = new HashMap<>();

        public Folder(Path dir) {
            this.root = dir.toAbsolutePath().normalize();
        }

        /** Where {@code name} goes: as {@link SafeNames#resolve}. */
        public Path resolve(String name) throws IOException {
            String p = problem(name);
            if (p != null) {
                throw new IOException("refusing file name '" + printable(name) + "': " + p);
            }
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IOException("refusing file name '" + printable(name) + "': outside " + root);
            }
            Path parent = target.getParent();
            Path realParent = realParents.get(parent);
            if (realParent == null) {
                if (realRoot == null) {
                    Files.createDirectories(root);
                    realRoot = root.toRealPath();
                }
                // The folders that exist already are checked before any is made: a link out of the target folder
                // must not get a folder made on its far side.
                Path existing = parent;
                while (!existing.equals(root) && !Files.isDirectory(existing)) {
                    existing = existing.getParent();
                }
                inside(existing.toRealPath(), name);
                Files.createDirectories(parent);
                realParent = inside(parent.toRealPath(), name);
                realParents.put(parent, realParent);
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                a = null;
            }
            if (a != null && !a.isRegularFile()) {
                throw new IOException(target + ": exists and is not a regular file");
            }
            return realParent.resolve(target.getFileName());
        }

        private Path inside(Path real, String name) throws IOException {
            if (!real.startsWith(realRoot)) {
                throw new IOException("refusing file name '" + printable(name) + "': a folder on its path leads outside "
                        + root + " through a symbolic link");
            }
            return real;
        }
    }

    /** {@code name}'s segments percent-encoded for a URL path (spaces as %20, '/' kept between segments). */
    public static String urlPath(String name) {
        StringBuilder sb = new StringBuilder();
        for (String seg : name.split("/", -1)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(java.net.URLEncoder.encode(seg, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** The name with control characters shown as escapes, for messages. */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() > 200 ? sb.substring(0, 200) + "…" : sb.toString();
    }
}
