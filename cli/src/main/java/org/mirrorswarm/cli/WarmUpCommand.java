package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import picocli.CommandLine.Command;

/**
 * {@code mirrorswarm warm-up} (hidden): one small run of the paths a command line takes — writing a
 * Metalink, fetching through it from a loopback file server, listing strategies — so that the launcher
 * can record the classes they load in a class-data sharing archive ({@code -XX:ArchiveClassesAtExit}).
 * Later runs map that archive instead of loading and verifying those classes again: a short
 * {@code fetch} starts about a tenth of a second sooner.
 */
@Command(name = "warm-up", hidden = true, description = "Exercises the common paths once (for the launcher's class-data archive).")
public final class WarmUpCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("mirrorswarm-warm-up");
        Server server = new Server();
        try {
            Path www = Files.createDirectories(dir.resolve("www"));
            byte[] b = new byte[3 << 20];
            new SplittableRandom(1).nextBytes(b);
            Files.write(www.resolve("warm-up.bin"), b);
            ServerConnector c = new ServerConnector(server);
            c.setHost(InetAddress.getLoopbackAddress().getHostAddress());
            c.setPort(0);
            server.addConnector(c);
            ResourceHandler files = new ResourceHandler();
            files.setBaseResource(ResourceFactory.of(files).newResource(www));
            server.setHandler(files);
            server.start();
            String base = "http://" + c.getHost() + ":" + c.getLocalPort() + "/";
            Path meta = dir.resolve("warm-up.meta4");
            run("metalink", www.resolve("warm-up.bin").toString(), "--mirror", base, "--mirror",
                    base.replace("127.0.0.1", "localhost"), "--piece-size", "256KiB", "-o", meta.toString());
            run("fetch", meta.toString(), "-d", dir.resolve("out").toString(), "--json");
            // and through the general client (OkHttp), which a fetch builds only when a mirror needs it (a
            // redirect, HTTP/2, --no-pipelining): its classes in the archive too
            run("fetch", meta.toString(), "-d", dir.resolve("out-general").toString(), "--json", "--no-pipelining");
            fetchOverTls(server, www, dir);
            run("strategies");
            loadClientClasses();
            return ExitCodes.OK;
        } finally {
            server.stop();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /**
     * Loads every class of the scheduler and the live client, so that the archive holds those the run above
     * did not reach (a tail policy's steal, a failure's handling, another strategy): a class missing from it
     * is read and verified from the 10,000-entry jar when first needed — at the end of a download, where it
     * counts. Only from the runnable jar; a no-op on a class folder.
     */
    private static void loadClientClasses() throws IOException {
        java.security.CodeSource src = WarmUpCommand.class.getProtectionDomain().getCodeSource();
        Path jar = src == null ? null : Path.of(java.net.URI.create(src.getLocation().toString()));
        if (jar == null || !Files.isRegularFile(jar)) {
            return;
        }
        ClassLoader loader = WarmUpCommand.class.getClassLoader();
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            for (var e = j.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if ((n.startsWith("org/mirrorswarm/strategies/") || n.startsWith("org/mirrorswarm/live/"))
                        && n.endsWith(".class") && !n.endsWith("package-info.class")) {
                    try {
                        Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError ignored) {
                        // not archived then; loaded from the jar if ever needed
                    }
                }
            }
        }
    }

    /**
     * The same fetch over https from a loopback mirror with a throwaway certificate ({@code warm-up.p12}, for
     * 127.0.0.1, trusted only here through {@code --ca-certificate}), on either TLS engine: their classes (the
     * JDK's are some 850) are then in the archive too (a one-file fetch over https loaded 912 classes outside it
     * without the JDK's, 101 with; 0.58 → about 0.50 s). The certificate is signed by a throwaway authority
     * ({@code warm-up.pem}), as real mirrors' are, not by itself: a self-signed one is trusted as it stands,
     * and the JDK's chain validation (PKIX, its checkers and distrust policies: 35 classes) was left out of
     * the archive. Best effort: a machine where it fails still gets the rest of the archive.
     */
    private static void fetchOverTls(Server server, Path www, Path dir) {
        try {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStoreResource(ResourceFactory.of(server).newClassLoaderResource("org/mirrorswarm/cli/warm-up.p12"));
            ssl.setKeyStorePassword("warm-up-only");
            ServerConnector c = new ServerConnector(server, ssl);
            c.setHost("127.0.0.1");
            c.setPort(0);
            server.addConnector(c);
            c.start();
            Path pem = dir.resolve("warm-up.pem");
            try (java.io.InputStream in = WarmUpCommand.class.getResourceAsStream("warm-up.pem")) {
                Files.write(pem, in.readAllBytes());
            }
            String base = "https://127.0.0.1:" + c.getLocalPort() + "/";
            Path meta = dir.resolve("warm-up-tls.meta4");
            run("metalink", www.resolve("warm-up.bin").toString(), "--mirror", base, "--piece-size", "256KiB",
                    "-o", meta.toString());
            run("fetch", meta.toString(), "-d", dir.resolve("out-tls").toString(), "--json", "--ca-certificate",
                    pem.toString());
            run("fetch", meta.toString(), "-d", dir.resolve("out-tls-general").toString(), "--json",
                    "--ca-certificate", pem.toString(), "--no-pipelining");
            // and on the JDK's TLS, for --tls-engine jdk (the default is Conscrypt where it loads)
            run("fetch", meta.toString(), "-d", dir.resolve("out-tls-jdk").toString(), "--json", "--ca-certificate",
                    pem.toString(), "--tls-engine", "jdk");
        } catch (Exception | LinkageError e) {
            // no TLS classes in the archive: https fetches start a little later, nothing else changes
        }
    }

    /** Runs a command line the way {@link Main#main} does (a plain {@code fetch} without picocli). */
    private static void run(String... args) {
        StringWriter sink = new StringWriter();
        FetchCommand quick = Main.begin(args);
        int code = quick != null ? Main.run(quick, new PrintWriter(sink), new PrintWriter(sink))
                : Cli.commandLine(new PrintWriter(sink), new PrintWriter(sink)).execute(args);
        if (code != 0) {
            throw new IllegalStateException("warm-up: '" + String.join(" ", args) + "' failed: " + sink);
        }
    }
}
