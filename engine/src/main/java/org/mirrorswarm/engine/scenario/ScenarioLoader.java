package org.mirrorswarm.engine.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.mirrorswarm.engine.Clients;
import org.mirrorswarm.engine.Faults;
import org.mirrorswarm.engine.MirrorGroup;
import org.mirrorswarm.engine.Network;
import org.mirrorswarm.engine.Packages;
import org.mirrorswarm.engine.Scenario;
import org.mirrorswarm.engine.SwarmSpec;
import org.mirrorswarm.engine.Tracker;
import org.mirrorswarm.engine.Variant;
import org.mirrorswarm.engine.scenario.Quantities.Kind;
import org.mirrorswarm.engine.workload.Dist;
import org.mirrorswarm.engine.workload.SizeTable;
import org.mirrorswarm.strategies.Names;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.Strategies;
import org.mirrorswarm.strategies.StrategySpec;
import org.mirrorswarm.strategies.spi.Family;

/**
 * Reads a scenario file: parses it, merges it over {@code reference.yaml} (keys the reference lacks are
 * errors), applies {@code --set path=value} overrides, and binds the result to the engine's model.
 * Every error is a {@link ScenarioException} whose message starts with file:line:column and, for an
 * unknown key or id, lists the valid ones with a "did you mean". Nothing is run while loading.
 */
public final class ScenarioLoader {
    /** Places where a value replaces the reference's wholesale: its shape is checked when bound. */
    private static final List<Pattern> FREE_FORM = List.of(
            "mirrors\\.\\*\\.uplink", "mirrors\\.\\*\\.faults\\.outages", "mirrors\\.\\*\\.faults\\.slowdowns",
            "clients\\.(arrival|downlink|uplink|regions|packages)", "packages\\.sizes", "tracker\\.service-time",
            "swarm\\.seeding-time", "network\\.(regions|rtt)", "strategies\\.\\*\\.(chunk|selector|tail)", "sweep")
            .stream().map(Pattern::compile).toList();
    private static final List<String> DIST_KINDS = List.of("fixed", "uniform", "log-uniform", "exponential", "choice",
            "debian");
    private static final Strategies REGISTRY = Strategies.load();
    private static final String REFERENCE = "reference.yaml";

    private ScenarioLoader() {
    }

