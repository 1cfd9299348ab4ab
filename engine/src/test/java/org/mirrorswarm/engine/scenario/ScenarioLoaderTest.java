package org.mirrorswarm.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.engine.Clients;
import org.mirrorswarm.engine.Faults;
import org.mirrorswarm.engine.Scenario;
import org.mirrorswarm.engine.workload.Dist;

class ScenarioLoaderTest {
    private static Study load(String yaml, String... sets) {
        return ScenarioLoader.load("test.yaml", yaml, List.of(sets));
    }

    @Test
    void anEmptyFileIsTheReference() {
        Study s = load("");
        Scenario sc = s.scenario();
        assertThat(s.name()).isEqualTo("scenario");
        assertThat(sc.duration()).isEqualTo(7200);
        assertThat(sc.network().model()).isEqualTo("fast");
        assertThat(sc.network().rtt()[0][2]).isCloseTo(0.25, within(1e-12));
        assertThat(sc.network().tcpWindow()).isEqualTo(4 << 20);
        assertThat(sc.mirrors()).hasSize(1);
        assertThat(sc.mirrors().get(0).uplink()).isEqualTo(new Dist.LogUniform(10e6, 125e6));
        assertThat(sc.clients().arrival()).isEqualTo(new Clients.Arrival.FlashCrowd(60));
        assertThat(sc.packages().pieceLength()).isEqualTo(1 << 20);
        assertThat(sc.tracker().serviceTime()).isEqualTo(new Dist.Fixed(0.0005));
        assertThat(sc.tracker().uplink()).isEqualTo(125e6);
        assertThat(s.variants()).hasSize(1);
        assertThat(s.variants().get(0).name()).isEqualTo("adaptive");
        assertThat(s.variants().get(0).scheduler().selector()).isNull();
        assertThat(s.variants().get(0).scheduler().earlyRequests()).isZero();
        assertThat(s.scenario().network().pipelining()).isFalse();
        assertThat(s.replications()).isEqualTo(3);
        assertThat(s.points()).hasSize(1);
    }

    @Test
    void aScenarioOverridesTheReferenceAndListEntriesStartFromTheTemplate() {
        Study s = load("""
                name: custom
                clients:
                  count: 42
                  arrival: {poisson: 2.5}
                  regions: {na: 1}
                mirrors:
                  - {name: big, count: 3, region: na, uplink: 1Gbit/s}
                  - name: small
                    uplink: {uniform: [10Mbit, 20Mbit]}
                    faults: {mtbf: 10m, outages: [[5s, 1m]], when-down: refuse}
                strategies:
                  - chunk: {id: work-queue, chunk-size: 4MiB}
                    selector: random
                  - {name: mine, chunk: aria2, transport: swarm}
                scheduler: {early-requests: true}
                network: {pipelining: true}
                """);
        Scenario sc = s.scenario();
        assertThat(s.name()).isEqualTo("custom");
        assertThat(sc.network().pipelining()).isTrue();
        assertThat(sc.clients().count()).isEqualTo(42);
        assertThat(sc.clients().arrival()).isEqualTo(new Clients.Arrival.Poisson(2.5));
        assertThat(sc.clients().regionWeights()).containsExactly(0, 1, 0);
        assertThat(sc.mirrors().get(0).uplink()).isEqualTo(new Dist.Fixed(125e6));
        assertThat(sc.mirrors().get(0).region()).isEqualTo(1);
        assertThat(sc.mirrors().get(1).count()).isEqualTo(10);
        assertThat(sc.mirrors().get(1).uplink()).isEqualTo(new Dist.Uniform(1.25e6, 2.5e6));
        assertThat(sc.mirrors().get(1).faults().mtbf()).isEqualTo(600);
        assertThat(sc.mirrors().get(1).faults().outages().get(0).to()).isEqualTo(60);
        assertThat(sc.mirrors().get(1).faults().whenDown()).isEqualTo(Faults.WhenDown.REFUSE);
        assertThat(sc.mirrors().get(0).faults().whenDown()).isEqualTo(Faults.WhenDown.DROP);
        assertThat(s.variants()).extracting(v -> v.name()).containsExactly("work-queue+random", "mine");
        assertThat(s.variants().get(0).scheduler().chunk().params()).containsEntry("chunk-size", "4MiB");
        assertThat(s.variants().get(1).transport()).isEqualTo("swarm");
        assertThat(s.variants()).allSatisfy(v -> assertThat(v.scheduler().earlyRequests()).isEqualTo(2));
    }

