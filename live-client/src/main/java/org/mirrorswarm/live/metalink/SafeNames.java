package org.mirrorswarm.live.metalink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * File names from a plan are untrusted: a Metalink (or a tracker) could name {@code ../../.bashrc}
 * (aria2 CVE-2010-1512, wget2 CVE-2025-69194). A safe name is a relative path of plain segments separated
 * by {@code /}: no empty, {@code .} or {@code ..} segment, no backslash, no drive letter or colon, no
 * control character, no leading slash, at most 255 bytes a segment and 4096 in all.
 */
public final class SafeNames {
    /** Windows device names, refused as a path segment's base name whatever the extension. */
    private static final Pattern RESERVED = Pattern.compile("CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]");

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
        for (String seg : name.split("/", -1)) {
            if (seg.isEmpty()) {
                return "empty path segment";
            }
            if (seg.equals(".") || seg.equals("..")) {
                return "'" + seg + "' path segment";
            }
            if (seg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                return "path segment longer than 255 bytes";
            }
            String upper = seg.toUpperCase(Locale.ROOT);
            String base = upper.contains(".") ? upper.substring(0, upper.indexOf('.')) : upper;
            if (RESERVED.matcher(base).matches()) {
                return "reserved device name '" + seg + "'";
            }
        }
        return null;
    }

    /**
     * Where {@code name} goes under {@code dir}: checked, and inside {@code dir} even after following the
     * symbolic links of the folders that already exist. Creates the parent folders.
     */
    public static Path resolve(Path dir, String name) throws IOException {
        String p = problem(name);
        if (p != null) {
            throw new IOException("refusing file name '" + printable(name) + "': " + p);
        }
        Path root = dir.toAbsolutePath().normalize();
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("refusing file name '" + printable(name) + "': outside " + root);
        }
        Files.createDirectories(target.getParent());
        Path realRoot = root.toRealPath();
        Path realParent = target.getParent().toRealPath();
        if (!realParent.startsWith(realRoot)) {
            throw new IOException("refusing file name '" + printable(name) + "': a folder on its path leads outside "
                    + root + " through a symbolic link");
        }
        if (Files.isSymbolicLink(target) || Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(
                target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + ": exists and is not a regular file");
        }
        return realParent.resolve(target.getFileName());
    }

    /** The name with control characters shown as escapes, for messages. */
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
