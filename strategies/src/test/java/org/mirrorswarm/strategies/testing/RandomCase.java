package org.mirrorswarm.strategies.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.Strategies;
import org.mirrorswarm.strategies.StrategySpec;
import org.mirrorswarm.strategies.spi.Family;

/**
 * A random download for property tests: files of random sizes and piece lengths, mirrors with random
 * speeds, stalls and faults, and a random combination of chunk strategy, selector, tail policy and
 * connection limits. {@link #generator(boolean)} can promise at least one honest mirror per file.
 */
public record RandomCase(SchedulerConfig config, List<FakeMirror> mirrors, List<FileSpec> files,
                         double lowSpeedTimeout, long networkSeed) {

    /** One file: name, size, piece length and the mirrors that list it, in preference order. */
    public record FileSpec(String name, long size, int pieceLength, List<String> mirrorIds) {
    }

    private static final List<String> CHUNKS = Strategies.load().ids(Family.CHUNK);
    private static final List<String> SELECTORS = Strategies.load().ids(Family.SELECTOR);
    private static final List<String> TAILS = Strategies.load().ids(Family.TAIL);

    /** Builds a fresh network for this case. */
    public FakeNetwork network() {
        FakeNetwork n = new FakeNetwork(config, mirrors, networkSeed).lowSpeedTimeout(lowSpeedTimeout);
        for (FileSpec f : files) {
            n.addFile(f.name(), f.size(), f.pieceLength(), f.mirrorIds());
        }
        return n;
    }

    /** Random cases; with {@code honest}, every file lists at least one honest mirror. */
    public static Property.Generator<RandomCase> generator(boolean honest) {
        return (r, size) -> generate(r, size, honest);
    }

    static RandomCase generate(SplittableRandom r, int size, boolean honest) {
        int mirrorCount = 1 + r.nextInt(1 + Math.min(7, size / 12));
        List<FakeMirror> mirrors = new ArrayList<>();
        for (int i = 0; i < mirrorCount; i++) {
            double rate = Math.exp(Math.log(8 << 10) + r.nextDouble() * (Math.log(16 << 20) - Math.log(8 << 10)));
            double latency = r.nextDouble() < 0.2 ? 0 : r.nextDouble() * 0.4;
            FakeMirror m = FakeMirror.honest("m" + i, Math.rint(rate), latency)
                    .withWeight(r.nextInt(4))
                    .withMaxConnections(r.nextDouble() < 0.3 ? 1 + r.nextInt(2) : 0);
            mirrors.add(r.nextDouble() < 0.5 ? m : misbehave(m, r));
        }
        int honestIndex = r.nextInt(mirrorCount);
        if (honest && !mirrors.get(honestIndex).isHonest()) {
            FakeMirror h = mirrors.get(honestIndex);
            mirrors.set(honestIndex, FakeMirror.honest(h.id(), h.rate(), h.latency()).withWeight(h.weight())
                    .withMaxConnections(h.maxConnections()));
        }

        int fileCount = 1 + r.nextInt(1 + Math.min(3, size / 25));
        List<FileSpec> files = new ArrayList<>();
        long maxSize = 1 + (long) size * size * 60; // up to ~600 KB at size 100
        int[] pieceChoices = {1, 7, 1000, 4096, 16384, 65536, 262144};
        for (int f = 0; f < fileCount; f++) {
            long fileSize = r.nextDouble() < 0.05 ? 0 : r.nextLong(maxSize + 1);
            int piece = r.nextDouble() < 0.3 ? 1 + r.nextInt(100_000) : pieceChoices[r.nextInt(pieceChoices.length)];
            // Keep piece counts testable: a 1-byte piece length only for small files.
            while (fileSize / piece > 2_000) {
                piece *= 4;
            }
            List<String> ids = new ArrayList<>();
            for (FakeMirror m : mirrors) {
                if (r.nextDouble() < 0.8 || (honest && m.id().equals(mirrors.get(honestIndex).id()))) {
                    ids.add(m.id());
                }
            }
            shuffle(ids, r);
            files.add(new FileSpec("file" + f, fileSize, piece, ids));
        }

        SchedulerConfig c = SchedulerConfig.of(CHUNKS.get(r.nextInt(CHUNKS.size())))
                .withSelector(StrategySpec.of(SELECTORS.get(r.nextInt(SELECTORS.size()))))
                .withTail(StrategySpec.of(TAILS.get(r.nextInt(TAILS.size()))))
                .withConnections(1 + r.nextInt(8), 1 + r.nextInt(3), r.nextInt(5))
                .withSeed(r.nextLong())
                .withMaxCopies(2 + r.nextInt(2))
                .withBans(0.5 + r.nextDouble() * 2, 30 + r.nextDouble() * 100, 1 + r.nextInt(6), 1 + r.nextInt(4));
        if (c.chunk().id().equals("aria2") && r.nextBoolean()) {
            c = c.withChunk(c.chunk().with("min-split-size", 1 + r.nextInt(1 << 20)));
        }
        if (c.chunk().id().equals("adaptive") && r.nextBoolean()) {
            c = c.withChunk(c.chunk().with("gate", r.nextBoolean()).with("target-duration", r.nextDouble() * 4));
        }
        return new RandomCase(c, mirrors, files, 1 + r.nextDouble() * 9, r.nextLong());
    }

    private static FakeMirror misbehave(FakeMirror m, SplittableRandom r) {
        switch (r.nextInt(7)) {
            case 0:
                return m.dead(0, r.nextDouble() < 0.5 ? Double.POSITIVE_INFINITY : r.nextDouble() * 60);
            case 1:
                return m.missingFile();
            case 2:
                return m.corrupt(0.05 + r.nextDouble() * 0.95);
            case 3:
                return m.stallAfter(r.nextInt(200_000));
            case 4:
                return m.slowDown(r.nextDouble() * 5, r.nextDouble() < 0.5 ? 0 : 0.01 + r.nextDouble() * 0.5);
            case 5:
                return m.dropping(0.1 + r.nextDouble() * 0.8);
            default:
                return m.dead(r.nextDouble() * 5, r.nextDouble() * 5 + 5 + r.nextDouble() * 30);
        }
    }

    private static void shuffle(List<String> ids, SplittableRandom r) {
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
    }
}
