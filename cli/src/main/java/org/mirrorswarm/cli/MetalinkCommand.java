package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mirrorswarm.live.metalink.FileHashes;
import org.mirrorswarm.live.metalink.MetalinkFile;
import org.mirrorswarm.live.metalink.MetalinkUrl;
import org.mirrorswarm.live.metalink.MetalinkWriter;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.live.store.AtomicWrite;
import org.mirrorswarm.strategies.HashAlgorithm;
import org.mirrorswarm.strategies.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm metalink}: writes a Metalink v4 with SHA-256 piece hashes for local files. */
@Command(
        name = "metalink",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Hashes local files (SHA-256 of the whole file and of every piece) and writes a Metalink v4 (RFC 5854) "
                    + "listing each file under every --mirror base URL, in the order given. aria2c and "
                    + "'mirrorswarm fetch' both read it.",
            ""
        })
public final class MetalinkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to describe; each is named by its path as given, relative.")
    List<Path> files;

    @Option(names = "--mirror", paramLabel = "BASE-URL", required = true,
            description = "A mirror's base URL (repeat; the first is the most preferred). The file's name is appended.")
    List<String> mirrors;

    @Option(names = "--piece-size", paramLabel = "BYTES", description = "Piece length (default: 1MiB).")
    String pieceSize = "1MiB";

    @Option(names = "--expires", paramLabel = "TIME", description = "Also write an expiry this long from now (e.g. 7d is 168h); clients refuse it after.")
    String expires;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        long piece = pieceLength(pieceSize);
        for (String m : mirrors) {
            if (!m.startsWith("http://") && !m.startsWith("https://")) {
                throw new UserException("--mirror: not an http(s) URL: " + m);
            }
        }
        if (output != null) { // before the files are hashed, which may take a while
            if (Files.isDirectory(output)) {
                throw new UserException("-o " + output + ": is a folder");
            }
            Path parent = output.toAbsolutePath().getParent();
            Folders.refuseFileOnPath("-o", output, parent);
            if (!Files.isDirectory(parent)) {
                throw new UserException("-o " + output + ": no such folder " + parent);
            }
        }
        // Every file is checked before any is hashed, which may take a while.
        Map<String, Path> names = new java.util.LinkedHashMap<>();
        for (Path f : files) {
            String name = f.normalize().toString().replace(f.getFileSystem().getSeparator(), "/");
            if (f.isAbsolute()) {
                name = f.getFileName().toString();
            }
            String problem = SafeNames.problem(name);
            if (problem != null) {
                throw new UserException(f + ": " + problem + " (give a relative path below the current folder)");
            }
            if (Files.isDirectory(f)) {
                throw new UserException(f + ": a folder (give the files in it, e.g. " + f + "/*)");
            }
            if (!Files.isRegularFile(f)) {
                throw new UserException(f + ": no such file");
            }
            if (output != null && Files.exists(output) && Files.isSameFile(output, f)) {
                throw new UserException("-o " + output + ": is one of the files to describe; it would be overwritten");
            }
            Path other = names.putIfAbsent(name, f);
            if (other != null) {
                throw new UserException(f + ": named '" + name + "' in the Metalink, as " + other + " is; a Metalink names "
                        + "each file once (give paths relative to a common folder, e.g. a/x.deb b/x.deb)");
            }
        }
        List<MetalinkFile> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : names.entrySet()) {
            out.add(describe(e.getValue(), e.getKey(), (int) piece));
        }
        Instant now = Instant.now();
        Instant exp = null;
        if (expires != null) {
            try {
                exp = now.plusMillis((long) (Units.parseSeconds(expires) * 1000));
            } catch (IllegalArgumentException e) {
                throw new UserException("--expires: " + e.getMessage());
            }
        }
        String doc = MetalinkWriter.write(out, now, exp, "mirrorswarm/" + Version.version());
        if (output != null) {
            AtomicWrite.replace(output, w -> w.write(doc));
        } else {
            PrintWriter w = spec.commandLine().getOut();
            w.print(doc);
            w.flush();
        }
        return ExitCodes.OK;
    }

    /** A {@code --piece-size} value: 16 KiB to 64 MiB. */
    static int pieceLength(String text) {
        long piece;
        try {
            piece = Units.parseBytes(text);
        } catch (IllegalArgumentException e) {
            throw new UserException("--piece-size: " + e.getMessage());
        }
        if (piece < 16 << 10 || piece > 64 << 20) {
            throw new UserException("--piece-size: 16KiB–64MiB, got " + text);
        }
        return (int) piece;
    }

    private MetalinkFile describe(Path f, String name, int pieceLength) throws IOException {
        FileHashes h = FileHashes.of(f, pieceLength);
        List<MetalinkUrl> urls = new ArrayList<>();
        for (int i = 0; i < mirrors.size(); i++) {
            String base = mirrors.get(i).endsWith("/") ? mirrors.get(i) : mirrors.get(i) + "/";
            urls.add(new MetalinkUrl(base + SafeNames.urlPath(name), i + 1, "", 0));
        }
        return new MetalinkFile(name, h.size(), Map.of(HashAlgorithm.SHA_256, h.sha256()), h.metalinkPieces(), urls);
    }
}
