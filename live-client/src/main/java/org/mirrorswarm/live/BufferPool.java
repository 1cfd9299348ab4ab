package org.mirrorswarm.live;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Piece buffers reused across transfers, so a long download allocates a few and no more, and never more
 * than a budget of bytes at once (free buffers included): a transfer whose buffer would go over it waits
 * until another gives one back. One buffer is always granted when none is out, so a piece larger than the
 * budget still gets fetched, alone.
 */
final class BufferPool {
    private final long budget;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    /** Bytes of every buffer made and not dropped: out with a transfer or free here. */
    private long allocated;
    private int out;

    BufferPool(long budget) {
        this.budget = budget;
    }

    /**
     * A buffer of at least {@code size} bytes; waits while it would take the pool over its budget. Null when
     * {@code stopped} turns true while waiting.
     */
    synchronized byte[] take(int size, BooleanSupplier stopped) throws InterruptedException {
        while (true) {
            for (var it = free.iterator(); it.hasNext(); ) {
                byte[] b = it.next();
                if (b.length >= size) {
                    it.remove();
                    out++;
                    return b;
                }
            }
            // None big enough: drop free ones (smallest use first) until the new one fits the budget.
            while (allocated + size > budget && !free.isEmpty()) {
                allocated -= free.pollLast().length;
            }
            if (allocated + size <= budget || out == 0) {
                allocated += size;
                out++;
                return new byte[size];
            }
            if (stopped.getAsBoolean()) {
                return null;
            }
            wait(50);
        }
    }

    synchronized void give(byte[] b) {
        out--;
        if (free.size() < 64) {
            free.push(b);
        } else {
            allocated -= b.length;
        }
        notifyAll();
    }

    /** Bytes of buffers made and not dropped (for tests). */
    synchronized long allocated() {
        return allocated;
    }
}
