package org.mirrorswarm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mirrorswarm.strategies.Strategies;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists the chunk strategies, mirror selectors and tail policies with their ids, origins and parameters. */
@Command(
        name = "strategies",
        mixinStandardHelpOptions = true,
        description = {
            "List every strategy id usable in scenario files and with --strategy: chunk strategies, "
                    + "mirror selectors and tail policies, where each comes from, and its parameters.",
            ""
        })
final class StrategiesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--family", paramLabel = "FAMILY", description = "only this family: chunk, selector or tail")
    String family;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "show one strategy in full")
    String id;

    @Override
    public Integer call() {
        Strategies registry = Strategies.load();
        PrintWriter out = spec.commandLine().getOut();
        List<Family> families = family == null ? List.of(Family.values()) : List.of(family(family));
        if (id != null) {
            for (Family f : families) {
                if (registry.ids(f).contains(id)) {
                    detail(out, registry.factory(f, id));
                    return ExitCodes.OK;
                }
            }
            // Not found: the closest id of any family searched, in the words of its family.
            List<String> all = new java.util.ArrayList<>();
            families.forEach(f -> all.addAll(registry.ids(f)));
            String near = org.mirrorswarm.strategies.Names.suggest(id, all).orElse(null);
            for (Family f : families) {
                if (families.size() == 1 || (near != null && registry.ids(f).contains(near))) {
                    try {
                        registry.factory(f, id);
                    } catch (IllegalArgumentException e) {
                        throw new UserException(e.getMessage());
                    }
                }
            }
            throw new UserException("no chunk strategy, mirror selector or tail policy is named '" + id
                    + "'; 'mirrorswarm strategies' lists them");
        }
        for (Family f : families) {
            out.printf("%s (%s):%n", capitalize(f.plural()), f.key());
            for (String i : registry.ids(f)) {
                StrategyFactory<?> s = registry.factory(f, i);
                out.printf("  %-15s %s%n", i, s.summary());
            }
            out.println();
        }
        out.println("Run 'mirrorswarm strategies ID' for a strategy's origin and parameters.");
        return ExitCodes.OK;
    }

    private static void detail(PrintWriter out, StrategyFactory<?> s) {
        out.printf("%s  (%s)%n  %s%n  origin: %s%n", s.id(), s.family().label(), s.summary(), s.origin());
        if (s.family() == Family.CHUNK) {
            out.printf("  default selector: %s, default tail policy: %s%n", s.defaultSelector(), s.defaultTail());
        }
        if (s.params().isEmpty()) {
            out.println("  no parameters");
        } else {
            out.println("  parameters:");
            for (ParamSpec p : s.params()) {
                out.printf("    %-16s %-8s default %-10s %s%n", p.name(), p.type().name().toLowerCase(Locale.ROOT),
                        p.defaultValue(), p.description());
            }
        }
    }

    private static Family family(String key) {
        for (Family f : Family.values()) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        throw new UserException("unknown family '" + key + "'; valid: chunk, selector, tail");
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
