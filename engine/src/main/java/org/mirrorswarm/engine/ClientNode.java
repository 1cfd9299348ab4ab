package org.mirrorswarm.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.Event.AddFile;
import org.mirrorswarm.strategies.Event.Timer;
import org.mirrorswarm.strategies.FileJob;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.TraceSink;
import umontreal.ssj.simevents.Event;

/**
 * A simulated client: arrives, gets plans and mirror lists through the tracker-overhead strategy, and
 * downloads its packages with the shared {@link Scheduler}, exactly as the live client does — the
 * scheduler sees only events with times and answers with actions.
 */
final class ClientNode {
    /** Tracker queries a client has in flight at once, as dnf fetches metadata a few at a time. */
    static final int TRACKER_PARALLEL = 4;
    /** A BitTorrent UDP connection id stays valid this long (BEP 15). */
    static final double UDP_CONNECTION_LIFETIME = 60;

    /** A TCP connection to a mirror, kept alive between requests with its congestion window. */
    static final class Conn {
        final MirrorNode mirror;
        double cwnd;
        double idleSince;
        /** The request being answered on it, and those pipelined behind it (network.pipelining). */
        Flight current;
        /** Made when a first request is pipelined: most connections never have one. */
        private ArrayDeque<Flight> queued;

        ArrayDeque<Flight> queued() {
            if (queued == null) {
                queued = new ArrayDeque<>(2);
            }
            return queued;
        }

        /** Requests pipelined behind the one being answered. */
        int waiting() {
            return queued == null ? 0 : queued.size();
        }

        /** The next pipelined request, taken off the queue; null when none waits. */
        Flight next() {
            return queued == null ? null : queued.poll();
        }

        Conn(MirrorNode mirror, double cwnd) {
            this.mirror = mirror;
            this.cwnd = cwnd;
        }
    }

    private final Run run;
    final int id;
    final int region;
    final int down;
    final double arrival;
    private final int[] packages;
    private final long schedulerSeed;
    private final double uplinkCapacity;
    private final boolean firewalled;
    boolean trackerConnected;
    private Swarm.Node swarmNode;
    private Swarm.Member[] members;
    private int swarmFilesDone;

    private Scheduler scheduler;
    private final ArrayDeque<org.mirrorswarm.strategies.Event> inbox = new ArrayDeque<>();
    private boolean handling;
    private final Consumer<Action> sink = this::act;
    private final List<Flight> flights = new ArrayList<>();
    private final List<Conn> idle = new ArrayList<>(4);
    private int[] filePackage;
    private double[] fileStart;
    private boolean[] fileOpen;
    private int filesAdded;
    private int filesFailed;
    private int nextQuery;
    private int queriesOut;
    private double udpConnectedAt = Double.NEGATIVE_INFINITY;
    private Event wake;
    private boolean wakeScheduled;
    private double wakeAt;
    private Event announcer;
    boolean done;

    ClientNode(Run run, int id, int region, int down, double arrival, int[] packages, long schedulerSeed,
               double uplinkCapacity, boolean firewalled) {
        this.run = run;
        this.uplinkCapacity = uplinkCapacity;
        this.firewalled = firewalled;
        this.id = id;
        this.region = region;
        this.down = down;
        this.arrival = arrival;
        this.packages = packages;
        this.schedulerSeed = schedulerSeed;
    }

    // ------------------------------------------------------------------ arrival and the tracker