    @Test
    void anUnknownKeyNamesFileLineColumnAndSuggests() {
        assertThatThrownBy(() -> load("""
                clients:
                  count: 10
                  downlinks: 5MB/s
                """)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("test.yaml:3:3: unknown key in clients 'downlinks' (did you mean 'downlink'?); valid: count, arrival, downlink,");
        assertThatThrownBy(() -> load("replicatons: 5"))
                .hasMessageStartingWith("test.yaml:1:1: unknown key 'replicatons' (did you mean 'replications'?)");
    }

    @Test
    void wrongTypesAndValuesAreErrorsAtTheirPosition() {
        assertThatThrownBy(() -> load("clients: {count: many}"))
                .hasMessage("test.yaml:1:18: clients.count: expected a whole number, got 'many'");
        assertThatThrownBy(() -> load("clients:\n  count: 2.5"))
                .hasMessage("test.yaml:2:10: clients.count: expected a whole number, got 2.5");
        assertThatThrownBy(() -> load("network: {tls: yes please}"))
                .hasMessage("test.yaml:1:16: network.tls: expected true or false, got 'yes please'");
        assertThatThrownBy(() -> load("tracker: {uplink: fast}"))
                .hasMessageContaining("tracker.uplink: expected a rate (e.g.");
        assertThatThrownBy(() -> load("clients: {arrival: {burst: 5}}"))
                .hasMessageContaining("unknown arrival process 'burst'; valid: flash-crowd, poisson");
        assertThatThrownBy(() -> load("packages: {sizes: {log-unifrom: [1, 2]}}"))
                .hasMessageContaining("packages.sizes: unknown distribution 'log-unifrom' (did you mean 'log-uniform'?)");
        assertThatThrownBy(() -> load("mirrors: [{name: a, region: europe}]"))
                .hasMessageContaining("mirrors[0].region: unknown region 'europe'; valid: eu, na, asia");
        assertThatThrownBy(() -> load("clients: {firewalled-share: 2}"))
                .hasMessageContaining("clients.firewalled-share: a share between 0 and 1, got 2.0");
        assertThatThrownBy(() -> load("clients: [1, 2]"))
                .hasMessage("test.yaml:1:10: clients: expected a map of settings, got a list");
        // The top level's own fields too, their position told once.
        assertThatThrownBy(() -> load("name: x\nseed: abc"))
                .hasMessage("test.yaml:2:7: seed: expected a whole number, got 'abc'");
        assertThatThrownBy(() -> load("duration: soon"))
                .hasMessageStartingWith("test.yaml:1:11: duration: ");
        assertThatThrownBy(() -> load("bin-width: -1s"))
                .hasMessageStartingWith("test.yaml:1:12: bin-width: ");
        assertThatThrownBy(() -> load("mirrors: [{name: a, faults: {when-down: explode}}]"))
                .hasMessageContaining("mirrors[0].faults.when-down: unknown value 'explode'; valid: drop, refuse");
    }

    @Test
    void anUnknownStrategyIdIsRefusedWithTheValidOnes() {
        assertThatThrownBy(() -> load("strategies:\n  - chunk: adaptiv"))
                .hasMessageStartingWith("test.yaml:2:12: strategies[0].chunk: unknown chunk strategy 'adaptiv' (did you mean 'adaptive'?); valid: adaptive, aria2,");
        assertThatThrownBy(() -> load("strategies:\n  - {chunk: adaptive, tail: hedging}"))
                .hasMessageContaining("strategies[0].tail: unknown tail policy 'hedging' (did you mean 'hedge'?)");
        assertThatThrownBy(() -> load("strategies:\n  - chunk: {id: work-queue, chunksize: 1MiB}"))
                .hasMessageContaining("strategies[0].chunk: unknown parameter of chunk strategy 'work-queue' 'chunksize' (did you mean 'chunk-size'?)");
        assertThatThrownBy(() -> load("strategies:\n  - {chunk: single}\n  - {chunk: single}"))
                .hasMessageContaining("two entries named 'single'");
    }

    @Test
    void yamlSyntaxAndDuplicateKeysAreErrorsWithTheirPosition() {
        assertThatThrownBy(() -> load("clients:\n  count: 1\n  count: 2"))
                .hasMessage("test.yaml:3:3: 'count' is given twice");
        assertThatThrownBy(() -> load("clients: {count: 1\nmirrors: x"))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("test.yaml:").hasMessageContaining("invalid YAML");
    }

    @Test
    void setOverridesAnyValueAndRefusesUnknownPaths() {
        Study s = load("clients: {count: 10}", "clients.count=20", "mirrors.0.count=7", "network.model=exact",
                "clients.arrival={poisson: 3}");
        assertThat(s.scenario().clients().count()).isEqualTo(20);
        assertThat(s.scenario().mirrors().get(0).count()).isEqualTo(7);
        assertThat(s.scenario().network().model()).isEqualTo("exact");
        assertThat(s.scenario().clients().arrival()).isEqualTo(new Clients.Arrival.Poisson(3));
        assertThatThrownBy(() -> load("", "clients.cuont=5"))
                .hasMessageStartingWith("--set clients.cuont: unknown key in clients 'cuont' (did you mean 'count'?)");
        assertThatThrownBy(() -> load("", "clients.count=lots"))
                .hasMessage("--set clients.count: clients.count: expected a whole number, got 'lots'");
        assertThatThrownBy(() -> load("", "nonsense")).hasMessageContaining("expected path.to.key=value");
    }

    @Test
    void sweepsExpandToTheCartesianProduct() {
        Study s = load("""
                clients: {count: 100}
                sweep:
                  clients.count: [100, 200, 300]
                  packages.piece-length: {from: 262144, to: 1048576, steps: 3, scale: log}
                """);
        assertThat(s.sweep()).hasSize(2);
        List<Study.Point> points = s.points();
        assertThat(points).hasSize(9);
        assertThat(points.get(0).labels()).containsEntry("clients.count", "100").containsEntry("packages.piece-length", "262144");
        assertThat(points.get(4).labels()).containsEntry("clients.count", "200").containsEntry("packages.piece-length", "524288");
        assertThat(points.get(4).scenario().clients().count()).isEqualTo(200);
        assertThat(points.get(4).scenario().packages().pieceLength()).isEqualTo(524288);
        assertThat(s.runCount()).isEqualTo(9 * 1 * 3);
        assertThatThrownBy(() -> load("sweep: {clients.cout: [1]}"))
                .hasMessageStartingWith("test.yaml:1:9: sweep: unknown key in clients 'cout'");
        assertThatThrownBy(() -> load("sweep: {clients: [1]}"))
                .hasMessageContaining("sweep: clients is a map, not a single value");
        assertThatThrownBy(() -> load("sweep: {clients.count: [10, many]}").points())
                .hasMessageContaining("clients.count: expected a whole number, got 'many'");
    }

    @Test
    void unitsOfSizesRatesAndTimes() {
        Study s = load("""
                packages: {piece-length: 256KiB, sizes: {fixed: 1.5MB}}
                tracker: {uplink: 100Mbit/s, service-time: 2ms, freshness-interval: 1.5m}
                mirrors: [{name: m, uplink: 12MiB/s, per-connection-rate: 500kB/s}]
                """);
        Scenario sc = s.scenario();
        assertThat(sc.packages().pieceLength()).isEqualTo(262_144);
        assertThat(sc.packages().sizes()).isEqualTo(new Dist.Fixed(1.5e6));
        assertThat(sc.tracker().uplink()).isEqualTo(12.5e6);
        assertThat(sc.tracker().serviceTime()).isEqualTo(new Dist.Fixed(0.002));
        assertThat(sc.tracker().freshnessInterval()).isEqualTo(90);
        assertThat(sc.mirrors().get(0).uplink()).isEqualTo(new Dist.Fixed(12 * 1024 * 1024));
        assertThat(sc.mirrors().get(0).perConnectionRate()).isEqualTo(500e3);
    }

    @Test
    void theMergedScenarioIsWrittenBackAsYaml() {
        Study s = load("clients: {count: 5}");
        String yaml = Yaml.write(s.effective());
        Study again = load(yaml);
        assertThat(again.scenario().clients().count()).isEqualTo(5);
        assertThat(again.scenario().network().rtt()[1][2]).isEqualTo(s.scenario().network().rtt()[1][2]);
    }
}
