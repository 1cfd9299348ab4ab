package org.mirrorswarm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.mirrorswarm.live.manifest.Keys;
import org.mirrorswarm.live.manifest.ManifestException;
import org.mirrorswarm.live.manifest.RepoManifest;
import org.mirrorswarm.strategies.Units;
import org.mirrorswarm.tracker.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm sign}: hashes a repository and signs its manifest, offline, at publish time. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Hashes every file of the repository folder (SHA-256 of each file and of each piece; unchanged files "
                    + "come from the hash cache the tracker shares) and writes DIR/repo.manifest signed with an "
                    + "Ed25519 key. Run it where the key lives, at publish time; the tracker then only serves the "
                    + "signed file, and mirrors copy it with the rest.",
            ""
        })
public final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", required = true, description = "The private key (from 'mirrorswarm keygen').")
    Path key;

    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "The repository folder.")
    Path repo;

    @Option(names = "--expires", paramLabel = "TIME", description = "How long clients may use it (default: 7d is 168h).")
    String expires = "168h";

    @Option(names = "--piece-size", paramLabel = "BYTES", description = "Piece length (default: 1MiB, as the tracker's).")
    String pieceSize = "1MiB";

    @Option(names = "--state", paramLabel = "DIR", description = "Hash cache folder (default: the tracker's, ~/.cache/mirrorswarm/tracker-KEY).")
    Path state;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(repo)) {
            throw new UserException(repo + ": not a folder");
        }
        if (!Files.isRegularFile(key)) {
            throw new UserException("--key " + key + ": no such file");
        }
        int piece = MetalinkCommand.pieceLength(pieceSize);
        double seconds;
        try {
            seconds = Units.parseSeconds(expires);
        } catch (IllegalArgumentException e) {
            throw new UserException("--expires: " + e.getMessage());
        }
        if (!(seconds > 0)) {
            throw new UserException("--expires: must be positive");
        }
        try {
            var privateKey = Keys.readPrivate(key);
            Repository r = new Repository(repo, state != null ? state : Repository.defaultState(repo), piece);
            int hashed = r.scan();
            Instant now = Instant.now();
            RepoManifest m = r.manifest(now, now.plusMillis((long) (seconds * 1000)));
            byte[] signed = m.signed(privateKey);
            Path out = r.root().resolve(Repository.MANIFEST);
            Path tmp = out.resolveSibling("." + Repository.MANIFEST + ".tmp");
            Files.write(tmp, signed);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getOut().println("signed " + out + ": " + m.entries().size() + " files (" + hashed
                    + " hashed now), published " + m.published() + ", expires " + m.expires());
        } catch (ManifestException e) {
            throw new UserException(e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new UserException(key + ": cannot sign with it (" + e.getMessage() + ")", e);
        }
        return ExitCodes.OK;
    }
}
