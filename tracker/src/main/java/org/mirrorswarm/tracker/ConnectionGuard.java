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
     * Open connections per address, taken off by the address recorded when counted ({@link #live}), once per
     * connection. It was taken off by the address read at close, which a closed endpoint no longer has (null):
     * nothing was ever taken off, and after enough connections an address had every one refused. Changed only
     * inside the map's atomic merge and compute, and a connection already closed when told opened is taken off
     * at once.
     */
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** The connections counted in {@link #open}, with their address. */
    private final ConcurrentHashMap<Connection, InetAddress> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, ScheduledFuture<?>> watches = new ConcurrentHashMap<>();

    ConnectionGuard(int perAddress, Duration deadline, ScheduledExecutorService timer) {
        this.perAddress = perAddress;
        this.deadlineMs = deadline.toMillis();
        this.timer = timer;
    }

    @Override
    public void onOpened(Connection c) {
        InetAddress a = address(c);
        if (a != null && live.putIfAbsent(c, a) == null) {
            int n = open.merge(a, 1, Integer::sum);
            if (!c.getEndPoint().isOpen()) {
                forget(c); // closed already, perhaps told so before this: nothing will take it off
                return;
            }
            if (n > perAddress) {
                c.close(); // counted: its onClosed takes it off again
                return;
            }
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
            if (!c.getEndPoint().isOpen()) { // closed meanwhile: its onClosed may have looked for the watch already
                unwatch(c);
            }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down
        }
    }

    @Override
    public void onClosed(Connection c) {
        forget(c);
        unwatch(c);
    }

    private void unwatch(Connection c) {
        ScheduledFuture<?> f = watches.remove(c);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Takes {@code c} off its address's count, once however often it is called. */
    private void forget(Connection c) {
        InetAddress a = live.remove(c);
        if (a != null) {
            open.computeIfPresent(a, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static InetAddress address(Connection c) {
        var s = c.getEndPoint().getRemoteSocketAddress();
        return s instanceof InetSocketAddress i ? i.getAddress() : null;
    }
}
