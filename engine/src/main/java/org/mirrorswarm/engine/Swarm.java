package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.mirrorswarm.engine.net.Flow;
import org.mirrorswarm.engine.net.FlowListener;
import org.mirrorswarm.engine.sim.Hashing;
import org.mirrorswarm.strategies.FilePlan;
import umontreal.ssj.rng.RandomStream;
import umontreal.ssj.simevents.Event;

/**
 * A BitTorrent-style swarm per package, at flow level: a piece moves from an uploader's uplink to a
 * downloader's downlink as one flow (the flow-level equivalent of its 16 KiB blocks). Downloaders pick
 * the rarest piece among their neighbours; uploaders unchoke the {@code unchokeSlots} interested peers
 * that gave them the most (seeds: took the most) over the last ~20 s, every {@code rechokeInterval},
 * plus one optimistic unchoke every {@code optimisticInterval} (BEP 3). Firewalled peers cannot be
 * connected to, so two of them never exchange anything. A piece in transfer when its uploader chokes is
 * finished first (a real client loses only the blocks in flight); one cut by a peer leaving is wasted.
 */
final class Swarm {
    private static final double RATE_WINDOW = 20;

    private final Run run;
    private final SwarmSpec spec;
    private final boolean hybrid;
    private final RandomStream stream;
    private final Torrent[] torrents;
    private final List<Node> seeds = new ArrayList<>();
    long peerUploadBytes;
    long seedUploadBytes;
    private int entries;
    int maxEntries;
    private int nextNodeId;

    /** A participant: a client, an origin seed, or a mirror seeding. */
    final class Node {
        final int id;
        final int uplink;
        final int downlink;
        final boolean acceptsIncoming;
        final ClientNode client;
        final MirrorNode mirror;
        final List<Member> members = new ArrayList<>(2);
        private Event rechoke;
        private int rounds;

        Node(int uplink, int downlink, boolean acceptsIncoming, ClientNode client, MirrorNode mirror) {
            this.id = nextNodeId++;
            this.uplink = uplink;
            this.downlink = downlink;
            this.acceptsIncoming = acceptsIncoming;
            this.client = client;
            this.mirror = mirror;
        }

        void startRechoking() {
            if (rechoke != null) {
                return;
            }
            rechoke = new Event(run.sim) {
                @Override
                public void actions() {
                    boolean optimistic = rounds++ % Math.max(1, (int) Math.round(spec.optimisticInterval()
                            / spec.rechokeInterval())) == 0;
                    for (Member m : new ArrayList<>(members)) {
                        rechoke(m, optimistic);
                    }
                    if (!members.isEmpty()) {
                        schedule(spec.rechokeInterval());
                    } else {
                        rechoke = null;
                    }
                }
            };
            rechoke.schedule(spec.rechokeInterval() * stream.nextDouble());
        }
    }

    /** The swarm of one package. */
    static final class Torrent {
        final int pkg;
        final FilePlan plan;
        final List<Member> members = new ArrayList<>();

        Torrent(int pkg, FilePlan plan) {
            this.pkg = pkg;
            this.plan = plan;
        }
    }

    /** A node's part in one torrent. */
    final class Member {
        final Node node;
        final Torrent torrent;
        final int file;
        final BitSet have = new BitSet();
        final BitSet inFlight = new BitSet();
        final int[] localAvail;
        final List<Edge> conns = new ArrayList<>();
        int haveCount;
        boolean seed;
        boolean active = true;
        int unchoked;
        Edge optimistic;

        Member(Node node, Torrent torrent, int file) {
            this.node = node;
            this.torrent = torrent;
            this.file = file;
            this.localAvail = new int[torrent.plan.pieceCount()];
        }

        int pieces() {
            return torrent.plan.pieceCount();
        }
    }

    /** One direction of a connection: {@code from} uploads to {@code to} while it unchokes it. */
    final class Edge implements FlowListener {
        final Member from;
        final Member to;
        Edge reverse;
        boolean unchoked;
        /** Pieces {@code from} has that {@code to} lacks: {@code to} is interested while positive. */
        int wanted;
        Flow flow;
        int piece = -1;
        double segmentStart;
        private double rate;
        private double rateAt;

        Edge(Member from, Member to) {
            this.from = from;
            this.to = to;
        }

        /** Bytes per second delivered over this edge in the last ~20 s (decaying). */
        double rate(double now) {
            return rate * Math.exp(-(now - rateAt) / RATE_WINDOW);
        }

        void delivered(long bytes, double now) {
            rate = rate(now) + bytes / RATE_WINDOW;
            rateAt = now;
        }

