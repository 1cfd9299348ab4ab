package org.mirrorswarm.engine.sim;

import java.util.SplittableRandom;
import umontreal.ssj.rng.MRG32k3a;

/**
 * One SSJ MRG32k3a stream per source of randomness. A replication uses substream r of every stream, so
 * every strategy compared in replication r sees the same arrivals, sizes, capacities, RTTs and faults
 * (common random numbers), and different replications are independent.
 *
 * <p>Seeds are set explicitly from the scenario seed, never from SSJ's static package seed, so runs on
 * several threads cannot disturb each other; stream objects are cloned per run since they are not
 * thread-safe.
 */
public final class Streams {
    /** Sources of randomness, in a fixed order: the order fixes each stream's seed. */
    public enum Source {
        ARRIVALS, CLIENTS, CATALOGUE, MIRRORS, FAULTS, NETWORK, TRACKER, FRESHNESS, SWARM
    }

    private static final long M1 = 4294967087L;
    private static final long M2 = 4294944443L;

    private final MRG32k3a[] streams;

    private Streams(MRG32k3a[] streams) {
        this.streams = streams;
    }

    /** The streams of a scenario seed, at the start of replication 0. */
    public static Streams of(long seed) {
        MRG32k3a[] s = new MRG32k3a[Source.values().length];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < s.length; i++) {
            MRG32k3a m;
            synchronized (MRG32k3a.class) { // the constructor advances a static seed unsynchronised
                m = new MRG32k3a();
            }
            m.setSeed(new long[] {
                1 + r.nextLong(M1 - 1), 1 + r.nextLong(M1 - 1), 1 + r.nextLong(M1 - 1),
                1 + r.nextLong(M2 - 1), 1 + r.nextLong(M2 - 1), 1 + r.nextLong(M2 - 1)});
            s[i] = m;
        }
        return new Streams(s);
    }

    /** Fresh copies positioned at the start of substream {@code replication}. */
    public Streams forReplication(int replication) {
        MRG32k3a[] s = new MRG32k3a[streams.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = streams[i].clone();
            s[i].resetStartStream();
            for (int k = 0; k < replication; k++) {
                s[i].resetNextSubstream();
            }
        }
        return new Streams(s);
    }

    public MRG32k3a get(Source source) {
        return streams[source.ordinal()];
    }
}
