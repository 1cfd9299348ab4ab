package org.mirrorswarm.live.metalink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeNamesTest {
    private static final Pattern RESERVED = Pattern.compile("CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]");

    /**
     * The segment rule as first written, with a split and a regex: the hand-written check must agree with it
     * on every name the character checks before it let through.
     */
    private static String reference(String name) {
        for (String seg : name.split("/", -1)) {
            if (seg.isEmpty()) {
                return "empty path segment";
            }
            if (seg.equals(".") || seg.equals("..")) {
                return "'" + seg + "' path segment";
            }
            if (seg.getBytes(StandardCharsets.UTF_8).length > 255) {
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

    /** Names the checks before the segments refuse: empty, absolute, a control character, a backslash, a colon. */
    private static final Pattern REFUSED_WHOLE = Pattern.compile("|/.*|.*[\\x00-\\x1f\\x7f\\\\:].*", Pattern.DOTALL);

    @Test
    void theCheckAgreesWithTheRuleOnAwkwardNames() {
        String[] parts = {"a", "b", ".", "..", "...", "/", "//", "con", "CON", "Com1", "lpt9", "nul.txt", "aux.", "prn.tar.gz",
                "COM", "LPT", "comx", "é", "ß", "ı", "ſ", "\u00e9\u0301", "\ud83d\ude00", ":", "\\", "\t", "\u007f", " ", "x".repeat(84),
                "y".repeat(86), "\u00e9".repeat(128), "\ud83d\ude00".repeat(64), "pool", "main", "pkg_1.0-1_amd64.deb"};
        SplittableRandom rnd = new SplittableRandom(2004);
        int safe = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = rnd.nextInt(1, 6); n > 0; n--) {
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            String name = sb.toString();
            if (REFUSED_WHOLE.matcher(name).matches()) {
                assertThat(SafeNames.problem(name)).as(name).isNotNull().doesNotContain("segment");
                continue;
            }
            String want = reference(name);
            assertThat(SafeNames.problem(name)).as(name).isEqualTo(want);
            safe += want == null ? 1 : 0;
        }
        assertThat(safe).as("both kinds of name were drawn").isBetween(1_000, 49_000);
        assertThat(SafeNames.problem(null)).isEqualTo("empty name");
        assertThat(SafeNames.problem("a/" + "é".repeat(127) + "a")).isNull();
        assertThat(SafeNames.problem("a/" + "é".repeat(128))).isEqualTo("path segment longer than 255 bytes");
    }

    @Test
    void aFolderChecksEachParentOnceAndStillRefusesWhatIsNotARegularFile(@TempDir Path dir) throws IOException {
        SafeNames.Folder folder = new SafeNames.Folder(dir);
        Path a = folder.resolve("pool/main/a.deb");
        assertThat(a).isEqualTo(dir.toRealPath().resolve("pool/main/a.deb"));
        assertThat(Files.isDirectory(dir.resolve("pool/main"))).isTrue();
        Files.createDirectories(dir.resolve("pool/main/b.deb"));
        assertThatThrownBy(() -> folder.resolve("pool/main/b.deb")).hasMessageContaining("exists and is not a regular file");
        Files.createSymbolicLink(dir.resolve("pool/main/c.deb"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> folder.resolve("pool/main/c.deb")).hasMessageContaining("exists and is not a regular file");
        Files.writeString(dir.resolve("pool/main/d.deb"), "x");
        assertThat(folder.resolve("pool/main/d.deb")).isEqualTo(dir.toRealPath().resolve("pool/main/d.deb"));
        assertThatThrownBy(() -> folder.resolve("pool/../../x")).hasMessageContaining("'..' path segment");
    }

    @Test
    void aParentThatLeadsOutThroughASymlinkIsRefused(@TempDir Path dir, @TempDir Path outside) throws IOException {
        Files.createSymbolicLink(dir.resolve("sub"), outside);
        assertThatThrownBy(() -> new SafeNames.Folder(dir).resolve("sub/x.deb")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> SafeNames.resolve(dir, "sub/deeper/x.deb")).hasMessageContaining("symbolic link");
        assertThat(outside.resolve("deeper")).as("no folder made on the far side of the link").doesNotExist();
    }
}
