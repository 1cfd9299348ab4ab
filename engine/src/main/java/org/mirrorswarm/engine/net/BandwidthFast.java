package org.mirrorswarm.engine.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;

/**
 * {@code fast}: processor sharing on each uplink with per-flow caps, for runs with 100,000 clients.
 * On an uplink of capacity C, flows whose cap is below the fair level L run at their cap and the rest
 * run at L = (C − Σ caps below L) / (number of the rest) — water-filling on one link. The uncapped
 * flows share a virtual clock V that advances at L; a flow's segment ends when V reaches the tag
 * V(start) + bytes, so tags stay valid as L changes and an arrival or departure costs O(log n) heap
 * work plus one re-plan of that uplink's single SSJ event — never a pass over all flows.
 *
 * <p>The approximation: a client's downlink is not solved as a link but split equally among that
 * client's flows, as a cap on each (min(own cap, downlink / flows)). Max-min fairness would instead
 * give a flow held back elsewhere less and its siblings more, so this model underuses a client's
 * downlink when its flows have unequal uplink bottlenecks; with the downlink rarely the bottleneck
 * (mirror uplinks shared by many clients are), the two agree closely — see the agreement test.
 */
public final class BandwidthFast implements BandwidthModel {
    private static final double TIME_EPSILON = 1e-9;

    private final Simulator sim;
    private final List<Uplink> uplinks = new ArrayList<>();
    private double[] capacity = new double[16];
    private Flow[][] onDown = new Flow[16][];
    private int[] onDownCount = new int[16];
    private int links;
    private int flows;
    private Flow[] fired = new Flow[8];

    /** Per-link state; every link can carry flows as an uplink or be a downlink. */
    private final class Uplink {
        final int link;
        double v;
        double t;
        int uncapped;
        double sumCapped;
        final FlowHeap uTag = new FlowHeap(0, false);
        final FlowHeap uCap = new FlowHeap(1, false);
        final FlowHeap kFinish = new FlowHeap(0, false);
        final FlowHeap kCap = new FlowHeap(1, true);
        final Event due;
        boolean scheduled;
        double dueAt;

        Uplink(int link) {
            this.link = link;
            this.due = new Event(sim) {
                @Override
                public void actions() {
                    fire(Uplink.this);
                }
            };
        }

        double level() {
            return uncapped > 0 ? Math.max(0, capacity[link] - sumCapped) / uncapped : Double.POSITIVE_INFINITY;
        }

        void advance(double now) {
            if (uncapped > 0 && now > t) {
                double l = level();
                if (l < Double.POSITIVE_INFINITY) {
                    v += l * (now - t);
                }
            }
            t = now;
        }
    }

    public BandwidthFast(Simulator sim) {
        this.sim = sim;
    }

    @Override
    public String id() {
        return "fast";
    }

    @Override
    public int addLink(double cap) {
        if (links == capacity.length) {
            int n = links * 2;
            capacity = Arrays.copyOf(capacity, n);
            onDown = Arrays.copyOf(onDown, n);
            onDownCount = Arrays.copyOf(onDownCount, n);
        }
        capacity[links] = BandwidthExact.checkCapacity(cap);
        onDown[links] = new Flow[2];
        uplinks.add(null);
        return links++;
    }

    private Uplink uplink(int link) {
        Uplink u = uplinks.get(link);
        if (u == null) {
            u = new Uplink(link);
            u.t = sim.time();
            uplinks.set(link, u);
        }
        return u;
    }

    @Override
    public double capacity(int link) {
        return capacity[link];
    }

    @Override
    public void setCapacity(int link, double cap) {
        double now = sim.time();
        Uplink u = uplinks.get(link);
        if (u != null) {
            u.advance(now);
        }
        capacity[link] = BandwidthExact.checkCapacity(cap);
        if (u != null) {
            rebalance(u, now);
            plan(u);
        }
        if (onDownCount[link] > 0) {
            resplit(link, now);
        }
    }

    @Override
    public Flow start(int up, int down, double cap, double bytes, FlowListener listener) {
        double now = sim.time();
        Flow f = new Flow(up, down, BandwidthExact.checkCap(cap), bytes, listener, now);
        Flow[] list = onDown[down];
        int n = onDownCount[down];
        if (n == list.length) {
            list = onDown[down] = Arrays.copyOf(list, n * 2);
        }
        list[n] = f;
        f.downSlot = n;
        onDownCount[down] = n + 1;
        flows++;
        f.effectiveCap = effectiveCap(f);
        Uplink u = uplink(up);
        u.advance(now);
        enter(u, f, now);
        rebalance(u, now);
        plan(u);
        resplit(down, now);
        return f;
    }