    void arrive() {
        if (!run.transport.equals("swarm")) {
            scheduler = new Scheduler(run.schedulerConfig.withSeed(schedulerSeed), run.registry, TraceSink.NONE);
        }
        filePackage = new int[packages.length];
        fileStart = new double[packages.length];
        fileOpen = new boolean[packages.length];
        if (packages.length == 0) {
            checkDone();
            return;
        }
        if (!run.transport.equals("mirrors")) {
            // A swarm: the .torrent and a UDP announce per package, whatever the scenario's overhead.
            swarmNode = run.swarm.clientNode(this, uplinkCapacity, firewalled);
            members = new Swarm.Member[packages.length];
            while (queriesOut < TRACKER_PARALLEL && nextQuery < packages.length) {
                query(packages[nextQuery++]);
            }
            return;
        }
        switch (run.overhead) {
            case "repo-manifest" -> run.tracker.request(this, Messages.HTTP_REQUEST, run.manifestBytes, false, () -> {
                List<Mirror> mirrors = run.tracker.answer(this, -1);
                for (int slot = 0; slot < packages.length; slot++) {
                    addFile(packages[slot], mirrors);
                }
            });
            case "metalink-per-file", "bt-per-file" -> {
                while (queriesOut < TRACKER_PARALLEL && nextQuery < packages.length) {
                    query(packages[nextQuery++]);
                }
            }
            default -> throw new IllegalStateException("overhead " + run.overhead);
        }
    }

    private void query(int pkg) {
        queriesOut++;
        if (run.transport.equals("mirrors") && run.overhead.equals("metalink-per-file")) {
            run.tracker.request(this, Messages.HTTP_REQUEST, Messages.metalink(run, pkg), false, () -> {
                List<Mirror> mirrors = run.tracker.answer(this, pkg);
                queryDone();
                addFile(pkg, mirrors);
            });
        } else {
            // BitTorrent: fetch the .torrent (its url-list of web seeds is fixed when the torrent is made),
            // then announce "started" over UDP (BEP 15), connecting first when the connection id expired.
            run.tracker.request(this, Messages.HTTP_REQUEST, Messages.torrent(run, pkg), false, () -> udp(() -> {
                int peers = run.swarm != null ? run.swarm.peersOf(pkg)
                        : Math.min(Messages.BT_PEERS_WANTED, run.swarmPeers[pkg]);
                run.tracker.request(this, Messages.ANNOUNCE_REQUEST, Messages.announceResponse(peers), true, () -> {
                    run.swarmPeers[pkg]++;
                    queryDone();
                    if (run.swarm == null) {
                        addFile(pkg, run.webSeeds(pkg));
                    } else {
                        joinSwarm(pkg);
                    }
                    startAnnouncer();
                });
            }));
        }
    }

    /** Runs {@code then} once this client holds a valid UDP connection id with the tracker. */
    private void udp(Runnable then) {
        double now = run.sim.time();
        if (now - udpConnectedAt < UDP_CONNECTION_LIFETIME) {
            then.run();
            return;
        }
        run.tracker.request(this, Messages.UDP_CONNECT, Messages.UDP_CONNECT, true, () -> {
            udpConnectedAt = run.sim.time();
            then.run();
        });
    }

    private void queryDone() {
        queriesOut--;
        if (nextQuery < packages.length) {
            query(packages[nextQuery++]);
        }
    }

    /** BitTorrent clients re-announce every interval while they download. */
    private void startAnnouncer() {
        if (announcer != null) {
            return;
        }
        announcer = new Event(run.sim) {
            @Override
            public void actions() {
                if (done) {
                    return;
                }
                for (int f = 0; f < filesAdded; f++) {
                    if (fileOpen[f]) {
                        announce(filePackage[f]);
                        if (members != null && members[f] != null) {
                            run.swarm.reannounce(members[f]);
                        }
                    }
                }
                schedule(run.scenario.tracker().announceInterval());
            }
        };
        announcer.schedule(run.scenario.tracker().announceInterval());
    }

    private void announce(int pkg) {
        udp(() -> run.tracker.request(this, Messages.ANNOUNCE_REQUEST,
                Messages.announceResponse(Math.min(Messages.BT_PEERS_WANTED, run.swarmPeers[pkg])), true, () -> { }));
    }

    /** Joins a package's swarm; in the hybrid transport the mirrors serve as web seeds too. */
    private void joinSwarm(int pkg) {
        int f = filesAdded;
        if (run.transport.equals("hybrid")) {
            addFile(pkg, run.webSeeds(pkg));
        } else {
            filesAdded++;
            filePackage[f] = pkg;
            fileStart[f] = run.sim.time();
            fileOpen[f] = true;
        }
        members[f] = run.swarm.join(swarmNode, pkg, f);
    }

