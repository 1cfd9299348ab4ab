package org.mirrorswarm.live.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import org.mirrorswarm.live.store.AtomicWrite;

/**
 * Refuses an expired manifest (a freeze attack) and one published before a manifest already accepted
 * under the same key (a rollback), as TUF's timestamp and snapshot roles do. What was accepted is
 * remembered per key fingerprint in {@code DIR/.mirrorswarm-manifests}.
 */
public final class ManifestGuard {
    public static final String STATE = ".mirrorswarm-manifests";

    private ManifestGuard() {
    }

    /** Throws when {@code m} (signed by the key of {@code fingerprint}) may not be used now. */
    public static void check(RepoManifest m, String fingerprint, String source, Path dir, Instant now)
            throws IOException, ManifestException {
        if (m.expires() == null) {
            throw new ManifestException(source + ": no expiry; a signed manifest must say when it expires");
        }
        if (now.isAfter(m.expires())) {
            throw new ManifestException(source + ": expired at " + m.expires() + " (now " + now.truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS) + "); refusing a stale manifest");
        }
        Instant before = seen(dir, fingerprint);
        if (before != null && m.published().isBefore(before)) {
            throw new ManifestException(source + ": published " + m.published() + ", older than the manifest accepted "
                    + "before (" + before + "); refusing a rollback");
        }
    }

    /** Remembers {@code m} as the newest accepted under {@code fingerprint}. */
    public static void remember(RepoManifest m, String fingerprint, Path dir) throws IOException {
        Properties p = load(dir);
        Instant before = parse(p.getProperty(fingerprint));
        if (before != null && !m.published().isAfter(before)) {
            return;
        }
        p.setProperty(fingerprint, m.published().toString());
        Files.createDirectories(dir);
        AtomicWrite.replace(dir.resolve(STATE),
                w -> p.store(w, "mirrorswarm: the newest manifest accepted per signing key (rollback protection)"));
    }

    private static Instant seen(Path dir, String fingerprint) throws IOException {
        return parse(load(dir).getProperty(fingerprint));
    }

    private static Instant parse(String v) {
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Properties load(Path dir) throws IOException {
        return org.mirrorswarm.live.MetalinkGuard.loadProperties(dir.resolve(STATE));
    }
}
