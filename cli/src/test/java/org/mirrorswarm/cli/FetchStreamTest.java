package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch FILE.meta4} starts downloading while the Metalink is still being read: a document refused
 * at its end (an unsafe name in its last file, an expired one) still ends in one line and an empty target
 * folder, though its first files were already being fetched from a real server.
 */
class FetchStreamTest {
    private static final int FILES = 2000;

    /** The files, served for the whole class; their Metalink is written once ({@code good.meta4}). */
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    private static Server server;
    private static String base;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final List<String> NAMES = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void serve() throws Exception {
        Path www = Files.createDirectories(shared.resolve("www"));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < FILES; i++) {
            byte[] b = new byte[2048 + r.nextInt(2048)];
            r.nextBytes(b);
            String n = "pkg-" + i + ".deb";
            Files.write(www.resolve(n), b);
            NAMES.add(n);
        }
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        c.setPort(0);
        server.addConnector(c);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(www));
        server.setHandler(new Handler.Wrapper(files) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                REQUESTS.incrementAndGet();
                return super.handle(request, response, callback);
            }
        });
        server.start();
        base = "http://" + c.getHost() + ":" + c.getLocalPort() + "/";
        List<String> args = new ArrayList<>(List.of("metalink"));
        NAMES.forEach(n -> args.add(www.resolve(n).toString()));
        args.addAll(List.of("--mirror", base, "--piece-size", "16KiB", "-o", shared.resolve("good.meta4").toString()));
        StringWriter err = new StringWriter();
        assertThat(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute(args.toArray(String[]::new))).as(err.toString()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void count() {
        REQUESTS.set(0);
    }

    private int run(String... args) {
        // As Main does: the Metalink is read ahead from the first moment.
        MetalinkPrefetch.start(args);
        FetchCommand quick = FetchArgs.read(args);
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        return quick != null ? Main.run(quick, o, e) : Cli.commandLine(o, e).execute(args);
    }

    /** The Metalink of every file, with {@code tail} inserted after the last one. */
    private Path metalink(String name, String tail) throws IOException {
        String doc = Files.readString(shared.resolve("good.meta4")).replace("</metalink>", tail + "</metalink>");
        Path m = tmp.resolve(name);
        Files.writeString(m, doc);
        return m;
    }

    private void assertOneLineAndNothingLeft(Path dir) throws IOException {
        assertThat(err.toString().lines().count()).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).startsWith("mirrorswarm: ").doesNotContain("\tat ");
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(p -> !p.equals(dir))).isEmpty();
        }
    }

    @Test
    void anUnsafeNameAtTheEndUndoesADownloadAlreadyUnderWay() throws IOException {
        Path m = metalink("evil.meta4", "<file name=\"../../etc/cron.d/x\"><size>1</size><url>" + base
                + "x</url></file>");
        Path d = Files.createDirectories(tmp.resolve("d"));
        assertThat(run("fetch", m.toString(), "-d", d.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("evil.meta4:").contains("refusing file name");
        assertThat(REQUESTS.get()).as("requests made before the refusal").isPositive();
        assertOneLineAndNothingLeft(d);
    }

    @Test
    void anExpiryAfterTheFilesRefusesTheDownloadAndUndoesIt() throws IOException {
        // RFC 5854 leaves the order of a metalink's children free: the expiry may come last.
        Path m = metalink("old.meta4", "<published>2020-01-01T00:00:00Z</published>"
                + "<ms:expires xmlns:ms=\"https://mirrorswarm.org/ns/metalink\">2020-01-08T00:00:00Z</ms:expires>");
        Path d = Files.createDirectories(tmp.resolve("d"));
        assertThat(run("fetch", m.toString(), "-d", d.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("expired");
        assertThat(REQUESTS.get()).isPositive();
        assertOneLineAndNothingLeft(d);
    }

    @Test
    void aMetalinkNamedByUrlIsStillFetchedTheUsualWay() throws IOException {
        // A URL ending in .meta4 is not a local file to read ahead: the command fetches the document first.
        Path m = metalink("ok.meta4", "");
        Files.copy(m, shared.resolve("www").resolve("list.meta4"));
        Path d = Files.createDirectories(tmp.resolve("d"));
        assertThat(run("fetch", base + "list.meta4", "-d", d.toString(), "-q")).as(err.toString()).isZero();
        for (String n : List.of(NAMES.get(0), NAMES.get(FILES - 1))) {
            assertThat(Files.readAllBytes(d.resolve(n))).isEqualTo(Files.readAllBytes(shared.resolve("www").resolve(n)));
        }
    }

    @Test
    void aGoodMetalinkIsFetchedWhole() throws IOException {
        Path m = metalink("ok.meta4", "");
        Path d = Files.createDirectories(tmp.resolve("d"));
        assertThat(run("fetch", m.toString(), "-d", d.toString(), "-q")).as(err.toString()).isZero();
        for (String n : NAMES) {
            assertThat(Files.readAllBytes(d.resolve(n))).isEqualTo(Files.readAllBytes(shared.resolve("www").resolve(n)));
        }
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s.filter(p -> !p.getFileName().toString().endsWith(".deb")).map(Path::getFileName)
                    .map(Path::toString)).allMatch(n -> n.startsWith(".mirrorswarm"));
        }
    }
    @Test
    void withATraceTheDownloadStillStartsWhileTheMetalinkIsReadAndARefusalLeavesNoTrace() throws IOException {
        // The trace is written beside its name and takes it only for an accepted source (before, --trace read
        // the whole document first so as to open it for an accepted one only: no request before the refusal).
        Path m = metalink("old.meta4", "<published>2020-01-01T00:00:00Z</published>"
                + "<ms:expires xmlns:ms=\"https://mirrorswarm.org/ns/metalink\">2020-01-08T00:00:00Z</ms:expires>");
        Path d = Files.createDirectories(tmp.resolve("d"));
        Path traces = Files.createDirectories(tmp.resolve("traces"));
        assertThat(run("fetch", m.toString(), "-d", d.toString(), "--trace", traces.resolve("t.trace").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("expired");
        assertThat(REQUESTS.get()).as("requests made before the refusal").isPositive();
        assertOneLineAndNothingLeft(d);
        try (Stream<Path> s = Files.list(traces)) {
            assertThat(s).as("the trace folder").isEmpty();
        }
    }

    @Test
    void anAcceptedMetalinkLeavesItsTraceUnderItsName() throws IOException {
        Path m = metalink("ok.meta4", "");
        Path d = Files.createDirectories(tmp.resolve("d"));
        Path traces = Files.createDirectories(tmp.resolve("traces"));
        Path t = traces.resolve("t.trace");
        assertThat(run("fetch", m.toString(), "-d", d.toString(), "-q", "--trace", t.toString())).as(err.toString())
                .isZero();
        try (Stream<Path> s = Files.list(traces)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("t.trace");
        }
        List<String> lines = Files.readAllLines(t);
        assertThat(lines.get(0)).startsWith("# mirrorswarm trace");
        assertThat(lines).filteredOn(l -> l.contains("\tAddFile\t")).hasSize(FILES);
    }
}
