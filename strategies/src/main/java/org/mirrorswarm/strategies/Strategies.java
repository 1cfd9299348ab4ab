package org.mirrorswarm.strategies;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * The registry of every strategy: this module's own, and others on the class path, found with {@link
 * ServiceLoader}; looked up by family and id. Unknown ids fail with the list of valid ones and a "did you mean".
 *
 * <p>This module's strategies are made directly, and the class path is scanned only when an id is not one of
 * them or every id is asked for: the scan (reading the service files through the class loader's URLs, then
 * ServiceLoader's reflection) took 19–44 ms of a fetch's main thread while the other start-up threads ran,
 * before its first request (a tiny fetch: 12.2 ± 2.3 ms sooner without it, 40 paired runs).
 */
public final class Strategies {
    private volatile Map<Family, Map<String, StrategyFactory<?>>> byFamily;
    /** Where more strategies are looked for on first need; null for a registry {@link #of} exactly some. */
    private final ClassLoader plugins;
    private volatile boolean scanned;

    private Strategies(Map<Family, Map<String, StrategyFactory<?>>> byFamily, ClassLoader plugins) {
        this.byFamily = byFamily;
        this.plugins = plugins;
        this.scanned = plugins == null;
    }

    /** This module's strategies, as its service file lists them (StrategiesTest checks the two agree). */
    static List<StrategyFactory<?>> builtIn() {
        return List.of(new org.mirrorswarm.strategies.chunk.ChunkAdaptive.Factory(),
                new org.mirrorswarm.strategies.chunk.ChunkAria2.Factory(),
                new org.mirrorswarm.strategies.chunk.ChunkProportional.Factory(),
                new org.mirrorswarm.strategies.chunk.ChunkRoundRobin.Factory(),
                new org.mirrorswarm.strategies.chunk.ChunkSingle.Factory(),
                new org.mirrorswarm.strategies.chunk.ChunkStaticSplit.Factory(),
                new org.mirrorswarm.strategies.chunk.ChunkWorkQueue.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorAria2Feedback.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorFastestEwma.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorInOrder.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorLeastLoaded.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorPeakEwmaP2C.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorRandom.Factory(),
                new org.mirrorswarm.strategies.selector.SelectorWeighted.Factory(),
                new org.mirrorswarm.strategies.tail.TailEndgame.Factory(),
                new org.mirrorswarm.strategies.tail.TailHedge.Factory(),
                new org.mirrorswarm.strategies.tail.TailNone.Factory(),
                new org.mirrorswarm.strategies.tail.TailSteal.Factory(),
                new org.mirrorswarm.strategies.tail.TailStealHedge.Factory());
    }

    /** A registry of exactly these factories (for tests, or a host that lists its strategies itself). */
    public static Strategies of(Collection<? extends StrategyFactory<?>> factories) {
        return new Strategies(index(factories), null);
    }

    /** The factories by family and id, frozen (an id claimed by two classes fails). */
    private static Map<Family, Map<String, StrategyFactory<?>>> index(Collection<? extends StrategyFactory<?>> factories) {
        Map<Family, Map<String, StrategyFactory<?>>> m = new EnumMap<>(Family.class);
        for (Family f : Family.values()) {
            m.put(f, new TreeMap<>());
        }
        for (StrategyFactory<?> f : factories) {
            register(m, f);
        }
        return freeze(m);
    }

    /**
     * The strategies visible to this module's class loader, found once per JVM (that class path does not
     * change; scanning it costs a cold JVM several milliseconds each time, and every scheduler asks).
     */
    public static Strategies load() {
        return OwnLoader.REGISTRY;
    }

    private static final class OwnLoader {
        static final Strategies REGISTRY = load(Strategies.class.getClassLoader());
    }

    /** This module's strategies and those visible to {@code loader} (looked for on first need). */
    public static Strategies load(ClassLoader loader) {
        return new Strategies(index(builtIn()), loader);
    }

    /** Every strategy: the class path scanned for more, once (a strategy claiming a taken id fails here). */
    private Map<Family, Map<String, StrategyFactory<?>>> complete() {
        if (!scanned) {
            synchronized (this) {
                if (!scanned) {
                    Map<Family, Map<String, StrategyFactory<?>>> m = new EnumMap<>(Family.class);
                    byFamily.forEach((k, v) -> m.put(k, new TreeMap<>(v)));
                    @SuppressWarnings("rawtypes")
                    ServiceLoader<StrategyFactory> sl = ServiceLoader.load(StrategyFactory.class, plugins);
                    for (StrategyFactory<?> f : sl) {
                        register(m, f);
                    }
                    byFamily = freeze(m);
                    scanned = true;
                }
            }
        }
        return byFamily;
    }

    private static void register(Map<Family, Map<String, StrategyFactory<?>>> m, StrategyFactory<?> f) {
        StrategyFactory<?> old = m.get(f.family()).putIfAbsent(f.id(), f);
        if (old != null && old.getClass() != f.getClass()) {
            throw new IllegalStateException(f.family().label() + " id '" + f.id() + "' is claimed by both "
                    + old.getClass().getName() + " and " + f.getClass().getName());
        }
    }

    private static Map<Family, Map<String, StrategyFactory<?>>> freeze(Map<Family, Map<String, StrategyFactory<?>>> m) {
        Map<Family, Map<String, StrategyFactory<?>>> frozen = new EnumMap<>(Family.class);
        m.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
        return frozen;
    }

    /** Ids of one family, sorted. */
    public List<String> ids(Family family) {
        return List.copyOf(complete().get(family).keySet());
    }

    /** Every factory, by family then id. */
    public List<StrategyFactory<?>> all() {
        List<StrategyFactory<?>> out = new ArrayList<>();
        complete().values().forEach(v -> out.addAll(v.values()));
        return out;
    }

    /** The factory of {@code id}; an unknown id is an IllegalArgumentException listing the valid ones. */
    public StrategyFactory<?> factory(Family family, String id) {
        StrategyFactory<?> f = byFamily.get(family).get(id);
        if (f == null) {
            f = complete().get(family).get(id);
        }
        if (f == null) {
            throw new IllegalArgumentException(Names.unknown(family.label(), id, complete().get(family).keySet()));
        }
        return f;
    }

    /** Checks a spec's id and parameters without building anything. */
    public Params params(Family family, StrategySpec spec) {
        StrategyFactory<?> f = factory(family, spec.id());
        return Params.of(family.label() + " '" + spec.id() + "'", f.params(), spec.params());
    }

    public ChunkStrategy chunk(StrategySpec spec) {
        return (ChunkStrategy) factory(Family.CHUNK, spec.id()).create(params(Family.CHUNK, spec));
    }

    public MirrorSelector selector(StrategySpec spec) {
        return (MirrorSelector) factory(Family.SELECTOR, spec.id()).create(params(Family.SELECTOR, spec));
    }

    public TailPolicy tail(StrategySpec spec) {
        return (TailPolicy) factory(Family.TAIL, spec.id()).create(params(Family.TAIL, spec));
    }

    /** The selector a config uses: its own, or its chunk strategy's default. */
    public StrategySpec effectiveSelector(SchedulerConfig c) {
        return c.selector() != null ? c.selector() : StrategySpec.of(factory(Family.CHUNK, c.chunk().id()).defaultSelector());
    }

    /** The tail policy a config uses: its own, or its chunk strategy's default. */
    public StrategySpec effectiveTail(SchedulerConfig c) {
        return c.tail() != null ? c.tail() : StrategySpec.of(factory(Family.CHUNK, c.chunk().id()).defaultTail());
    }

    /** Checks every id and parameter of a config; throws IllegalArgumentException naming the first problem. */
    public void validate(SchedulerConfig c) {
        params(Family.CHUNK, c.chunk());
        params(Family.SELECTOR, effectiveSelector(c));
        params(Family.TAIL, effectiveTail(c));
    }
}