    /** A piece arrived from a peer: in the hybrid transport the scheduler hears of it. */
    void pieceFromSwarm(int file, int piece) {
        if (scheduler != null) {
            deliver(new org.mirrorswarm.strategies.Event.PieceObtained(run.sim.time(), file, piece));
        }
    }

    /** A piece arrived over HTTP and the scheduler accepted it: in the hybrid transport, peers hear of it. */
    void pieceOverHttp(int file, int piece) {
        if (members != null && members[file] != null && scheduler != null && scheduler.file(file).isDone(piece)) {
            run.swarm.gotPiece(members[file], piece, true);
        }
    }

    /** True while the scheduler has the piece in flight over HTTP (peers are not asked for it then). */
    boolean fetchingOverHttp(int file, int piece) {
        return scheduler != null && scheduler.file(file).holders(piece) > 0;
    }

    /** The swarm transport finished a file (the hybrid one hears it from the scheduler). */
    void swarmFileDone(int file) {
        fileOpen[file] = false;
        run.fileTimes.add(run.sim.time() - fileStart[file]);
        swarmFilesDone++;
        checkDone();
    }

    void announceCompleted(int pkg) {
        announce(pkg);
    }

    void announceStopped(int pkg) {
        run.swarmPeers[pkg]--;
        run.tracker.count(Messages.ANNOUNCE_REQUEST, Messages.announceResponse(0));
    }

    private void addFile(int pkg, List<Mirror> mirrors) {
        int f = filesAdded++;
        filePackage[f] = pkg;
        fileStart[f] = run.sim.time();
        fileOpen[f] = true;
        deliver(new AddFile(run.sim.time(), new FileJob(run.plans[pkg], mirrors)));
    }

    // ------------------------------------------------------------------ the scheduler

    /** Feeds the scheduler; events that arise while it is deciding wait in order and follow at once. */
    void deliver(org.mirrorswarm.strategies.Event e) {
        if (e instanceof org.mirrorswarm.strategies.Event.SlotFree f) {
            flights.set(f.request(), null); // ended: let it go
        } else if (e instanceof org.mirrorswarm.strategies.Event.RequestFailed f) {
            flights.set(f.request(), null);
        }
        inbox.add(e);
        if (handling) {
            return;
        }
        handling = true;
        try {
            org.mirrorswarm.strategies.Event next;
            while ((next = inbox.poll()) != null) {
                run.schedulerEvents++;
                scheduler.handle(next, sink);
            }
        } finally {
            handling = false;
        }
        checkDone();
    }

    private void act(Action a) {
        if (a instanceof Action.StartRequest s) {
            int pkg = filePackage[s.file()];
            Flight f = new Flight(run, this, s, pkg, run.mirrorById.get(s.mirrorId()));
            flights.add(f);
            f.begin();
        } else if (a instanceof Action.CancelRequest c) {
            Flight f = flights.get(c.request());
            if (f != null) {
                f.abort();
            }
        } else if (a instanceof Action.ShrinkRequest s) {
            Flight f = flights.get(s.request());
            if (f != null) {
                f.shrink(s.newEndPiece());
            }
        } else if (a instanceof Action.WakeAt w) {
            wakeAt(w.time());
        } else if (a instanceof Action.FileCompleted c) {
            fileOpen[c.file()] = false;
            run.fileTimes.add(run.sim.time() - fileStart[c.file()]);
            if (run.transport.equals("mirrors") && run.overhead.equals("bt-per-file")) {
                announce(filePackage[c.file()]); // "completed"
            }
        } else if (a instanceof Action.FileFailed f) {
            fileOpen[f.file()] = false;
            filesFailed++;
        }
    }

    private void wakeAt(double t) {
        if (wake == null) {
            wake = new Event(run.sim) {
                @Override
                public void actions() {
                    wakeScheduled = false;
                    deliver(new Timer(run.sim.time()));
                }
            };
        }
        // The scheduler keeps one timer: a WakeAt replaces the one before, even an earlier one whose time
        // has come but whose Timer is not delivered yet (keeping that one would lose this one).
        if (wakeScheduled) {
            wake.cancel();
        }
        wakeScheduled = true;
        wakeAt = t;
        wake.schedule(Math.max(0, t - run.sim.time()));
    }

