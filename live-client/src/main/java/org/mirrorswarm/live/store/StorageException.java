package org.mirrorswarm.live.store;

import java.io.IOException;

/**
 * The target folder cannot take the download: another fetch holds it ({@link FolderLock.Busy}), or it has
 * not the room for it. Its message is the whole story, for one line.
 */
public class StorageException extends IOException {
    public StorageException(String message) {
        super(message);
    }
}
