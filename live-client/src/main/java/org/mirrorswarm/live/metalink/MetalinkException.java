package org.mirrorswarm.live.metalink;

/** A Metalink that cannot be used; the message names the source and, where known, line and column. */
public final class MetalinkException extends Exception {
    public MetalinkException(String message) {
        super(message);
    }

    public MetalinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