    private void checkDone() {
        if (done || filesAdded < packages.length) {
            return;
        }
        if (scheduler == null ? swarmFilesDone < packages.length
                : !scheduler.isFinished() || (scheduler.liveRequests() > 0 && !onlyReadingPast()) || !inbox.isEmpty()) {
            return;
        }
        done = true;
        for (Flight f : flights) {
            if (f != null) {
                f.dropRest(); // as the live client's download ends without waiting for them
            }
        }
        if (draining != null) {
            for (Flight f : new ArrayList<>(draining)) {
                f.dropRest(); // cancelled answers: the client's connections close as it ends
            }
        }
        if (wakeScheduled) {
            wake.cancel();
        }
        if (announcer != null && swarmNode == null) {
            // bt-per-file on mirrors: the client stops at once ("stopped" per file). Swarm members
            // announce "stopped" themselves when they stop seeding.
            announcer.cancel();
            for (int f = 0; f < filesAdded; f++) {
                run.swarmPeers[filePackage[f]]--;
                run.tracker.request(this, Messages.ANNOUNCE_REQUEST, Messages.announceResponse(0), true, () -> { });
            }
        }
        if (scheduler != null) {
            Scheduler.Stats st = scheduler.stats();
            run.payloadBytes += st.verifiedBytes();
            run.wastedBytes += st.wastedBytes();
        }
        run.clientDone(this, filesFailed == 0);
        scheduler = null;
        flights.clear();
        idle.clear();
    }

    /** Whether every live request only reads the rest of its (shrunk) answer past: nothing left to receive. */
    private boolean onlyReadingPast() {
        for (Flight f : flights) {
            if (f != null && !f.readingPast()) {
                return false;
            }
        }
        return true;
    }

    /** At the end of a run that cut this client short: count what it did receive. */
    void collectUnfinished() {
        if (scheduler != null) {
            Scheduler.Stats st = scheduler.stats();
            run.payloadBytes += st.verifiedBytes();
            run.wastedBytes += st.wastedBytes();
        }
    }

    // ------------------------------------------------------------------ connections

    /** A kept-alive connection to {@code m} still open at {@code now}, taken out of the idle set; or null. */
    Conn takeIdle(MirrorNode m, double now) {
        double keepAlive = run.scenario.network().keepAlive();
        for (int i = idle.size() - 1; i >= 0; i--) {
            Conn c = idle.get(i);
            if (now - c.idleSince > keepAlive) {
                idle.remove(i);
            } else if (c.mirror == m) {
                idle.remove(i);
                return c;
            }
        }
        return null;
    }

    void keepIdle(Conn c, double now) {
        c.current = null;
        c.idleSince = now;
        idle.add(c);
    }

    /**
     * The busy connection to {@code m} with the fewest requests pipelined on it (null when none is busy): where
     * a request goes when no kept-alive one is idle, with network.pipelining on.
     */
    Conn pipelineOn(MirrorNode m) {
        Conn best = null;
        for (Flight f : flights) {
            Conn c = f == null ? null : f.pipelineHead(m);
            if (c != null && (best == null || c.waiting() < best.waiting())) {
                best = c;
            }
        }
        if (draining != null) {
            for (Flight f : draining) {
                Conn c = f.pipelineHead(m);
                if (c != null && (best == null || c.waiting() < best.waiting())) {
                    best = c;
                }
            }
        }
        return best;
    }

    /**
     * Cancelled requests whose answers are still to be read past on their connections (network.pipelining):
     * the scheduler is done with them, but their connections carry the requests behind them. Made when first
     * needed: most clients never have one.
     */
    private List<Flight> draining;

    void draining(Flight f) {
        if (draining == null) {
            draining = new ArrayList<>(2);
        }
        draining.add(f);
    }

    void drained(Flight f) {
        if (draining != null) {
            draining.remove(f);
        }
    }
}
