package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The version from the build, plus the Java runtime, for {@code --version} and every report. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    /** The project version the jar was built as, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        // The jar's manifest says it (Implementation-Version), known to the class loader without reading the
        // jar again: a resource read opens the 10,000-entry jar a second time (5-10 ms of a fetch's start).
        String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "mirrorswarm " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
