package org.mirrorswarm.live.manifest;

/** A manifest or key that cannot be used; the message is one line naming the source. */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }
}