    /** Loads a scenario file with command-line overrides ({@code path.to.key=value}). */
    public static Study load(Path file, List<String> sets) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ScenarioException(file + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ScenarioException(file + ": not a scenario file (not UTF-8 text)");
        } catch (java.nio.file.FileSystemException e) {
            throw new ScenarioException(file + ": cannot read: " + (e.getReason() != null ? e.getReason() : e.getMessage()));
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage());
        }
        return load(file.toString(), text, sets);
    }

    /** Loads scenario text; {@code fileName} is used in messages. */
    public static Study load(String fileName, String text, List<String> sets) {
        Node user = Yaml.parse(fileName, new StringReader(text));
        if (!(user instanceof Node.Map um)) {
            throw new ScenarioException(user.where, "a scenario must be a map of settings, got " + user.kind());
        }
        Node.Map merged = (Node.Map) merge(reference(), um, "", "");
        for (String set : sets) {
            applySet(merged, set);
        }
        Study study = bind(merged);
        study.points(); // binds every sweep point, so a bad swept value fails now, before anything runs
        return study;
    }

    /** The parsed reference.yaml (a fresh copy each time). */
    public static Node.Map reference() {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(REFERENCE)) {
            if (in == null) {
                throw new IllegalStateException("reference.yaml is missing from the engine jar");
            }
            Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
            return (Node.Map) Yaml.parse("reference.yaml", r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ merging

    private static boolean isFree(String pattern) {
        for (Pattern p : FREE_FORM) {
            if (p.matcher(pattern).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Node merge(Node ref, Node user, String path, String pattern) {
        if (!pattern.isEmpty() && isFree(pattern)) {
            return user.copy();
        }
        if (ref instanceof Node.Map rm) {
            if (!(user instanceof Node.Map um)) {
                throw new ScenarioException(user.where, where(path) + ": expected a map of settings, got " + user.kind());
            }
            for (String k : um.keys()) {
                if (rm.get(k) == null) {
                    throw new ScenarioException(um.keyWhere(k), Names.unknown("key" + in(path), k, rm.keys()));
                }
            }
            Node.Map out = new Node.Map(um.where);
            for (String k : rm.keys()) {
                if (um.get(k) != null) {
                    out.put(k, um.keyWhere(k), merge(rm.get(k), um.get(k), join(path, k), join(pattern, k)));
                } else {
                    out.put(k, rm.keyWhere(k), rm.get(k).copy());
                }
            }
            return out;
        }
        if (ref instanceof Node.List rl) {
            if (!(user instanceof Node.List ul)) {
                throw new ScenarioException(user.where, where(path) + ": expected a list, got " + user.kind());
            }
            if (!rl.items.isEmpty() && rl.items.get(0) instanceof Node.Map template) {
                Node.List out = new Node.List(ul.where);
                for (int i = 0; i < ul.items.size(); i++) {
                    out.items.add(merge(template, ul.items.get(i), path + "[" + i + "]", pattern + ".*"));
                }
                return out;
            }
            return ul.copy();
        }
        if (!(user instanceof Node.Scalar)) {
            throw new ScenarioException(user.where, where(path) + ": expected a single value, got " + user.kind());
        }
        return user.copy();
    }

    private static String where(String path) {
        return path.isEmpty() ? "the scenario" : path;
    }

    private static String in(String path) {
        return path.isEmpty() ? "" : " in " + path;
    }

    /** Applies {@code path.to.key=value}; the path must name a setting of the merged scenario. */
    private static void applySet(Node.Map merged, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new ScenarioException("--set " + set + ": expected path.to.key=value");
        }
        String path = set.substring(0, eq).trim();
        Node value = Yaml.parseValue("--set " + path, set.substring(eq + 1));
        replace(merged, path, value);
    }

    /**
     * Replaces the value at a dotted path ({@code clients.count}, {@code mirrors.0.count} or
     * {@code mirrors[0].count}) with {@code value}; an unknown step is an error listing the valid ones.
     */
    static void replace(Node.Map root, String path, Node value) {
        String[] steps = path.replaceAll("\\[(\\d+)]", ".$1").split("\\.");
        Node at = root;
        String done = "";
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            boolean last = i == steps.length - 1;
            if (at instanceof Node.Map m) {
                if (m.get(step) == null) {
                    throw new ScenarioException(value.where, Names.unknown("key" + in(done), step, m.keys()));
                }
                if (last) {
                    m.put(step, value.where, value);
                    return;
                }
                at = m.get(step);
            } else if (at instanceof Node.List l) {
                int index;
                try {
                    index = Integer.parseInt(step);
                } catch (NumberFormatException e) {
                    throw new ScenarioException(value.where, where(done) + " is a list: expected an index, got '" + step + "'");
                }
                if (index < 0 || index >= l.items.size()) {
                    throw new ScenarioException(value.where, where(done) + " has " + l.items.size() + " entries, no " + index);
                }
                if (last) {
                    l.items.set(index, value);
                    return;
                }
                at = l.items.get(index);
            } else {
                throw new ScenarioException(value.where, where(done) + " is a single value: it has no '" + step + "'");
            }
            done = join(done, step);
        }
    }

    // ------------------------------------------------------------------ binding

    /** Binds a merged tree to the model; every problem is an error with its position. */
    static Study bind(Node.Map tree) {
        Fields root = new Fields(tree, "");
        String name = root.string("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ScenarioException(root.node("name").where, "name: letters, digits, '.', '_' and '-' only, got '" + name + "'");
        }
        Fields net = root.map("network");
        List<String> regions = regions(net);
        Network network = network(net, regions);
        List<MirrorGroup> groups = new ArrayList<>();
        Set<String> groupNames = new HashSet<>();
        Node.List mirrorList = root.list("mirrors");
        if (mirrorList.items.isEmpty()) {
            throw new ScenarioException(mirrorList.where, "mirrors: at least one group");
        }
        for (int i = 0; i < mirrorList.items.size(); i++) {
            Fields g = new Fields((Node.Map) mirrorList.items.get(i), "mirrors[" + i + "]");
            MirrorGroup mg = mirrorGroup(g, regions);
            if (!groupNames.add(mg.name())) {
                throw new ScenarioException(g.node("name").where, "mirrors: two groups named '" + mg.name() + "'");
            }
            groups.add(mg);
        }
        Clients clients = clients(root.map("clients"), regions);
        Packages packages = packages(root.map("packages"));
        Tracker tracker = tracker(root.map("tracker"), regions);
        SwarmSpec swarm = swarm(root.map("swarm"));
        String transport = root.id("transport", List.of("mirrors", "swarm", "hybrid"));
        // Read before the try: a field's own error already names its line (caught below, it was told twice).
        long seed = root.integer("seed", Long.MIN_VALUE);
        double duration = root.number("duration", Kind.SECONDS, 0);
        double binWidth = root.number("bin-width", Kind.SECONDS, 0);
        Scenario sc;
        try {
            sc = new Scenario(name, seed, duration, binWidth, network, groups, clients, packages, tracker, transport,
                    swarm);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(tree.where, e.getMessage());
        }
        SchedulerConfig base = scheduler(root.map("scheduler"));
        List<Variant> variants = new ArrayList<>();
        Node.List strategies = root.list("strategies");
        if (strategies.items.isEmpty()) {
            throw new ScenarioException(strategies.where, "strategies: at least one entry to run");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < strategies.items.size(); i++) {
            Fields s = new Fields((Node.Map) strategies.items.get(i), "strategies[" + i + "]");
            Variant v = variant(s, base);
            if (!names.add(v.name())) {
                throw new ScenarioException(s.map.where, "strategies: two entries named '" + v.name()
                        + "': give them different names");
            }
            variants.add(v);
        }
        int replications = (int) root.integer("replications", 1);
        int threads = (int) root.integer("threads", 0);
        List<Study.Axis> axes = sweep(tree);
        return new Study(name, root.string("question"), sc, variants, replications,
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, axes, tree);
    }

    private static List<String> regions(Fields net) {
        Node n = net.node("regions");
        if (!(n instanceof Node.List l) || l.items.isEmpty()) {
            throw new ScenarioException(n.where, "network.regions: expected a list of region names");
        }
        List<String> out = new ArrayList<>();
        for (Node r : l.items) {
            if (!(r instanceof Node.Scalar s) || !(s.value instanceof String name) || name.isBlank()) {
                throw new ScenarioException(r.where, "network.regions: a region name is text, got " + r.kind());
            }
            if (out.contains(name)) {
                throw new ScenarioException(r.where, "network.regions: '" + name + "' is listed twice");
            }
            out.add(name);
        }
        return out;
    }

    private static Network network(Fields f, List<String> regions) {
        Node n = f.node("rtt");
        if (!(n instanceof Node.List rows) || rows.items.size() != regions.size()) {
            throw new ScenarioException(n.where, "network.rtt: expected " + regions.size() + " rows, one per region");
        }
        double[][] rtt = new double[regions.size()][regions.size()];
        for (int i = 0; i < rtt.length; i++) {
            Node row = rows.items.get(i);
            if (!(row instanceof Node.List cols) || cols.items.size() != regions.size()) {
                throw new ScenarioException(row.where, "network.rtt: row " + (i + 1) + " needs " + regions.size() + " times");
            }
            for (int j = 0; j < rtt.length; j++) {
                rtt[i][j] = Quantities.parse(cols.items.get(j), Kind.SECONDS, "network.rtt");
                if (!(rtt[i][j] >= 0) || Double.isInfinite(rtt[i][j])) {
                    throw new ScenarioException(cols.items.get(j).where, "network.rtt: times must be finite and >= 0");
                }
            }
        }
        return new Network(f.id("model", List.of("exact", "fast")), regions, rtt, f.number("rtt-jitter", Kind.NUMBER, 0),
                f.bool("tls"), f.bool("slow-start"), (int) f.bytes("initial-window", 1),
                f.positive("tcp-window", Kind.BYTES), (int) f.bytes("request-header-bytes", 0),
                (int) f.bytes("response-header-bytes", 0), f.number("keep-alive", Kind.SECONDS, 0),
                f.positive("connect-timeout", Kind.SECONDS), f.positive("stall-timeout", Kind.SECONDS),
                f.bool("pipelining"));
    }

    private static MirrorGroup mirrorGroup(Fields g, List<String> regions) {
        String name = g.string("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ScenarioException(g.node("name").where, g.path + ".name: letters, digits, '.', '_' and '-' only");
        }
        Fields f = g.map("faults");
        List<Faults.Interval> outages = new ArrayList<>();
        for (double[] o : f.tuples("outages", 2, Kind.SECONDS)) {
            outages.add(f.check(() -> new Faults.Interval(o[0], o[1]), "outages"));
        }
        List<Faults.Slowdown> slow = new ArrayList<>();
        for (double[] o : f.tuples("slowdowns", 3, Kind.SECONDS)) {
            slow.add(f.check(() -> new Faults.Slowdown(o[0], o[1], o[2]), "slowdowns"));
        }
        double staleUntil = f.number("stale-until", Kind.SECONDS, Double.NEGATIVE_INFINITY);
        Faults.WhenDown whenDown = f.id("when-down", List.of("drop", "refuse")).equals("refuse")
                ? Faults.WhenDown.REFUSE : Faults.WhenDown.DROP;
        Faults faults = f.check(() -> new Faults(outages, f.positive("mtbf", Kind.SECONDS), f.positive("mttr", Kind.SECONDS),
                slow, f.ratio("corrupt-share"), staleUntil <= 0 ? Double.NEGATIVE_INFINITY : staleUntil,
                f.bool("ignores-ranges"), whenDown), "faults");
        return g.check(() -> new MirrorGroup(name, (int) g.integer("count", 1), g.region("region", regions),
                g.dist("uplink", Kind.RATE), (int) g.integer("connection-limit", 0),
                g.positive("per-connection-rate", Kind.RATE), faults), "");
    }

    private static Clients clients(Fields f, List<String> regions) {
        Node a = f.node("arrival");
        Clients.Arrival arrival;
        if (a instanceof Node.Map m && m.keys().size() == 1) {
            String k = m.keys().iterator().next();
            Fields af = new Fields(m, "clients.arrival");
            arrival = switch (k) {
                case "flash-crowd" -> new Clients.Arrival.FlashCrowd(af.number("flash-crowd", Kind.SECONDS, 0));
                case "poisson" -> new Clients.Arrival.Poisson(af.positive("poisson", Kind.NUMBER));
                default -> throw new ScenarioException(m.keyWhere(k), Names.unknown("arrival process", k,
                        List.of("flash-crowd", "poisson")));
            };
        } else {
            throw new ScenarioException(a.where, "clients.arrival: expected {flash-crowd: WINDOW} or {poisson: RATE}");
        }
        Node rw = f.node("regions");
        double[] weights = new double[regions.size()];
        if (!(rw instanceof Node.Map rm) || rm.keys().isEmpty()) {
            throw new ScenarioException(rw.where, "clients.regions: expected {REGION: SHARE, ...}");
        }
        for (String k : rm.keys()) {
            int r = regions.indexOf(k);
            if (r < 0) {
                throw new ScenarioException(rm.keyWhere(k), Names.unknown("region in clients.regions", k, regions));
            }
            weights[r] = Quantities.parse(rm.get(k), Kind.NUMBER, "clients.regions." + k);
            if (!(weights[r] >= 0)) {
                throw new ScenarioException(rm.get(k).where, "clients.regions." + k + ": a share must be >= 0");
            }
        }
        if (!(java.util.Arrays.stream(weights).sum() > 0)) {
            throw new ScenarioException(rw.where, "clients.regions: the shares cannot all be 0");
        }
        return f.check(() -> new Clients((int) f.integer("count", 1), arrival, f.dist("downlink", Kind.RATE),
                f.dist("uplink", Kind.RATE), weights, f.dist("packages", Kind.NUMBER), f.ratio("firewalled-share")), "");
    }

    private static Packages packages(Fields f) {
        long piece = f.bytes("piece-length", 1);
        if (piece > Integer.MAX_VALUE) {
            throw new ScenarioException(f.node("piece-length").where, "packages.piece-length: at most 2 GiB");
        }
        return f.check(() -> new Packages((int) f.integer("count", 1), f.dist("sizes", Kind.BYTES),
                f.number("zipf", Kind.NUMBER, 0), (int) piece, f.bool("redraw")), "");
    }

    private static Tracker tracker(Fields f, List<String> regions) {
        return f.check(() -> new Tracker(f.region("region", regions), f.positive("uplink", Kind.RATE),
                f.dist("service-time", Kind.SECONDS), (int) f.integer("mirrors-per-answer", 1),
                f.id("ranking", org.mirrorswarm.strategies.ranking.MirrorRanking.IDS),
                f.id("overhead", List.of("metalink-per-file", "repo-manifest", "bt-per-file")),
                f.id("freshness", List.of("none", "heartbeat", "crawl", "gossip")),
                f.positive("freshness-interval", Kind.SECONDS), (int) f.integer("misses", 1),
                f.number("manifest-ttl", Kind.SECONDS, 0), f.positive("announce-interval", Kind.SECONDS)), "");
    }

    private static SwarmSpec swarm(Fields f) {
        return f.check(() -> new SwarmSpec((int) f.integer("origin-seeds", 0), f.positive("origin-uplink", Kind.RATE),
                f.bool("mirrors-seed"), (int) f.integer("unchoke-slots", 1), f.positive("rechoke-interval", Kind.SECONDS),
                f.positive("optimistic-interval", Kind.SECONDS), f.dist("seeding-time", Kind.SECONDS),
                (int) f.integer("peers-per-announce", 1), (int) f.integer("max-connections", 1)), "");
    }

    private static SchedulerConfig scheduler(Fields f) {
        return f.check(() -> new SchedulerConfig(StrategySpec.of("adaptive"), null, null,
                (int) f.integer("max-connections", 1), (int) f.integer("max-per-mirror", 1),
                (int) f.integer("max-per-file", 0), 0L, f.number("ewma-alpha", Kind.NUMBER, 0),
                (int) f.integer("ewma-warmup", 1), f.positive("peak-ewma-tau", Kind.SECONDS),
                f.positive("ban-base", Kind.SECONDS), f.positive("ban-max", Kind.SECONDS),
                (int) f.integer("max-failures", 1), (int) f.integer("bad-piece-limit", 1),
                (int) f.integer("max-copies", 1), earlyRequests(f), false), ""); // pipelined: from network, per run
    }

    /** {@code early-requests}: a count, or true (two, what one connection more each allows) or false. */
    private static int earlyRequests(Fields f) {
        Node n = f.node("early-requests");
        if (n instanceof Node.Scalar s && s.value instanceof Boolean b) {
            return b ? SchedulerConfig.EARLY_CONNECTIONS : 0;
        }
        long v = f.integer("early-requests", 0);
        if (v > SchedulerConfig.MAX_EARLY_REQUESTS) {
            throw new ScenarioException(n.where, "scheduler.early-requests: at most " + SchedulerConfig.MAX_EARLY_REQUESTS
                    + ", got " + v);
        }
        return (int) v;
    }

    private static Variant variant(Fields s, SchedulerConfig base) {
        StrategySpec chunk = spec(s, "chunk", Family.CHUNK);
        StrategySpec selector = spec(s, "selector", Family.SELECTOR);
        StrategySpec tail = spec(s, "tail", Family.TAIL);
        SchedulerConfig c = base.withChunk(chunk).withSelector(selector).withTail(tail);
        String name = s.string("name");
        if (name.isEmpty()) {
            name = chunk.id() + (selector == null ? "" : "+" + selector.id()) + (tail == null ? "" : "+" + tail.id());
        }
        String overhead = s.optionalId("overhead", List.of("metalink-per-file", "repo-manifest", "bt-per-file"));
        String freshness = s.optionalId("freshness", List.of("none", "heartbeat", "crawl", "gossip"));
        String transport = s.optionalId("transport", List.of("mirrors", "swarm", "hybrid"));
        return new Variant(name, c, overhead, freshness, transport);
    }

    /** A strategy given as an id or {id: ID, PARAM: VALUE, ...}; "default" (selector, tail) means none. */
    private static StrategySpec spec(Fields s, String key, Family family) {
        Node n = s.node(key);
        String field = s.path + "." + key;
        String id;
        Map<String, Object> params = new LinkedHashMap<>();
        if (n instanceof Node.Scalar sc && sc.value instanceof String text) {
            id = text;
        } else if (n instanceof Node.Map m && m.get("id") instanceof Node.Scalar ids && ids.value instanceof String text) {
            id = text;
            for (String k : m.keys()) {
                if (!k.equals("id")) {
                    Node v = m.get(k);
                    if (!(v instanceof Node.Scalar vs) || vs.value == null) {
                        throw new ScenarioException(v.where, field + "." + k + ": a parameter is a single value");
                    }
                    params.put(k, vs.value);
                }
            }
        } else {
            throw new ScenarioException(n.where, field + ": expected a " + family.label() + " id or {id: ID, ...}");
        }
        if (family != Family.CHUNK && id.equals("default")) {
            return null;
        }
        StrategySpec spec = new StrategySpec(id, params);
        try {
            REGISTRY.params(family, spec);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(n.where, field + ": " + e.getMessage());
        }
        return spec;
    }

    private static List<Study.Axis> sweep(Node.Map tree) {
        Node n = tree.get("sweep");
        if (!(n instanceof Node.Map m)) {
            throw new ScenarioException(n.where, "sweep: expected {path.to.number: [values]} or {path: {from, to, steps}}");
        }
        List<Study.Axis> axes = new ArrayList<>();
        for (String path : m.keys()) {
            Node spec = m.get(path);
            Node.Where at = m.keyWhere(path);
            if (path.startsWith("sweep")) {
                throw new ScenarioException(at, "sweep: cannot sweep the sweep");
            }
            Node target = lookup(tree, path, at);
            if (!(target instanceof Node.Scalar)) {
                throw new ScenarioException(at, "sweep: " + path + " is " + target.kind() + ", not a single value");
            }
            List<Node> values = new ArrayList<>();
            if (spec instanceof Node.List l && !l.items.isEmpty()) {
                for (Node v : l.items) {
                    if (!(v instanceof Node.Scalar)) {
                        throw new ScenarioException(v.where, "sweep." + path + ": values are single values");
                    }
                    values.add(v);
                }
            } else if (spec instanceof Node.Map r) {
                values.addAll(range(r, "sweep." + path));
            } else {
                throw new ScenarioException(spec.where, "sweep." + path + ": expected a list of values or {from, to, steps}");
            }
            axes.add(new Study.Axis(path, values));
        }
        return axes;
    }

    /** {from: A, to: B, steps: N, scale: linear|log}: N values from A to B inclusive, in the field's base unit. */
    private static List<Node> range(Node.Map r, String field) {
        Fields f = new Fields(r, field);
        for (String k : r.keys()) {
            if (!List.of("from", "to", "steps", "scale").contains(k)) {
                throw new ScenarioException(r.keyWhere(k), Names.unknown("key in " + field, k,
                        List.of("from", "to", "steps", "scale")));
            }
        }
        double from = f.number("from", Kind.NUMBER, Double.NEGATIVE_INFINITY);
        double to = f.number("to", Kind.NUMBER, Double.NEGATIVE_INFINITY);
        int steps = (int) f.integer("steps", 2);
        boolean log = r.get("scale") != null && f.id("scale", List.of("linear", "log")).equals("log");
        if (log && !(from > 0 && to > 0)) {
            throw new ScenarioException(r.where, field + ": a log scale needs from and to above 0");
        }
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double x = (double) i / (steps - 1);
            double v = log ? Math.exp(Math.log(from) + x * (Math.log(to) - Math.log(from))) : from + x * (to - from);
            if (Math.abs(v - Math.rint(v)) <= 1e-9 * Math.max(1, Math.abs(v))) {
                v = Math.rint(v); // a log scale between whole numbers gives whole numbers, not 262143.99999999994
            }
            Object value = v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
            out.add(new Node.Scalar(r.where, value));
        }
        return out;
    }

    private static Node lookup(Node.Map root, String path, Node.Where at) {
        String[] steps = path.replaceAll("\\[(\\d+)]", ".$1").split("\\.");
        Node n = root;
        String done = "";
        for (String step : steps) {
            if (n instanceof Node.Map m) {
                if (m.get(step) == null) {
                    throw new ScenarioException(at, "sweep: " + Names.unknown("key" + in(done), step, m.keys()));
                }
                n = m.get(step);
            } else if (n instanceof Node.List l) {
                int i;
                try {
                    i = Integer.parseInt(step);
                } catch (NumberFormatException e) {
                    throw new ScenarioException(at, "sweep: " + where(done) + " is a list: expected an index, got '" + step + "'");
                }
                if (i < 0 || i >= l.items.size()) {
                    throw new ScenarioException(at, "sweep: " + where(done) + " has " + l.items.size() + " entries, no " + i);
                }
                n = l.items.get(i);
            } else {
                throw new ScenarioException(at, "sweep: " + where(done) + " has no '" + step + "'");
            }
            done = join(done, step);
        }
        return n;
    }

    /** Typed access to one map of the merged tree, with errors that name the field and its position. */
    static final class Fields {
        final Node.Map map;
        final String path;

        Fields(Node.Map map, String path) {
            this.map = map;
            this.path = path;
        }

        String field(String key) {
            return join(path, key);
        }

        Node node(String key) {
            Node n = map.get(key);
            if (n == null) {
                throw new ScenarioException(map.where, field(key) + ": missing");
            }
            return n;
        }

        Fields map(String key) {
            Node n = node(key);
            if (!(n instanceof Node.Map m)) {
                throw new ScenarioException(n.where, field(key) + ": expected a map, got " + n.kind());
            }
            return new Fields(m, field(key));
        }

        Node.List list(String key) {
            Node n = node(key);
            if (!(n instanceof Node.List l)) {
                throw new ScenarioException(n.where, field(key) + ": expected a list, got " + n.kind());
            }
            return l;
        }

        String string(String key) {
            Node n = node(key);
            if (n instanceof Node.Scalar s && s.value != null && !(s.value instanceof Boolean)) {
                return String.valueOf(s.value);
            }
            throw new ScenarioException(n.where, field(key) + ": expected text, got " + n.kind());
        }

        boolean bool(String key) {
            Node n = node(key);
            if (n instanceof Node.Scalar s && s.value instanceof Boolean b) {
                return b;
            }
            throw new ScenarioException(n.where, field(key) + ": expected true or false, got " + n.kind());
        }

        long integer(String key, long min) {
            Node n = node(key);
            double v = Quantities.parse(n, Kind.COUNT, field(key));
            if (v < min) {
                throw new ScenarioException(n.where, field(key) + ": must be >= " + min + ", got " + (long) v);
            }
            return (long) v;
        }

        /** A whole number of bytes, with or without a unit. */
        long bytes(String key, long min) {
            Node n = node(key);
            double v = Quantities.parse(n, Kind.BYTES, field(key));
            if (v != Math.rint(v) || v < min || v > Long.MAX_VALUE) {
                throw new ScenarioException(n.where, field(key) + ": expected a whole number of bytes >= " + min
                        + ", got " + ((Node.Scalar) n).value);
            }
            return (long) v;
        }

        double number(String key, Kind kind, double min) {
            Node n = node(key);
            double v = Quantities.parse(n, kind, field(key));
            if (v < min) {
                throw new ScenarioException(n.where, field(key) + ": must be >= " + min + ", got " + v);
            }
            return v;
        }

        double positive(String key, Kind kind) {
            Node n = node(key);
            double v = Quantities.parse(n, kind, field(key));
            if (!(v > 0)) {
                throw new ScenarioException(n.where, field(key) + ": must be positive, got " + v);
            }
            return v;
        }

        double ratio(String key) {
            Node n = node(key);
            double v = Quantities.parse(n, Kind.NUMBER, field(key));
            if (!(v >= 0 && v <= 1)) {
                throw new ScenarioException(n.where, field(key) + ": a share between 0 and 1, got " + v);
            }
            return v;
        }

        String id(String key, List<String> valid) {
            String v = string(key);
            if (!valid.contains(v)) {
                throw new ScenarioException(node(key).where, field(key) + ": " + Names.unknown("value", v, valid));
            }
            return v;
        }

        String optionalId(String key, List<String> valid) {
            String v = string(key);
            return v.equals("default") ? null : id(key, valid);
        }

        int region(String key, List<String> regions) {
            String v = string(key);
            int r = regions.indexOf(v);
            if (r < 0) {
                throw new ScenarioException(node(key).where, field(key) + ": " + Names.unknown("region", v, regions));
            }
            return r;
        }

        /** A list of equal-length tuples of numbers, e.g. [[from, to], ...]. */
        List<double[]> tuples(String key, int size, Kind kind) {
            Node.List l = list(key);
            List<double[]> out = new ArrayList<>();
            for (Node item : l.items) {
                if (!(item instanceof Node.List t) || t.items.size() != size) {
                    throw new ScenarioException(item.where, field(key) + ": each entry is a list of " + size + " values");
                }
                double[] v = new double[size];
                for (int i = 0; i < size; i++) {
                    v[i] = Quantities.parse(t.items.get(i), i < 2 ? kind : Kind.NUMBER, field(key));
                }
                out.add(v);
            }
            return out;
        }

        Dist dist(String key, Kind kind) {
            Node n = node(key);
            String f = field(key);
            if (n instanceof Node.Scalar) {
                return new Dist.Fixed(Quantities.parse(n, kind, f));
            }
            if (!(n instanceof Node.Map m) || m.keys().isEmpty()) {
                throw new ScenarioException(n.where, f + ": expected a value or a distribution such as {log-uniform: [A, B]}");
            }
            String k = m.keys().iterator().next();
            if (!DIST_KINDS.contains(k)) {
                throw new ScenarioException(m.keyWhere(k), f + ": " + Names.unknown("distribution", k, DIST_KINDS));
            }
            Fields d = new Fields(m, f);
            if (!k.equals("debian") && m.keys().size() != 1) {
                throw new ScenarioException(m.where, f + ": a distribution has exactly one key, got " + m.keys());
            }
            try {
                return switch (k) {
                    case "fixed" -> new Dist.Fixed(Quantities.parse(m.get(k), kind, f + ".fixed"));
                    case "uniform" -> {
                        double[] ab = d.pair(k, kind);
                        yield new Dist.Uniform(ab[0], ab[1]);
                    }
                    case "log-uniform" -> {
                        double[] ab = d.pair(k, kind);
                        yield new Dist.LogUniform(ab[0], ab[1]);
                    }
                    case "exponential" -> new Dist.Exponential(Quantities.parse(m.get(k), kind, f + ".exponential"));
                    case "choice" -> choice(d.map("choice"), kind);
                    case "debian" -> debian(m, kind, f);
                    default -> throw new AssertionError(k);
                };
            } catch (ScenarioException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(n.where, f + ": " + e.getMessage());
            }
        }

        private double[] pair(String key, Kind kind) {
            Node n = node(key);
            if (!(n instanceof Node.List l) || l.items.size() != 2) {
                throw new ScenarioException(n.where, field(key) + ": expected [LOW, HIGH]");
            }
            return new double[] {Quantities.parse(l.items.get(0), kind, field(key)),
                Quantities.parse(l.items.get(1), kind, field(key))};
        }

        private static Dist choice(Fields c, Kind kind) {
            Node.List values = c.list("values");
            Node.List weights = c.list("weights");
            if (values.items.size() != weights.items.size()) {
                throw new ScenarioException(weights.where, c.path + ": as many weights as values");
            }
            double[] v = new double[values.items.size()];
            double[] w = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Quantities.parse(values.items.get(i), kind, c.path + ".values");
                w[i] = Quantities.parse(weights.items.get(i), Kind.NUMBER, c.path + ".weights");
            }
            return new Dist.Choice(v, w);
        }

        private static Dist debian(Node.Map m, Kind kind, String f) {
            if (kind != Kind.BYTES) {
                throw new ScenarioException(m.where, f + ": the Debian table gives package sizes only");
            }
            for (String key : m.keys()) {
                if (!key.equals("debian") && !key.equals("cap")) {
                    throw new ScenarioException(m.keyWhere(key), Names.unknown("key in " + f, key, List.of("debian", "cap")));
                }
            }
            Fields d = new Fields(m, f);
            String which = d.id("debian", List.of("main", "security"));
            double cap = m.get("cap") == null ? Double.POSITIVE_INFINITY : d.positive("cap", Kind.BYTES);
            return new Dist.Empirical(SizeTable.named(which.equals("main") ? SizeTable.DEBIAN_MAIN : SizeTable.DEBIAN_SECURITY), cap);
        }

        /** Runs a model constructor, turning its IllegalArgumentException into an error at this map. */
        <T> T check(java.util.function.Supplier<T> make, String what) {
            try {
                return make.get();
            } catch (ScenarioException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                String at = what.isEmpty() ? path : field(what);
                throw new ScenarioException(map.where, at + ": " + e.getMessage());
            }
        }
    }
}
