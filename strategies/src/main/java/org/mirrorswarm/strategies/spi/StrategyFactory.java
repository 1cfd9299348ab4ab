package org.mirrorswarm.strategies.spi;

import java.util.List;

/**
 * Describes and builds one strategy. Implementations are found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/org.mirrorswarm.strategies.spi.StrategyFactory}), so another module
 * can add strategies without touching this one.
 *
 * @param <T> {@link ChunkStrategy}, {@link MirrorSelector} or {@link TailPolicy}, matching {@link #family()}
 */
public interface StrategyFactory<T> {
    Family family();

    /** The stable id used by scenario files, the CLI and reports. */
    String id();

    /** One line: what it does. */
    String summary();

    /** Where the algorithm comes from (a program, paper or RFC), or "mirrorswarm" for our own. */
    String origin();

    /** Its tunable parameters; empty when none. */
    default List<ParamSpec> params() {
        return List.of();
    }

    /** For chunk strategies: the selector used when a configuration names none. */
    default String defaultSelector() {
        return "in-order";
    }

    /** For chunk strategies: the tail policy used when a configuration names none. */
    default String defaultTail() {
        return "none";
    }

    /** A new instance for one scheduler. */
    T create(Params params);
}