        @Override
        public void segmentDone(Flow f) {
            pieceArrived(this);
        }
    }

    Swarm(Run run, boolean hybrid, RandomStream stream) {
        this.run = run;
        this.spec = run.scenario.swarm();
        this.hybrid = hybrid;
        this.stream = stream;
        this.torrents = new Torrent[run.plans.length];
        for (int k = 0; k < spec.originSeeds(); k++) {
            seeds.add(new Node(run.net.addLink(spec.originUplink()), -1, true, null, null));
        }
        if (spec.mirrorsSeed()) {
            for (MirrorNode m : run.mirrors) {
                seeds.add(new Node(m.uplink, -1, true, null, m));
            }
        }
    }

    /** A client's node in the swarm, with its own uplink. */
    Node clientNode(ClientNode c, double uplinkCapacity, boolean firewalled) {
        return new Node(run.net.addLink(uplinkCapacity), c.down, !firewalled, c, null);
    }

    private Torrent torrent(int pkg) {
        Torrent t = torrents[pkg];
        if (t == null) {
            t = torrents[pkg] = new Torrent(pkg, run.plans[pkg]);
            for (Node s : seeds) {
                Member m = new Member(s, t, -1);
                m.have.set(0, m.pieces());
                m.haveCount = m.pieces();
                m.seed = true;
                t.members.add(m);
                s.members.add(m);
                entry(+1);
                run.tracker.count(Messages.ANNOUNCE_REQUEST, Messages.announceResponse(0));
                s.startRechoking();
            }
        }
        return t;
    }

    /** Peers in the package's swarm now, as the tracker reports them (numwant capped). */
    int peersOf(int pkg) {
        Torrent t = torrents[pkg];
        return Math.min(spec.peersPerAnnounce(), t == null ? seeds.size() : t.members.size());
    }

    private void entry(int delta) {
        entries += delta;
        maxEntries = Math.max(maxEntries, entries);
    }

    /** A client joins a package's swarm after announcing "started"; returns its membership. */
    Member join(Node node, int pkg, int file) {
        Torrent t = torrent(pkg);
        Member m = new Member(node, t, file);
        List<Member> peers = sample(t, m);
        t.members.add(m);
        node.members.add(m);
        entry(+1);
        for (Member q : peers) {
            connect(m, q);
        }
        node.startRechoking();
        return m;
    }

    /** Up to numwant other members, drawn at random. */
    private List<Member> sample(Torrent t, Member self) {
        List<Member> all = t.members;
        int n = all.size();
        int want = Math.min(spec.peersPerAnnounce(), n);
        List<Member> out = new ArrayList<>(want);
        if (n <= want) {
            for (Member q : all) {
                if (q != self) {
                    out.add(q);
                }
            }
            return out;
        }
        BitSet taken = new BitSet(n);
        while (out.size() < want) {
            int i = (int) (stream.nextDouble() * n);
            if (!taken.get(i) && all.get(i) != self) {
                taken.set(i);
                out.add(all.get(i));
            }
        }
        return out;
    }

    /** Re-announce: count it, and top up connections from the tracker's answer when they ran low. */
    void reannounce(Member m) {
        if (!m.active) {
            return;
        }
        if (m.conns.size() < spec.maxConnections() / 2) {
            for (Member q : sample(m.torrent, m)) {
                connect(m, q);
            }
        }
    }

    private void connect(Member a, Member b) {
        if (a == b || !a.active || !b.active || (!a.node.acceptsIncoming && !b.node.acceptsIncoming)
                || a.conns.size() >= spec.maxConnections() || b.conns.size() >= spec.maxConnections()) {
            return;
        }
        for (Edge e : a.conns) {
            if (e.to == b) {
                return;
            }
        }
        Edge ab = new Edge(a, b);
        Edge ba = new Edge(b, a);
        ab.reverse = ba;
        ba.reverse = ab;
        int pieces = a.pieces();
        for (int p = 0; p < pieces; p++) {
            boolean ah = a.have.get(p);
            boolean bh = b.have.get(p);
            if (bh) {
                a.localAvail[p]++;
            }
            if (ah) {
                b.localAvail[p]++;
            }
            if (ah && !bh) {
                ab.wanted++;
            }
            if (bh && !ah) {
                ba.wanted++;
            }
        }
        a.conns.add(ab);
        b.conns.add(ba);
        // A node with a free unchoke slot serves a newly interested peer at once, as clients do.
        offerSlot(ab);
        offerSlot(ba);
    }

    private void offerSlot(Edge e) {
        if (e.wanted > 0 && !e.unchoked && e.from.unchoked < spec.unchokeSlots()) {
            e.unchoked = true;
            e.from.unchoked++;
            tryStart(e);
        }
    }