    private double effectiveCap(Flow f) {
        double share = capacity[f.down] / onDownCount[f.down];
        return Math.min(f.cap, share);
    }

    /** Gives every flow on a downlink its new equal share as a cap. */
    private void resplit(int down, double now) {
        if (capacity[down] == Double.POSITIVE_INFINITY) {
            return;
        }
        Flow[] list = onDown[down];
        for (int i = 0, n = onDownCount[down]; i < n; i++) {
            Flow f = list[i];
            double eff = effectiveCap(f);
            if (eff != f.effectiveCap) {
                changeCap(f, eff, now);
            }
        }
    }

    @Override
    public void setCap(Flow f, double cap) {
        if (!f.active || f.cap == BandwidthExact.checkCap(cap)) {
            return;
        }
        f.cap = cap;
        double eff = effectiveCap(f);
        if (eff != f.effectiveCap) {
            changeCap(f, eff, sim.time());
        }
    }

    /**
     * A flow's effective cap changed. When it stays on the same side of the level only its heap keys
     * move (and, if capped, its finish time and the capped sum); otherwise water-filling moves it.
     */
    private void changeCap(Flow f, double eff, double now) {
        Uplink u = uplinks.get(f.up);
        boolean inU = u.uTag.contains(f);
        boolean inK = !inU && u.kFinish.contains(f);
        if (!inU && !inK) {
            f.effectiveCap = eff; // parked between segments
            return;
        }
        if (inU) {
            double old = f.effectiveCap;
            f.effectiveCap = eff;
            if (eff >= old) {
                return; // still above the level: nothing moves, the key may stay low
            }
            if (eff < f.capKey) {
                f.capKey = eff;
                u.uCap.update(f, f.capKey);
            }
            if (eff >= u.level()) {
                return;
            }
            u.advance(now);
        } else {
            u.advance(now);
            double remaining = Math.max(0, (f.finish - now) * f.effectiveCap);
            u.sumCapped += eff - f.effectiveCap;
            f.effectiveCap = eff;
            f.finish = now + remaining / eff;
            u.kFinish.update(f, f.finish);
            if (eff > f.capKey) {
                f.capKey = eff;
                u.kCap.update(f, f.capKey);
            }
        }
        rebalance(u, now);
        plan(u);
    }

    @Override
    public void next(Flow f, double bytes) {
        if (!f.active) {
            throw new IllegalStateException("flow already stopped");
        }
        double now = sim.time();
        Uplink u = uplinks.get(f.up);
        u.advance(now);
        f.remaining = bytes;
        enter(u, f, now);
        rebalance(u, now);
        plan(u);
    }

    @Override
    public double rate(Flow f) {
        if (!f.active) {
            return 0;
        }
        Uplink u = uplinks.get(f.up);
        if (u.kFinish.contains(f)) {
            return f.effectiveCap;
        }
        return u.uTag.contains(f) ? u.level() : 0;
    }

    @Override
    public double remaining(Flow f) {
        Uplink u = uplinks.get(f.up);
        double now = sim.time();
        if (u.kFinish.contains(f)) {
            return Math.max(0, (f.finish - now) * f.effectiveCap);
        }
        if (u.uTag.contains(f)) {
            double v = u.v + (u.uncapped > 0 ? u.level() * (now - u.t) : 0);
            return Math.max(0, f.tag - v);
        }
        return 0;
    }

    @Override
    public void stop(Flow f) {
        if (!f.active) {
            return;
        }
        double now = sim.time();
        f.active = false;
        flows--;
        Uplink u = uplinks.get(f.up);
        u.advance(now);
        if (u.uTag.contains(f) || u.kFinish.contains(f)) {
            leave(u, f, now);
            rebalance(u, now);
            plan(u);
        }
        Flow[] list = onDown[f.down];
        int last = --onDownCount[f.down];
        Flow moved = list[last];
        list[f.downSlot] = moved;
        moved.downSlot = f.downSlot;
        list[last] = null;
        resplit(f.down, now);
    }

    @Override
    public double linkRate(int link) {
        Uplink u = uplinks.get(link);
        if (u == null || (u.uncapped == 0 && u.kFinish.isEmpty())) {
            return 0;
        }
        double l = u.level();
        return u.sumCapped + (u.uncapped > 0 ? Math.min(l * u.uncapped, capacity[link] - u.sumCapped) : 0);
    }

    @Override
    public int flowCount() {
        return flows;
    }

