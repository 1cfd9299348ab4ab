package org.mirrorswarm.engine.net;

import java.util.Arrays;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;

/**
 * {@code exact}: max-min fair sharing by progressive filling, after SimGrid's LMM solver. Each change
 * (a flow starts or stops, a cap or a capacity changes) re-solves only the connected component of
 * links and flows it touches: every link's fair share is kept in a heap; the most constrained link, or
 * the smallest flow cap if lower, fixes its flows' rates; capacities are subtracted and the next is
 * taken. Cost O((F + L) log(F + L)) for the F flows and L links of that component — which in a flash
 * crowd can be all of them, as SimGrid also warns; {@link BandwidthFast} is for those runs.
 * Completion times are kept in one heap and a single SSJ event fires at the earliest.
 */
public final class BandwidthExact implements BandwidthModel {
    private static final double TIME_EPSILON = 1e-9;

    private final Simulator sim;
    private final Event due;
    private boolean dueScheduled;
    private double dueAt;
    private double[] capacity = new double[16];
    private Flow[][] onLink = new Flow[16][];
    private int[] onLinkCount = new int[16];
    private double[] linkRate = new double[16];
    private int links;
    private int flows;
    private final FlowHeap completions = new FlowHeap(0, false);

    // Scratch space of a re-solve, reused.
    private int stamp;
    private int[] linkVisit = new int[16];
    private int[] compLinks = new int[16];
    private int compLinkCount;
    private Flow[] compFlows = new Flow[16];
    private int compFlowCount;
    private double[] rc = new double[16];
    private int[] unfixed = new int[16];
    private final IntHeap shares = new IntHeap();
    private final FlowHeap caps = new FlowHeap(1, false);

    public BandwidthExact(Simulator sim) {
        this.sim = sim;
        this.due = new Event(sim) {
            @Override
            public void actions() {
                fire();
            }
        };
    }

    @Override
    public String id() {
        return "exact";
    }

    @Override
    public int addLink(double cap) {
        if (links == capacity.length) {
            int n = links * 2;
            capacity = Arrays.copyOf(capacity, n);
            onLink = Arrays.copyOf(onLink, n);
            onLinkCount = Arrays.copyOf(onLinkCount, n);
            linkRate = Arrays.copyOf(linkRate, n);
            linkVisit = Arrays.copyOf(linkVisit, n);
            rc = Arrays.copyOf(rc, n);
            unfixed = Arrays.copyOf(unfixed, n);
        }
        capacity[links] = checkCapacity(cap);
        onLink[links] = new Flow[4];
        return links++;
    }

    static double checkCapacity(double cap) {
        if (!(cap >= 0)) {
            throw new IllegalArgumentException("link capacity must be >= 0, got " + cap);
        }
        return cap;
    }

    @Override
    public double capacity(int link) {
        return capacity[link];
    }

    @Override
    public void setCapacity(int link, double cap) {
        capacity[link] = checkCapacity(cap);
        resolve(link, link);
    }

    @Override
    public Flow start(int up, int down, double cap, double bytes, FlowListener listener) {
        Flow f = new Flow(up, down, checkCap(cap), bytes, listener, sim.time());
        f.slotUp = attach(up, f);
        f.slotDown = attach(down, f);
        flows++;
        resolve(up, down);
        return f;
    }

    static double checkCap(double cap) {
        if (!(cap > 0)) {
            throw new IllegalArgumentException("flow cap must be > 0, got " + cap);
        }
        return cap;
    }

    @Override
    public void setCap(Flow f, double cap) {
        if (!f.active || f.cap == checkCap(cap)) {
            return;
        }
        f.cap = cap;
        resolve(f.up, f.down);
    }

    @Override
    public void next(Flow f, double bytes) {
        if (!f.active) {
            throw new IllegalStateException("flow already stopped");
        }
        f.remaining = bytes;
        f.updated = sim.time();
        schedule(f);
        reschedule();
    }

    @Override
    public double rate(Flow f) {
        return f.active ? f.rate : 0;
    }

    @Override
    public double remaining(Flow f) {
        return Math.max(0, f.remaining - f.rate * (sim.time() - f.updated));
    }

    @Override
    public void stop(Flow f) {
        if (!f.active) {
            return;
        }
        f.active = false;
        if (completions.contains(f)) {
            completions.remove(f);
        }
        detach(f.up, f.slotUp);
        detach(f.down, f.slotDown);
        flows--;
        f.rate = 0;
        resolve(f.up, f.down);
    }

    @Override
    public double linkRate(int link) {
        return linkRate[link];
    }

    @Override
    public int flowCount() {
        return flows;
    }

    private int attach(int link, Flow f) {
        Flow[] list = onLink[link];
        int n = onLinkCount[link];
        if (n == list.length) {
            list = onLink[link] = Arrays.copyOf(list, n * 2);
        }
        list[n] = f;
        onLinkCount[link] = n + 1;
        return n;
    }