    /**
     * An unchoked peer lost interest (it completed, or this uploader has nothing left it lacks): the
     * slot goes at once to the best choked interested peer, as clients re-decide when interest changes.
     */
    private void releaseSlot(Edge e) {
        if (!e.unchoked) {
            return;
        }
        e.unchoked = false;
        Member u = e.from;
        u.unchoked--;
        if (u.optimistic == e) {
            u.optimistic = null;
        }
        refill(u);
    }

    /** Fills free unchoke slots with the best choked interested peers. */
    private void refill(Member u) {
        if (!u.active) {
            return;
        }
        double now = run.sim.time();
        while (u.unchoked < spec.unchokeSlots()) {
            Edge best = null;
            double bestScore = -1;
            for (Edge x : u.conns) {
                if (!x.unchoked && x.wanted > 0) {
                    double score = u.seed ? x.rate(now) : x.reverse.rate(now);
                    if (score > bestScore) {
                        best = x;
                        bestScore = score;
                    }
                }
            }
            if (best == null) {
                return;
            }
            best.unchoked = true;
            u.unchoked++;
            tryStart(best);
        }
    }

    /** Tit-for-tat: unchoke the best interested peers, and rotate the optimistic unchoke. */
    private void rechoke(Member m, boolean optimisticRound) {
        if (!m.active) {
            return;
        }
        double now = run.sim.time();
        List<Edge> interested = new ArrayList<>();
        for (Edge e : m.conns) {
            if (e.wanted > 0) {
                interested.add(e);
            }
        }
        long round = m.node.rounds;
        interested.sort((x, y) -> {
            double sx = m.seed ? x.rate(now) : x.reverse.rate(now);
            double sy = m.seed ? y.rate(now) : y.reverse.rate(now);
            if (sx != sy) {
                return Double.compare(sy, sx);
            }
            return Double.compare(Hashing.unit(run.hashSeed, x.to.node.id, round, 5),
                    Hashing.unit(run.hashSeed, y.to.node.id, round, 5));
        });
        int regular = Math.min(spec.unchokeSlots(), interested.size());
        if (optimisticRound || m.optimistic == null || !m.conns.contains(m.optimistic)) {
            m.optimistic = null;
            int others = interested.size() - regular;
            if (others > 0) {
                m.optimistic = interested.get(regular + (int) (stream.nextDouble() * others));
            }
        }
        m.unchoked = 0;
        for (Edge e : m.conns) {
            boolean keep = e == m.optimistic || indexIn(interested, e, regular);
            if (keep) {
                m.unchoked++;
            }
            if (keep && !e.unchoked) {
                e.unchoked = true;
                tryStart(e);
            } else if (!keep) {
                e.unchoked = false; // a piece in transfer is finished, then the flow stops
            }
        }
    }

    private static boolean indexIn(List<Edge> sorted, Edge e, int firstN) {
        for (int i = 0; i < firstN; i++) {
            if (sorted.get(i) == e) {
                return true;
            }
        }
        return false;
    }

    /** Starts a piece over an unchoked edge whose downloader wants something the uploader has. */
    private void tryStart(Edge e) {
        if (!e.unchoked || e.flow != null || e.wanted == 0 || !e.from.active || !e.to.active) {
            return;
        }
        int p = pick(e.from, e.to);
        if (p < 0) {
            return;
        }
        e.to.inFlight.set(p);
        e.piece = p;
        e.segmentStart = run.sim.time();
        e.flow = run.net.start(e.from.node.uplink, e.to.node.downlink, Double.POSITIVE_INFINITY,
                e.to.torrent.plan.pieceLength(p), e);
    }

    /** Rarest first among the pieces {@code u} has and {@code d} neither has nor is fetching. */
    private int pick(Member u, Member d) {
        int best = -1;
        int bestAvail = Integer.MAX_VALUE;
        double bestTie = 2;
        for (int p = d.have.nextClearBit(0); p < d.pieces(); p = d.have.nextClearBit(p + 1)) {
            if (!u.have.get(p) || d.inFlight.get(p) || (hybrid && d.node.client.fetchingOverHttp(d.file, p))) {
                continue;
            }
            int a = d.localAvail[p];
            if (a < bestAvail || (a == bestAvail && tie(d, p) < bestTie)) {
                best = p;
                bestAvail = a;
                bestTie = tie(d, p);
            }
        }
        return best;
    }

    private double tie(Member d, int p) {
        return Hashing.unit(run.hashSeed, d.node.id, d.torrent.pkg, p);
    }

