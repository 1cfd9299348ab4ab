package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetch} and {@code metalink} on bad input: one line, exit code 2, nothing written (no network needed). */
class FetchCommandTest {
    @TempDir
    Path tmp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /** One line said; a target folder the test did not make is not made either (not even empty), else left empty. */
    private void assertOneLineAndNothingWritten(Path dir) throws IOException {
        assertThat(err.toString().lines().count()).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).startsWith("mirrorswarm: ").doesNotContain("\tat ");
        if (!dir.equals(tmp)) {
            assertThat(dir).as(err.toString()).doesNotExist();
        } else if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s).isEmpty();
            }
        }
    }

    @Test
    void aMissingMetalinkIsOneLine() throws IOException {
        assertThat(run("fetch", tmp.resolve("nope.meta4").toString(), "-d", tmp.resolve("d").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("nope.meta4").contains("no such file");
        assertOneLineAndNothingWritten(tmp.resolve("d"));

        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        err.getBuffer().setLength(0);
        assertThat(run("fetch", folder.toString(), "-d", tmp.resolve("d").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: " + folder + ": a folder, not a Metalink file");
        assertOneLineAndNothingWritten(tmp.resolve("d"));
    }

    @Test
    void aUrlThatCannotBeReachedIsOneLineNamingItWithoutItsCredentials() throws IOException {
        for (String url : new String[] {"http://127.0.0.1:9/a.meta4", "http://user:secret@127.0.0.1:9/x.iso"}) {
            err.getBuffer().setLength(0);
            assertThat(run("fetch", url, "-d", tmp.resolve("d").toString())).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).startsWith("mirrorswarm: " + url.replace("user:secret@", "") + ": ")
                    .doesNotContain("secret");
            assertOneLineAndNothingWritten(tmp.resolve("d"));
        }
    }

    @Test
    void aCaCertificateFileThatIsMissingOrHoldsNoCertificateIsOneLine() throws IOException {
        Path m = tmp.resolve("a.meta4");
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\"a\"><size>1</size>"
                + "<hash type=\"sha-256\">" + "a".repeat(64) + "</hash><url>https://127.0.0.1:9/a</url></file></metalink>");
        Path garbage = tmp.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Path empty = tmp.resolve("empty.pem");
        Files.writeString(empty, "");
        for (Path ca : new Path[] {tmp.resolve("nope.pem"), garbage, empty, tmp}) {
            err.getBuffer().setLength(0);
            assertThat(run("fetch", m.toString(), "--ca-certificate", ca.toString(), "-d", tmp.resolve("d").toString()))
                    .isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).contains("--ca-certificate " + ca);
            assertOneLineAndNothingWritten(tmp.resolve("d"));
        }
    }

    @Test
    void aTraceThatCannotBeWrittenIsOneLineBeforeAnythingIsMade() throws IOException {
        Path m = tmp.resolve("a.meta4");
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\"a\"><size>1</size>"
                + "<hash type=\"sha-256\">" + "a".repeat(64) + "</hash><url>http://127.0.0.1:9/a</url></file></metalink>");
        Path dir = Files.createDirectories(tmp.resolve("a folder"));
        for (Path t : new Path[] {tmp.resolve("nope").resolve("t.trace"), dir}) {
            err.getBuffer().setLength(0);
            assertThat(run("fetch", m.toString(), "--trace", t.toString(), "-d", tmp.resolve("d").toString()))
                    .isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).contains("--trace " + t);
            assertOneLineAndNothingWritten(tmp.resolve("d"));
            assertThat(tmp.resolve("d")).doesNotExist();
        }
    }

    @Test
    void aDownloadLargerThanTheFreeSpaceIsOneLineBeforeAnythingIsAsked() throws IOException {
        // Eight files of 1 PiB each: more than any test machine has free; the mirror (port 9) is never asked.
        StringBuilder doc = new StringBuilder("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">");
        for (int i = 0; i < 8; i++) {
            doc.append("<file name=\"huge-").append(i).append(".iso\"><size>").append(1L << 50).append("</size>")
                    .append("<hash type=\"sha-256\">").append("a".repeat(64)).append("</hash>")
                    .append("<url>http://127.0.0.1:9/huge.iso</url></file>");
        }
        Path m = Files.writeString(tmp.resolve("huge.meta4"), doc.append("</metalink>").toString());
        Path d = tmp.resolve("d");
        assertThat(run("fetch", m.toString(), "-d", d.toString(), "-q")).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).startsWith("mirrorswarm: " + d + ": not enough free space: 1.00 PiB to write, ")
                .endsWith(" free" + System.lineSeparator()).doesNotContain("\tat ");
        assertThat(err.toString().lines().count()).isEqualTo(1);
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s).as("no part file, no journal, no lock left").isEmpty();
        }
    }

    @Test
    void theEarlyRequestsPerMirrorFollowTheOptions() {
        String[][] lines = {{}, {"--pipeline-depth", "24"}, {"--no-pipelining"}, {"--no-early-requests"}};
        int[] expected = {org.mirrorswarm.live.FetchOptions.PIPELINE_DEPTH, 24,
                org.mirrorswarm.strategies.SchedulerConfig.EARLY_CONNECTIONS, 0};
        for (int i = 0; i < lines.length; i++) {
            List<String> args = new ArrayList<>(List.of("fetch", "x.meta4"));
            args.addAll(List.of(lines[i]));
            FetchCommand c = FetchArgs.read(args.toArray(String[]::new));
            assertThat(c.options().scheduler().earlyRequests()).as(String.join(" ", args)).isEqualTo(expected[i]);
        }
    }

    @Test
    void theRateLimitIsASizePerSecondWithOrWithoutItsUnit() {
        String[][] lines = {{}, {"--limit-rate", "0"}, {"--limit-rate", "500KiB"}, {"--limit-rate=2MiB/s"},
            {"--limit-rate", "1.5M/s"}, {"--limit-rate", "64k/S"}};
        long[] expected = {0, 0, 500 << 10, 2 << 20, 3 << 19, 64 << 10};
        for (int i = 0; i < lines.length; i++) {
            List<String> args = new ArrayList<>(List.of("fetch", "x.meta4"));
            args.addAll(List.of(lines[i]));
            FetchCommand c = FetchArgs.read(args.toArray(String[]::new));
            assertThat(c.options().rateLimit()).as(String.join(" ", args)).isEqualTo(expected[i]);
        }
    }

    @Test
    void aTargetFolderThatIsAFileIsOneLine() throws IOException {
        Path m = tmp.resolve("a.meta4");
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\"a\"><size>1</size>"
                + "<hash type=\"sha-256\">" + "a".repeat(64) + "</hash><url>http://127.0.0.1:9/a</url></file></metalink>");
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        for (Path d : new Path[] {file, file.resolve("sub")}) {
            err.getBuffer().setLength(0);
            assertThat(run("fetch", m.toString(), "-d", d.toString())).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).contains("-d " + d + ": ").contains("is a file, not a folder");
            assertThat(err.toString().lines().count()).as(err.toString()).isEqualTo(1);
        }
        assertThat(Files.readString(file)).isEqualTo("x");

        // metalink -o: a folder, a path under a file, a missing folder; refused before any file is hashed.
        Path data = Files.writeString(tmp.resolve("data.bin"), "data");
        for (String[] c : new String[][] {{tmp.toString(), "-o " + tmp + ": is a folder"},
                {file.resolve("x.meta4").toString(), "-o " + file.resolve("x.meta4") + ": " + file + " is a file, not a folder"},
                {tmp.resolve("nope/x.meta4").toString(), "-o " + tmp.resolve("nope/x.meta4") + ": no such folder "
                        + tmp.resolve("nope")}}) {
            err.getBuffer().setLength(0);
            assertThat(run("metalink", data.toString(), "--mirror", "http://127.0.0.1:9/", "-o", c[0]))
                    .isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().strip()).isEqualTo("mirrorswarm: " + c[1]);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.meta4", "plain", "data.bin");
        }
    }

    @Test
    void aTraversalNameInAMetalinkIsRefusedBeforeAnythingIsFetched() throws IOException {
        Path m = tmp.resolve("evil.meta4");
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n  <file name=\"../../etc/cron.d/x\">"
                + "<size>1</size><url>http://127.0.0.1:9/x</url></file>\n</metalink>\n");
        assertThat(run("fetch", m.toString(), "-d", tmp.resolve("d").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("evil.meta4:2:").contains("refusing file name");
        assertOneLineAndNothingWritten(tmp.resolve("d"));
    }

    @Test
    void anExpiredMetalinkIsRefused() throws IOException {
        Path m = tmp.resolve("old.meta4");
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\" xmlns:ms=\"https://mirrorswarm.org/ns/metalink\">"
                + "<published>2020-01-01T00:00:00Z</published><ms:expires>2020-01-08T00:00:00Z</ms:expires>"
                + "<file name=\"a\"><size>1</size><hash type=\"sha-256\">" + "a".repeat(64) + "</hash>"
                + "<url>http://127.0.0.1:9/a</url></file></metalink>");
        assertThat(run("fetch", m.toString(), "-d", tmp.resolve("d").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("expired");
        assertOneLineAndNothingWritten(tmp.resolve("d"));
    }

    @Test
    void readingAMetalinkAheadChangesNoVerdict() throws IOException {
        // Main reads a fetch's Metalink on another core while the command line is built: the same
        // refusals, word for word, as without that head start.
        Path evil = tmp.resolve("evil.meta4");
        Files.writeString(evil, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n  <file name=\"../../etc/cron.d/x\">"
                + "<size>1</size><url>http://127.0.0.1:9/x</url></file>\n</metalink>\n");
        String[] args = {"fetch", evil.toString(), "-d", tmp.resolve("d").toString()};
        MetalinkPrefetch.start(args);
        assertThat(run(args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("evil.meta4:2:").contains("refusing file name");
        assertOneLineAndNothingWritten(tmp.resolve("d"));

        err.getBuffer().setLength(0);
        Path old = tmp.resolve("old.meta4");
        Files.writeString(old, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\" xmlns:ms=\"https://mirrorswarm.org/ns/metalink\">"
                + "<published>2020-01-01T00:00:00Z</published><ms:expires>2020-01-08T00:00:00Z</ms:expires>"
                + "<file name=\"a\"><size>1</size><hash type=\"sha-256\">" + "a".repeat(64) + "</hash>"
                + "<url>http://127.0.0.1:9/a</url></file></metalink>");
        args = new String[] {"fetch", old.toString(), "-d", tmp.resolve("d").toString()};
        MetalinkPrefetch.start(args);
        assertThat(run(args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("expired");
        assertOneLineAndNothingWritten(tmp.resolve("d"));
    }

    @Test
    void aMetalinkIsRememberedWhenAcceptedSoAFailedDownloadDoesNotLetAnOlderOneIn() throws IOException {
        // TUF's rule: newer metadata, once verified, is trusted from then on. Were it remembered only after a
        // successful download, mirrors made to fail would let an attacker roll the client back.
        String hash = "a".repeat(64);
        for (String[] v : new String[][] {{"new.meta4", "2026-01-02T00:00:00Z"}, {"old.meta4", "2026-01-01T00:00:00Z"}}) {
            Files.writeString(tmp.resolve(v[0]), "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><published>" + v[1]
                    + "</published><file name=\"a\"><size>1</size><hash type=\"sha-256\">" + hash
                    + "</hash><url>http://127.0.0.1:9/a</url></file></metalink>");
        }
        Path d = Files.createDirectories(tmp.resolve("d"));
        // The download fails at once without the network: another file already has the name (no --overwrite).
        Files.writeString(d.resolve("a"), "another file");
        for (boolean ahead : new boolean[] {true, false}) {
            Files.deleteIfExists(d.resolve(".mirrorswarm-metalinks"));
            String[] newer = {"fetch", tmp.resolve("new.meta4").toString(), "-d", d.toString(), "-q"};
            if (ahead) {
                MetalinkPrefetch.start(newer);
            }
            assertThat(run(newer)).isEqualTo(ExitCodes.FAILED);
            assertThat(Files.readString(d.resolve("a"))).isEqualTo("another file");
            err.getBuffer().setLength(0);
            String[] older = {"fetch", tmp.resolve("old.meta4").toString(), "-d", d.toString()};
            if (ahead) {
                MetalinkPrefetch.start(older);
            }
            assertThat(run(older)).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).contains("older than the Metalink accepted before");
            err.getBuffer().setLength(0);
        }
    }

    /** Quiet: no table, no notes, but why a file failed, on standard error (it used to say nothing at all). */
    @Test
    void aQuietFetchStillSaysWhyAFileFailed() throws IOException {
        Files.writeString(tmp.resolve("a.meta4"), "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\"a\">"
                + "<size>1</size><hash type=\"sha-256\">" + "a".repeat(64) + "</hash><url>http://127.0.0.1:9/a</url>"
                + "</file></metalink>");
        Path d = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(d.resolve("a"), "another file"); // fails at once, without the network: the name is taken
        assertThat(run("fetch", tmp.resolve("a.meta4").toString(), "-d", d.toString(), "-q")).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines().toList()).singleElement().asString().startsWith("FAIL a (1 B): ");
        assertThat(Files.readString(d.resolve("a"))).isEqualTo("another file");
    }

    @Test
    void aFetchTheFolderLockTurnsAwayRecordsNoMetalink() throws IOException {
        // The record of accepted Metalinks is read and written back under the folder's lock: a fetch that
        // another one's lock turns away must not write it (two such writes at once would lose an entry).
        try (java.net.ServerSocket notFound = answering404()) {
            lockAndRecord("http://127.0.0.1:" + notFound.getLocalPort() + "/a");
        }
    }

    /** A server that answers every request 404 at once: a download from it fails without retries. */
    private static java.net.ServerSocket answering404() throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (java.net.Socket c = server.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                            java.nio.charset.StandardCharsets.ISO_8859_1));
                    for (String l; (l = in.readLine()) != null && !l.isEmpty(); ) {
                        // the request's head
                    }
                    c.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // closed
                }
            }
        }, "404");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private void lockAndRecord(String url) throws IOException {
        Files.writeString(tmp.resolve("new.meta4"), "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><published>"
                + "2026-01-02T00:00:00Z</published><file name=\"a\"><size>1</size><hash type=\"sha-256\">"
                + "a".repeat(64) + "</hash><url>" + url + "</url></file></metalink>");
        Path d = Files.createDirectories(tmp.resolve("d"));
        Path record = d.resolve(org.mirrorswarm.live.MetalinkGuard.STATE);
        for (boolean ahead : new boolean[] {true, false}) {
            String[] args = {"fetch", tmp.resolve("new.meta4").toString(), "-d", d.toString(), "-q"};
            try (var held = org.mirrorswarm.live.store.FolderLock.take(d)) {
                assertThat(held).isNotNull();
                if (ahead) {
                    MetalinkPrefetch.start(args);
                }
                assertThat(run(args)).isNotZero();
                assertThat(err.toString()).contains("another mirrorswarm fetch is downloading into this folder");
                assertThat(record).as("ahead: " + ahead).doesNotExist();
            }
            err.getBuffer().setLength(0);
            if (ahead) {
                MetalinkPrefetch.start(args);
            }
            assertThat(run(args)).isEqualTo(ExitCodes.FAILED); // the only mirror answers 404
            assertThat(Files.readString(record)).contains("a=2026-01-02T00\\:00\\:00Z");
            Files.delete(record);
            err.getBuffer().setLength(0);
        }
    }

    @Test
    void badOptionsAreOneLineWithTheValidChoices() throws IOException {
        assertThat(run("fetch", "x.deb", "--mirror", "http://127.0.0.1:9/x.deb", "-d", tmp.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--sha256 is required");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--strategy", "adaptiv")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("did you mean 'adaptive'");
        err.getBuffer().setLength(0);
        // Parameters as the scenario files and the strategy list write them: checked before anything is read.
        assertThat(run("fetch", "x.meta4", "--strategy", "adaptive(target-duraton=1s)")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("'target-duraton'").contains("did you mean 'target-duration'");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--tail", "hedge(min-delay=soon)")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("min-delay").contains("soon");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--strategy", "adaptive(gate=false")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("mirrorswarm: --strategy: 'adaptive(gate=false': parameters end with ')'"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("fetch", tmp.resolve("nope.meta4").toString(), "--strategy", "adaptive(target-duration=1s,gate=false)",
                "--selector", "p2c-peak-ewma", "--tail", "hedge(min-delay=250ms)")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).as("a good spec gets as far as the missing file").contains("nope.meta4");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.deb", "--mirror", "http://127.0.0.1:9/x.deb", "--sha256", "xyz", "-d", tmp.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--sha256");
        assertOneLineAndNothingWritten(tmp);
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--limit-rate", "fast", "-d", tmp.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: --limit-rate: not a size: 'fast'");
        assertOneLineAndNothingWritten(tmp);
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--pipeline-depth", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("mirrorswarm: --pipeline-depth: 1–64, got 0" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--pipeline-depth", "4", "--no-pipelining")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("mirrorswarm: --pipeline-depth does not go with --no-pipelining"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "x.meta4", "--tls-engine", "openssl", "-d", tmp.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("mirrorswarm: --tls-engine: 'openssl' is not a TLS engine (auto, conscrypt or jdk)"
                + System.lineSeparator());
        assertOneLineAndNothingWritten(tmp);
    }

    @Test
    void metalinkWritesSha256PiecesForEveryFileAndMirror() throws IOException {
        Path f = tmp.resolve("a b.bin");
        Files.write(f, new byte[3 * 65536 + 5]);
        assertThat(run("metalink", f.toString(), "--mirror", "http://m1.example/pub", "--mirror", "https://m2.example/",
                "--piece-size", "64KiB")).isZero();
        String xml = out.toString();
        assertThat(xml).contains("<file name=\"a b.bin\">").contains("<size>196613</size>")
                .contains("<pieces length=\"65536\" type=\"sha-256\">")
                .contains("<url priority=\"1\">http://m1.example/pub/a%20b.bin</url>")
                .contains("<url priority=\"2\">https://m2.example/a%20b.bin</url>");
        assertThat(xml.split("<hash>", -1)).hasSize(5); // four pieces
        assertThat(run("metalink", f.toString(), "--mirror", "ftp://x/")).isEqualTo(ExitCodes.USAGE);
    }

    /**
     * What metalink refuses before it hashes anything, in one line: -o naming one of its own inputs (it was
     * overwritten with the Metalink), two files the Metalink would name alike (it wrote both, and every reader
     * refuses such a document), a folder.
     */
    @Test
    void metalinkNeverOverwritesAnInputNorNamesTwoFilesAlike() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a")).resolve("x.deb");
        Path b = Files.createDirectories(tmp.resolve("b")).resolve("x.deb");
        Files.writeString(a, "package a");
        Files.writeString(b, "package b");
        assertThat(run("metalink", a.toString(), "--mirror", "http://m/", "-o", tmp.resolve("a/../a/x.deb").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("is one of the files to describe");
        assertThat(Files.readString(a)).isEqualTo("package a");

        err.getBuffer().setLength(0);
        out.getBuffer().setLength(0);
        assertThat(run("metalink", a.toString(), b.toString(), "--mirror", "http://m/")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: " + b + ": named 'x.deb' in the Metalink, as " + a
                + " is; a Metalink names each file once (give paths relative to a common folder, e.g. a/x.deb b/x.deb)");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run("metalink", a.getParent().toString(), "--mirror", "http://m/")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains(a.getParent() + ": a folder");
    }
}
