package org.mirrorswarm.live;

import java.util.ArrayDeque;

/** Piece buffers reused across transfers, so a long download allocates a few and no more. */
final class BufferPool {
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    synchronized byte[] take(int size) {
        byte[] b = free.poll();
        while (b != null && b.length < size) {
            b = free.poll();
        }
        return b != null ? b : new byte[size];
    }

    synchronized void give(byte[] b) {
        if (free.size() < 64) {
            free.push(b);
        }
    }
}