    private void detach(int link, int slot) {
        Flow[] list = onLink[link];
        int last = --onLinkCount[link];
        Flow moved = list[last];
        list[slot] = moved;
        list[last] = null;
        if (moved != null && slot != last) {
            if (moved.up == link && moved.slotUp == last) {
                moved.slotUp = slot;
            } else {
                moved.slotDown = slot;
            }
        }
    }

    /** Re-solves max-min rates over the component reachable from two links. */
    private void resolve(int l1, int l2) {
        double now = sim.time();
        stamp++;
        compLinkCount = 0;
        compFlowCount = 0;
        visitLink(l1);
        visitLink(l2);
        for (int i = 0; i < compLinkCount; i++) {
            int l = compLinks[i];
            Flow[] list = onLink[l];
            for (int k = 0, n = onLinkCount[l]; k < n; k++) {
                Flow f = list[k];
                if (f.visit != stamp) {
                    f.visit = stamp;
                    if (compFlowCount == compFlows.length) {
                        compFlows = Arrays.copyOf(compFlows, compFlowCount * 2);
                    }
                    compFlows[compFlowCount++] = f;
                    visitLink(f.up == l ? f.down : f.up);
                }
            }
        }
        for (int i = 0; i < compFlowCount; i++) {
            Flow f = compFlows[i];
            f.remaining = Math.max(0, f.remaining - f.rate * (now - f.updated));
            f.updated = now;
            f.fixed = false;
            if (f.cap < Double.POSITIVE_INFINITY) {
                caps.add(f, f.cap);
            }
        }
        for (int i = 0; i < compLinkCount; i++) {
            int l = compLinks[i];
            rc[l] = capacity[l];
            unfixed[l] = onLinkCount[l];
            linkRate[l] = 0;
            if (unfixed[l] > 0) {
                shares.put(l, rc[l] / unfixed[l]);
            }
        }
        while (true) {
            while (!caps.isEmpty() && caps.peek().fixed) {
                caps.poll();
            }
            double byLink = shares.isEmpty() ? Double.POSITIVE_INFINITY : shares.peekKey();
            Flow smallest = caps.peek();
            if (smallest != null && smallest.cap <= byLink) {
                caps.poll();
                fix(smallest, smallest.cap);
            } else if (!shares.isEmpty()) {
                int l = shares.poll();
                double share = Math.max(0, byLink);
                Flow[] list = onLink[l];
                for (int k = 0, n = onLinkCount[l]; k < n; k++) {
                    if (!list[k].fixed) {
                        fix(list[k], share);
                    }
                }
            } else {
                break;
            }
        }
        caps.clear();
        for (int i = 0; i < compFlowCount; i++) {
            schedule(compFlows[i]);
            compFlows[i] = null;
        }
        reschedule();
    }

    private void visitLink(int l) {
        if (linkVisit[l] != stamp) {
            linkVisit[l] = stamp;
            if (compLinkCount == compLinks.length) {
                compLinks = Arrays.copyOf(compLinks, compLinkCount * 2);
            }
            compLinks[compLinkCount++] = l;
        }
    }

    private void fix(Flow f, double rate) {
        f.fixed = true;
        f.rate = rate;
        settleLink(f.up, rate);
        if (f.down != f.up) {
            settleLink(f.down, rate);
        }
    }

    private void settleLink(int l, double rate) {
        rc[l] -= rate;
        unfixed[l]--;
        linkRate[l] += rate;
        if (shares.contains(l)) {
            if (unfixed[l] == 0) {
                shares.remove(l);
            } else {
                shares.put(l, Math.max(0, rc[l]) / unfixed[l]);
            }
        }
    }

    private void schedule(Flow f) {
        double t = f.rate > 0 ? f.updated + f.remaining / f.rate : Double.POSITIVE_INFINITY;
        f.completion = t;
        boolean in = completions.contains(f);
        if (t < Double.POSITIVE_INFINITY) {
            if (in) {
                completions.update(f, t);
            } else {
                completions.add(f, t);
            }
        } else if (in) {
            completions.remove(f);
        }
    }

    private void reschedule() {
        Flow first = completions.peek();
        if (first == null) {
            if (dueScheduled) {
                due.cancel();
                dueScheduled = false;
            }
            return;
        }
        if (!dueScheduled || dueAt != first.completion) {
            if (dueScheduled) {
                due.cancel();
            }
            dueAt = first.completion;
            dueScheduled = true;
            due.schedule(Math.max(0, first.completion - sim.time()));
        }
    }

    private void fire() {
        dueScheduled = false;
        double now = sim.time();
        while (!completions.isEmpty() && completions.peek().completion <= now + TIME_EPSILON) {
            Flow f = completions.poll();
            f.remaining = 0;
            f.updated = now;
            f.completion = Double.POSITIVE_INFINITY;
            f.listener.segmentDone(f);
        }
        reschedule();
    }
}
