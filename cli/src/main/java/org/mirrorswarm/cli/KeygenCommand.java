package org.mirrorswarm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mirrorswarm.live.manifest.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm keygen}: an Ed25519 key pair for signing repository manifests offline. */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Writes an Ed25519 key pair: NAME.key (private, PKCS#8 PEM, readable by its owner only; keep it off the "
                    + "tracker) and NAME.pub (give it to clients: 'mirrorswarm fetch --public-key NAME.pub'). "
                    + "Never overwrites.",
            ""
        })
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Path and base name of the two files.")
    Path name;

    @Override
    public Integer call() {
        if (name.getFileName() == null || java.nio.file.Files.isDirectory(name)) {
            throw new UserException(name + ": is a folder; give a path and base name, e.g. " + name.resolve("mirror-key")
                    + " for mirror-key.key and mirror-key.pub");
        }
        Folders.refuseFileOnPath("NAME", name, name.toAbsolutePath().getParent());
        Path key = name.resolveSibling(name.getFileName() + ".key");
        Path pub = name.resolveSibling(name.getFileName() + ".pub");
        var pair = Keys.generate();
        try {
            Keys.write(pair, key, pub);
        } catch (IOException e) {
            throw new UserException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println("wrote " + key + " (private) and " + pub + " (public, key "
                + Keys.fingerprint(pair.getPublic()) + ")");
        return ExitCodes.OK;
    }
}
