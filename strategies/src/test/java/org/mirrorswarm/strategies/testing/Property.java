package org.mirrorswarm.strategies.testing;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded property checks for JUnit 5: run a property over many generated cases; on failure, look for a
 * smaller failing case by regenerating the same seed at smaller sizes, and report the try, its seed and
 * the case so it can be rerun exactly ({@code -Dmirrorswarm.seed=… -Dmirrorswarm.size=…} replays one).
 *
 * <p>Each try gets its own seed drawn from a fixed base seed, so runs are repeatable in CI; the size
 * hint grows from 1 to 100 over the tries, as property-testing libraries grow their generators.
 */
public final class Property {
    /** Builds a case from a random source and a size hint in [1, 100]. */
    @FunctionalInterface
    public interface Generator<T> {
        T generate(SplittableRandom random, int size);
    }

    private static final long DEFAULT_SEED = 0x6D6972726F72L; // "mirror"

    private Property() {
    }

    /**
     * Checks {@code property} (which throws AssertionError or any exception on failure) on {@code tries}
     * cases. Throws AssertionError describing the smallest failing case found.
     */
    public static <T> void forAll(String name, int tries, Generator<T> generator, Consumer<T> property) {
        String fixed = System.getProperty("mirrorswarm.seed");
        if (fixed != null) {
            long seed = Long.decode(fixed);
            checkOne(name, -1, seed, Integer.getInteger("mirrorswarm.size", 100), generator, property);
            return;
        }
        SplittableRandom seeds = new SplittableRandom(DEFAULT_SEED ^ name.hashCode());
        for (int i = 0; i < tries; i++) {
            long seed = seeds.nextLong();
            int size = 1 + (int) ((long) i * 99 / Math.max(1, tries - 1));
            checkOne(name, i, seed, size, generator, property);
        }
    }

    private static <T> void checkOne(String name, int attempt, long seed, int size, Generator<T> generator,
                                     Consumer<T> property) {
        Throwable failure = run(generator.generate(new SplittableRandom(seed), size), property);
        if (failure == null) {
            return;
        }
        T smallest = generator.generate(new SplittableRandom(seed), size);
        int smallestSize = size;
        for (int s = size - 1; s >= 1; s--) {
            T candidate = generator.generate(new SplittableRandom(seed), s);
            Throwable t = run(candidate, property);
            if (t != null) {
                smallest = candidate;
                smallestSize = s;
                failure = t;
            }
        }
        AssertionError e = new AssertionError("property '" + name + "' failed at try " + attempt + " (seed "
                + Long.toHexString(seed) + ", size " + smallestSize + "; rerun with -Dmirrorswarm.seed=0x"
                + Long.toHexString(seed) + " -Dmirrorswarm.size=" + smallestSize + ")\ncase: " + smallest + "\n" + failure.getMessage(), failure);
        throw e;
    }

    private static <T> Throwable run(T value, Consumer<T> property) {
        try {
            property.accept(value);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }
}
