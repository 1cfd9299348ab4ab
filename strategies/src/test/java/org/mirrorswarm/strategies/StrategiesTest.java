package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.StrategyFactory;

class StrategiesTest {
    private final Strategies registry = Strategies.load();

    @Test
    void everyIdTheProjectPromisesIsRegistered() {
        assertThat(registry.ids(Family.CHUNK)).containsExactlyInAnyOrder(
                "single", "static-split", "round-robin", "work-queue", "aria2", "proportional", "adaptive");
        assertThat(registry.ids(Family.SELECTOR)).containsExactlyInAnyOrder(
                "in-order", "random", "weighted", "least-loaded", "fastest-ewma", "p2c-peak-ewma", "aria2-feedback");
        assertThat(registry.ids(Family.TAIL)).containsExactlyInAnyOrder("none", "endgame", "hedge", "steal", "steal-hedge");
    }

    @Test
    void everyStrategyDescribesItselfAndBuildsWithItsDefaults() {
        for (StrategyFactory<?> f : registry.all()) {
            assertThat(f.id()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(f.summary()).as(f.id()).isNotBlank();
            assertThat(f.origin()).as(f.id()).isNotBlank();
            for (ParamSpec p : f.params()) {
                assertThat(p.name()).matches("[a-z]+(-[a-z]+)*");
                assertThat(p.description()).isNotBlank();
            }
            Object instance = f.create(registry.params(f.family(), StrategySpec.of(f.id())));
            assertThat(instance).as(f.id()).isNotNull();
            if (f.family() == Family.CHUNK) {
                assertThat(registry.ids(Family.SELECTOR)).contains(f.defaultSelector());
                assertThat(registry.ids(Family.TAIL)).contains(f.defaultTail());
            }
        }
    }

    @Test
    void unknownIdsListTheValidOnesWithASuggestion() {
        assertThatThrownBy(() -> registry.chunk(StrategySpec.of("adaptve")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown chunk strategy 'adaptve' (did you mean 'adaptive'?); valid: adaptive, aria2,");
        assertThatThrownBy(() -> new Scheduler(SchedulerConfig.defaults().withSelector("p2c")))
                .hasMessageContaining("unknown mirror selector 'p2c'").hasMessageContaining("p2c-peak-ewma");
        assertThatThrownBy(() -> new Scheduler(SchedulerConfig.defaults().withTail("hedging")))
                .hasMessageContaining("did you mean 'hedge'");
    }

    @Test
    void aSpecIsReadInTheFormItIsWritten() {
        StrategySpec s = StrategySpec.parse(" adaptive(target-duration=1s, gate=false,probe-size=512KiB) ");
        assertThat(s.id()).isEqualTo("adaptive");
        assertThat(s.params()).containsOnly(org.assertj.core.api.Assertions.entry("target-duration", "1s"),
                org.assertj.core.api.Assertions.entry("gate", "false"), org.assertj.core.api.Assertions.entry("probe-size", "512KiB"));
        Params p = registry.params(Family.CHUNK, s);
        assertThat(p.getSeconds("target-duration")).isEqualTo(1.0);
        assertThat(p.getBoolean("gate")).isFalse();
        assertThat(p.getBytes("probe-size")).isEqualTo(512L << 10);
        StrategySpec written = StrategySpec.of("work-queue").with("chunk-size", 4L << 20);
        assertThat(StrategySpec.parse(written.toString()).toString()).isEqualTo(written.toString());
        assertThat(StrategySpec.parse("single")).isEqualTo(StrategySpec.of("single"));
        assertThat(StrategySpec.parse("single()")).isEqualTo(StrategySpec.of("single"));
        for (String bad : new String[] {"", "Adaptive", "adaptive(", "adaptive(gate)", "adaptive(=1)", "adaptive(gate=)",
                "adaptive(gate=true,gate=false)", "adaptive(a=(1))", "adaptive(gate=true))"}) {
            assertThatThrownBy(() -> StrategySpec.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'" + bad + "'");
        }
    }

    @Test
    void parametersAreTypedAndUnknownOnesAreRefused() {
        Params p = registry.params(Family.CHUNK, StrategySpec.of("work-queue").with("chunk-size", "4MiB"));
        assertThat(p.getBytes("chunk-size")).isEqualTo(4L << 20);
        assertThat(registry.params(Family.TAIL, StrategySpec.of("hedge").with("min-delay", "250ms")).getSeconds("min-delay"))
                .isEqualTo(0.25);
        assertThatThrownBy(() -> registry.params(Family.CHUNK, StrategySpec.of("work-queue").with("chunksize", 1)))
                .hasMessage("unknown parameter of chunk strategy 'work-queue' 'chunksize' (did you mean 'chunk-size'?); valid: chunk-size");
        assertThatThrownBy(() -> registry.params(Family.CHUNK, StrategySpec.of("single").with("x", 1)))
                .hasMessage("chunk strategy 'single' takes no parameters, got 'x'");
        assertThatThrownBy(() -> registry.params(Family.CHUNK, StrategySpec.of("adaptive").with("gate", "maybe")))
                .hasMessageContaining("parameter gate: expected boolean, got 'maybe'");
        assertThatThrownBy(() -> registry.params(Family.SELECTOR, StrategySpec.of("aria2-feedback").with("window", 2.5)))
                .hasMessageContaining("expected int");
        assertThatThrownBy(() -> registry.chunk(StrategySpec.of("round-robin").with("chunk-size", 0)))
                .hasMessageContaining("must be positive");
    }

    @Test
    void defaultSelectorAndTailComeFromTheChunkStrategy() {
        SchedulerConfig c = SchedulerConfig.of("aria2");
        assertThat(registry.effectiveSelector(c).id()).isEqualTo("aria2-feedback");
        assertThat(registry.effectiveTail(c).id()).isEqualTo("none");
        assertThat(registry.effectiveTail(SchedulerConfig.defaults()).id()).isEqualTo("steal-hedge");
        assertThat(registry.effectiveTail(c.withTail("steal")).id()).isEqualTo("steal");
    }

    @Test
    void anExplicitRegistryHoldsExactlyItsFactories() {
        Strategies only = Strategies.of(List.of(new org.mirrorswarm.strategies.chunk.ChunkSingle.Factory()));
        assertThat(only.ids(Family.CHUNK)).containsExactly("single");
        assertThat(only.ids(Family.TAIL)).isEmpty();
        assertThat(StrategySpec.of("x").with("b", 2).with("a", 1).toString()).isEqualTo("x(a=1,b=2)");
        assertThat(new StrategySpec("x", Map.of()).toString()).isEqualTo("x");
    }

    /** A strategy from outside this module, as a plugin jar would bring one. */
    public static class PluginTail implements org.mirrorswarm.strategies.spi.StrategyFactory<org.mirrorswarm.strategies.spi.TailPolicy> {
        @Override
        public org.mirrorswarm.strategies.spi.Family family() {
            return org.mirrorswarm.strategies.spi.Family.TAIL;
        }

        @Override
        public String id() {
            return "plugin-tail";
        }

        @Override
        public String summary() {
            return "a test's";
        }

        @Override
        public String origin() {
            return "StrategiesTest";
        }

        @Override
        public org.mirrorswarm.strategies.spi.TailPolicy create(org.mirrorswarm.strategies.spi.Params params) {
            return new org.mirrorswarm.strategies.tail.TailNone.Factory().create(params);
        }
    }

    /** A plugin claiming a built-in id with a class of its own. */
    public static final class Impostor extends PluginTail {
        @Override
        public String id() {
            return "hedge";
        }
    }

    /**
     * This module's strategies are made directly (the class path is scanned only when an id is not one of them, or
     * all are listed): the list must be the service file's, which other tools read.
     */
    @Test
    void theBuiltInListIsTheServiceFiles() throws java.io.IOException {
        String file;
        try (var in = Strategies.class.getResourceAsStream("/META-INF/services/"
                + org.mirrorswarm.strategies.spi.StrategyFactory.class.getName())) {
            file = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> listed = file.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(Strategies.builtIn()).extracting(f -> f.getClass().getName()).containsExactlyElementsOf(listed);
    }

    /** A strategy brought by another jar is found when its id is asked for, or when all are listed. */
    @Test
    void strategiesOnTheClassPathAreFoundWhenNeeded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path services = java.nio.file.Files.createDirectories(dir.resolve("plugin/META-INF/services"));
        String spi = org.mirrorswarm.strategies.spi.StrategyFactory.class.getName();
        java.nio.file.Files.writeString(services.resolve(spi), "# a plugin\n" + PluginTail.class.getName() + "\n");
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {dir.resolve("plugin").toUri().toURL()}, getClass().getClassLoader())) {
            Strategies r = Strategies.load(loader);
            assertThat(r.factory(org.mirrorswarm.strategies.spi.Family.TAIL, "plugin-tail")).isInstanceOf(PluginTail.class);
            assertThat(r.ids(org.mirrorswarm.strategies.spi.Family.TAIL)).contains("plugin-tail", "hedge", "steal");
            assertThat(Strategies.load(loader).ids(org.mirrorswarm.strategies.spi.Family.TAIL)).contains("plugin-tail");
            assertThat(r.factory(org.mirrorswarm.strategies.spi.Family.CHUNK, "adaptive")).isNotNull();
        }
        java.nio.file.Files.writeString(services.resolve(spi), Impostor.class.getName() + "\n");
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {dir.resolve("plugin").toUri().toURL()}, getClass().getClassLoader())) {
            Strategies r = Strategies.load(loader);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.ids(org.mirrorswarm.strategies.spi.Family.TAIL))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'hedge' is claimed by both");
        }
    }
}
