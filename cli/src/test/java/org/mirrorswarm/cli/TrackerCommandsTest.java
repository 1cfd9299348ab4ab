package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.manifest.Keys;
import org.mirrorswarm.live.manifest.RepoManifest;

/** {@code tracker}, {@code keygen} and {@code sign} from the command line: what they write, how they refuse. */
class TrackerCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void keygenAndSignWriteAManifestThatVerifiesAndNeverOverwriteAKey() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo/pool"));
        Files.write(repo.resolve("a.deb"), new byte[300_000]);
        Files.writeString(repo.getParent().resolve("Release"), "r\n");
        assertThat(run("keygen", dir.resolve("k").toString())).as(err.toString()).isZero();
        assertThat(run("keygen", dir.resolve("k").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("exists").doesNotContain("\tat ");
        assertThat(run("sign", "--key", dir.resolve("k.key").toString(), "--repo", dir.resolve("repo").toString(),
                "--piece-size", "64KiB", "--expires", "1h")).as(err.toString()).isZero();
        byte[] signed = Files.readAllBytes(dir.resolve("repo/repo.manifest"));
        RepoManifest m = RepoManifest.verify(signed, Keys.readPublic(dir.resolve("k.pub")), "m");
        assertThat(m.entries()).extracting(RepoManifest.Entry::name).containsExactly("Release", "pool/a.deb");
        assertThat(m.entry("pool/a.deb").pieces()).hasSize(5);
        assertThat(m.expires()).isAfter(m.published());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Path yaml = dir.resolve("mirrors.yaml");
        Files.writeString(yaml, "ranking: weighted\nmirrors:\n  - {id: a, url: \"gopher://x/\"}\n");
        assertThat(run("tracker", "--repo", dir.resolve("repo").toString(), "--mirrors", yaml.toString(), "--port", "0"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: " + yaml + ":3:").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("tracker", "--repo", dir.resolve("nope").toString(), "--mirrors", yaml.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("not a folder");
        err.getBuffer().setLength(0);
        Files.writeString(dir.resolve("not-a-key"), "hello\n");
        assertThat(run("sign", "--key", dir.resolve("not-a-key").toString(), "--repo", dir.resolve("repo").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("PEM").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "--manifest", dir.resolve("repo/repo.manifest").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--public-key");
    }

    @Test
    void theHiddenWarmUpRunsTheCommonPathsAndIsNotListed() {
        assertThat(run("warm-up")).as(err.toString()).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("tracker", "keygen", "sign").doesNotContain("warm-up");
    }
}