    private void pieceArrived(Edge e) {
        double now = run.sim.time();
        Member u = e.from;
        Member d = e.to;
        int p = e.piece;
        long len = d.torrent.plan.pieceLength(p);
        e.delivered(len, now);
        if (u.node.client != null) {
            peerUploadBytes += len;
        } else {
            seedUploadBytes += len;
            if (u.node.mirror != null) {
                u.node.mirror.served(len, e.segmentStart, now);
            }
        }
        d.inFlight.clear(p);
        e.piece = -1;
        if (d.have.get(p)) {
            run.wastedBytes += len; // it came over HTTP meanwhile
        } else {
            gotPiece(d, p, false);
        }
        if (e.flow == null || !e.flow.isActive()) {
            return; // the connection closed while the piece was handled
        }
        int next = e.unchoked && u.active && d.active ? pick(u, d) : -1;
        if (next >= 0) {
            d.inFlight.set(next);
            e.piece = next;
            e.segmentStart = now;
            run.net.next(e.flow, d.torrent.plan.pieceLength(next));
        } else {
            run.net.stop(e.flow);
            e.flow = null;
        }
    }

    /** A member has a new piece: tell its neighbours (HAVE), and see whether it is done. */
    void gotPiece(Member d, int p, boolean overHttp) {
        if (!d.active || d.have.get(p)) {
            return;
        }
        d.have.set(p);
        d.haveCount++;
        if (!overHttp) {
            run.swarmPayloadBytes += d.torrent.plan.pieceLength(p);
        }
        for (Edge e : new ArrayList<>(d.conns)) {
            Member x = e.to;
            x.localAvail[p]++;
            if (!x.have.get(p)) {
                // x may have been waiting on pieces all in flight elsewhere: this one it can take now.
                e.wanted++;
                if (e.unchoked) {
                    tryStart(e);
                } else {
                    offerSlot(e);
                }
            }
            Edge in = e.reverse;
            if (x.have.get(p) && --in.wanted == 0) {
                releaseSlot(in);
            }
        }
        ClientNode c = d.node.client;
        if (hybrid && !overHttp && c != null) {
            c.pieceFromSwarm(d.file, p);
        }
        if (d.haveCount == d.pieces()) {
            completed(d);
        }
    }

    private void completed(Member d) {
        d.seed = true;
        ClientNode c = d.node.client;
        c.announceCompleted(d.torrent.pkg);
        if (!hybrid) {
            c.swarmFileDone(d.file);
        }
        double stay = Math.max(0, spec.seedingTime().sample(stream));
        new Event(run.sim) {
            @Override
            public void actions() {
                leave(d);
            }
        }.schedule(stay);
    }

    /** A member leaves its swarm: connections close, transfers in progress are lost. */
    void leave(Member m) {
        if (!m.active) {
            return;
        }
        m.active = false;
        List<Member> freedSlot = new ArrayList<>();
        List<Member> lostPiece = new ArrayList<>();
        for (Edge e : m.conns) {
            Member x = e.to;
            if (abort(e)) {
                lostPiece.add(x); // x was fetching from the leaver: that piece is free again
            }
            abort(e.reverse);
            x.conns.remove(e.reverse);
            if (x.optimistic == e.reverse) {
                x.optimistic = null;
            }
            if (e.reverse.unchoked) {
                e.reverse.unchoked = false;
                x.unchoked--;
                freedSlot.add(x);
            }
            for (int p = m.have.nextSetBit(0); p >= 0; p = m.have.nextSetBit(p + 1)) {
                x.localAvail[p]--;
            }
        }
        m.conns.clear();
        m.torrent.members.remove(m);
        m.node.members.remove(m);
        entry(-1);
        if (m.node.client != null) {
            m.node.client.announceStopped(m.torrent.pkg);
        }
        // Slots the leaver held go to others; pieces that were coming from it can come from others.
        for (Member x : freedSlot) {
            refill(x);
        }
        for (Member x : lostPiece) {
            for (Edge out : x.conns) {
                if (out.reverse.unchoked && out.reverse.flow == null) {
                    tryStart(out.reverse);
                }
            }
        }
    }

    /** Stops a transfer in progress over the edge, if any; returns whether there was one. */
    private boolean abort(Edge e) {
        boolean was = e.flow != null && e.flow.isActive();
        if (was) {
            run.wastedBytes += (long) (e.to.torrent.plan.pieceLength(e.piece) - run.net.remaining(e.flow));
            run.net.stop(e.flow);
            e.to.inFlight.clear(e.piece);
        }
        e.flow = null;
        e.piece = -1;
        return was;
    }
}
