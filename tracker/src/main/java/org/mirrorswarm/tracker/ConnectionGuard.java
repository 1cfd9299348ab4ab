package org.mirrorswarm.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;

/**
 * Keeps slow or greedy clients from starving the others: at most {@code perAddress} open connections per
 * client address (more are closed at once), and a connection that keeps sending bytes for a whole
 * {@code deadline} without completing a request (a slowloris trickling its headers, which the idle
 * timeout alone never catches) is closed. Idle keep-alive connections are the idle timeout's business.
 */
final class ConnectionGuard implements Connection.Listener {
    private final int perAddress;
    private final long deadlineMs;
    private final ScheduledExecutorService timer;
    /**
     * Open connections per address, changed only inside the map's atomic compute: an increment made outside
     * it, on a counter a closing connection had just taken to zero and removed, counted that connection on
     * nothing, and the address then got more than its share (a flaky test showed five held at once).
     */
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, ScheduledFuture<?>> watches = new ConcurrentHashMap<>();

    ConnectionGuard(int perAddress, Duration deadline, ScheduledExecutorService timer) {
        this.perAddress = perAddress;
        this.deadlineMs = deadline.toMillis();
        this.timer = timer;
    }

    @Override
    public void onOpened(Connection c) {
        InetAddress a = address(c);
        if (a != null && open.merge(a, 1, Integer::sum) > perAddress) {
            c.close(); // counted: its onClosed takes it off again
            return;
        }
        long[] last = {c.getBytesIn(), c.getMessagesIn()};
        try {
            watches.put(c, timer.scheduleWithFixedDelay(() -> {
                long bytes = c.getBytesIn();
                long messages = c.getMessagesIn();
                if (bytes > last[0] && messages == last[1]) {
                    c.close();
                }
                last[0] = bytes;
                last[1] = messages;
            }, deadlineMs, deadlineMs, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down
        }
    }

    @Override
    public void onClosed(Connection c) {
        InetAddress a = address(c);
        if (a != null) {
            open.computeIfPresent(a, (k, n) -> n <= 1 ? null : n - 1);
        }
        ScheduledFuture<?> f = watches.remove(c);
        if (f != null) {
            f.cancel(false);
        }
    }

    private static InetAddress address(Connection c) {
        var s = c.getEndPoint().getRemoteSocketAddress();
        return s instanceof InetSocketAddress i ? i.getAddress() : null;
    }
}