    /** Puts a flow with {@code remaining} bytes among the uncapped; {@link #rebalance} sorts it out. */
    private void enter(Uplink u, Flow f, double now) {
        f.capped = false;
        f.tag = u.v + f.remaining;
        f.capKey = f.effectiveCap;
        u.uTag.add(f, f.tag);
        u.uCap.add(f, f.capKey);
        u.uncapped++;
    }

    /** Takes a flow out of its set, recording its remaining bytes. */
    private void leave(Uplink u, Flow f, double now) {
        if (f.capped) {
            f.remaining = Math.max(0, (f.finish - now) * f.effectiveCap);
            u.kFinish.remove(f);
            u.kCap.remove(f);
            u.sumCapped -= f.effectiveCap;
            if (u.kFinish.isEmpty()) {
                u.sumCapped = 0; // no drift from repeated additions and subtractions
            }
        } else {
            f.remaining = Math.max(0, f.tag - u.v);
            u.uTag.remove(f);
            u.uCap.remove(f);
            u.uncapped--;
        }
        f.updated = now;
    }

    /** Water-filling: flows capped below the level run at their cap, the others at the level. */
    private void rebalance(Uplink u, double now) {
        while (true) {
            double level = u.level();
            if (u.uncapped > 0) {
                Flow f = u.uCap.peek();
                if (f.capKey < f.effectiveCap) {
                    f.capKey = f.effectiveCap; // stale key at the top: correct it and look again
                    u.uCap.update(f, f.capKey);
                    continue;
                }
                if (f.effectiveCap < level) {
                    leave(u, f, now);
                    f.capped = true;
                    f.finish = now + f.remaining / f.effectiveCap;
                    f.capKey = f.effectiveCap;
                    u.kFinish.add(f, f.finish);
                    u.kCap.add(f, f.capKey);
                    u.sumCapped += f.effectiveCap;
                    continue;
                }
            }
            if (!u.kCap.isEmpty()) {
                Flow f = u.kCap.peek();
                if (f.capKey > f.effectiveCap) {
                    f.capKey = f.effectiveCap;
                    u.kCap.update(f, f.capKey);
                    continue;
                }
                boolean over = u.uncapped == 0 ? u.sumCapped > capacity[u.link] * (1 + 1e-12) : f.effectiveCap >= level;
                if (over) {
                    leave(u, f, now);
                    enter(u, f, now);
                    continue;
                }
            }
            return;
        }
    }

    /** Schedules the uplink's one event at its next segment end. */
    private void plan(Uplink u) {
        double next = nextDue(u);
        if (next == Double.POSITIVE_INFINITY) {
            if (u.scheduled) {
                u.due.cancel();
                u.scheduled = false;
            }
            return;
        }
        if (!u.scheduled || u.dueAt != next) {
            if (u.scheduled) {
                u.due.cancel();
            }
            u.dueAt = next;
            u.scheduled = true;
            u.due.schedule(Math.max(0, next - sim.time()));
        }
    }

    private double nextDue(Uplink u) {
        double next = Double.POSITIVE_INFINITY;
        if (u.uncapped > 0) {
            double l = u.level();
            if (l > 0) {
                next = u.t + Math.max(0, u.uTag.peekKey() - u.v) / l;
            }
        }
        if (!u.kFinish.isEmpty()) {
            next = Math.min(next, u.kFinish.peekKey());
        }
        return next;
    }

    private void fire(Uplink u) {
        u.scheduled = false;
        double now = sim.time();
        u.advance(now);
        int done = 0;
        while (true) {
            Flow f = null;
            if (u.uncapped > 0) {
                double l = u.level();
                Flow first = u.uTag.peek();
                if (l == Double.POSITIVE_INFINITY || u.t + Math.max(0, first.tag - u.v) / l <= now + TIME_EPSILON) {
                    f = first;
                }
            }
            if (f == null && !u.kFinish.isEmpty() && u.kFinish.peekKey() <= now + TIME_EPSILON) {
                f = u.kFinish.peek();
            }
            if (f == null) {
                break;
            }
            leave(u, f, now);
            f.remaining = 0;
            if (done == fired.length) {
                fired = Arrays.copyOf(fired, done * 2);
            }
            fired[done++] = f;
        }
        rebalance(u, now);
        plan(u);
        // Listeners may start, stop or continue flows, but no uplink fires while they run: the batch is
        // safe to walk, and copying it out first keeps a nested use of the array harmless.
        Flow[] batch = done == 1 ? null : Arrays.copyOf(fired, done);
        Flow single = done == 1 ? fired[0] : null;
        java.util.Arrays.fill(fired, 0, done, null);
        if (single != null) {
            single.listener.segmentDone(single);
        } else if (batch != null) {
            for (Flow f : batch) {
                f.listener.segmentDone(f);
            }
        }
    }
}
