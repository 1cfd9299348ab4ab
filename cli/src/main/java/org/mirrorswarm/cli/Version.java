package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version from the build. Kept apart from {@link VersionProvider}, whose picocli interface a fetch never loads. */
public final class Version {
    private Version() {
    }

    /** The project version the jar was built as, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        // The jar's manifest says it (Implementation-Version), known to the class loader without a resource
        // read; the properties file is for a class folder (tests, the IDE).
        String fromManifest = Version.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
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
}
