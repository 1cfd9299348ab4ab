package org.mirrorswarm.engine;

import java.util.Objects;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * One of the strategies compared in an experiment: the clients' scheduler, and optionally another
 * tracker-overhead or freshness strategy than the scenario's.
 *
 * @param name      label in results and charts
 * @param scheduler the clients' scheduler (chunk strategy, selector, tail policy, limits)
 * @param overhead  tracker-overhead strategy id, or null for the scenario's
 * @param freshness freshness strategy id, or null for the scenario's
 * @param transport {@code mirrors}, {@code swarm} or {@code hybrid}, or null for the scenario's
 */
public record Variant(String name, SchedulerConfig scheduler, String overhead, String freshness, String transport) {
    public Variant {
        if (transport != null) {
            Ids.check("variant " + name + " transport", transport, Ids.TRANSPORTS);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheduler, "scheduler");
        if (overhead != null) {
            Ids.check("variant " + name + " overhead", overhead, Ids.OVERHEADS);
        }
        if (freshness != null) {
            Ids.check("variant " + name + " freshness", freshness, Ids.FRESHNESS);
        }
    }

    /** A variant named after its chunk strategy. */
    public static Variant of(SchedulerConfig c) {
        return new Variant(c.chunk().id(), c, null, null, null);
    }

    /** The same variant under another name. */
    public Variant withName(String n) {
        return new Variant(n, scheduler, overhead, freshness, transport);
    }

    /** A variant with another transport than the scenario's. */
    public Variant withTransport(String t) {
        return new Variant(name, scheduler, overhead, freshness, t);
    }

    public static Variant of(String name, SchedulerConfig c) {
        return new Variant(name, c, null, null, null);
    }
}
