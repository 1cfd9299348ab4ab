package org.mirrorswarm.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A quick reading of a plain {@code fetch} command line, so that a short download need not wait for picocli
 * to build the whole command model (more than a tenth of a second on a cold JVM). It understands only the
 * unambiguous forms — {@code --name value}, {@code --name=value}, the short {@code -d -s -x -q} as separate
 * words, flags, and positional words — and gives up (null) on anything else: help, version, unknown or
 * repeated options, values that start with {@code -} or {@code @}, {@code --}, numbers it would have to
 * interpret. picocli then reads the command line as always, with its usual messages. Whatever it accepts,
 * it fills exactly as picocli would (checked by {@code FetchArgsTest} against picocli itself, option by option).
 */
final class FetchArgs {
    private enum Kind { TEXT, PATH, INT, LIST, FLAG }

    /** One option: how its value is read and the field it fills (shared by its short and long names). */
    private record Opt(Kind kind, BiConsumer<FetchCommand, Object> set) {
    }

    private static final Map<String, Opt> OPTIONS = new HashMap<>();

    static {
        add(Kind.TEXT, (c, v) -> c.manifest = (String) v, "--manifest");
        add(Kind.PATH, (c, v) -> c.publicKey = (Path) v, "--public-key");
        add(Kind.TEXT, (c, v) -> c.mirrorsFrom = (String) v, "--mirrors-from");
        add(Kind.PATH, (c, v) -> c.dir = (Path) v, "-d", "--dir");
        add(Kind.LIST, (c, v) -> c.mirrors.add((String) v), "--mirror");
        add(Kind.TEXT, (c, v) -> c.sha256 = (String) v, "--sha256");
        add(Kind.TEXT, (c, v) -> c.size = (String) v, "--size");
        add(Kind.TEXT, (c, v) -> c.strategy = (String) v, "-s", "--strategy");
        add(Kind.TEXT, (c, v) -> c.selector = (String) v, "--selector");
        add(Kind.TEXT, (c, v) -> c.tail = (String) v, "--tail");
        add(Kind.INT, (c, v) -> c.maxConnections = (Integer) v, "-x", "--max-connections");
        add(Kind.INT, (c, v) -> c.perMirror = (Integer) v, "--per-mirror");
        add(Kind.TEXT, (c, v) -> c.connectTimeout = (String) v, "--connect-timeout");
        add(Kind.TEXT, (c, v) -> c.headerTimeout = (String) v, "--header-timeout");
        add(Kind.TEXT, (c, v) -> c.firstByteTimeout = (String) v, "--first-byte-timeout");
        add(Kind.TEXT, (c, v) -> c.lowSpeedLimit = (String) v, "--low-speed-limit");
        add(Kind.TEXT, (c, v) -> c.lowSpeedTime = (String) v, "--low-speed-time");
        add(Kind.TEXT, (c, v) -> c.pieceSize = (String) v, "--piece-size");
        add(Kind.FLAG, (c, v) -> c.overwrite = true, "--overwrite");
        add(Kind.FLAG, (c, v) -> c.allowUnverified = true, "--allow-unverified");
        add(Kind.FLAG, (c, v) -> c.json = true, "--json");
        add(Kind.PATH, (c, v) -> c.traceFile = (Path) v, "--trace");
        add(Kind.FLAG, (c, v) -> c.quiet = true, "-q", "--quiet");
    }

    private FetchArgs() {
    }

    private static void add(Kind kind, BiConsumer<FetchCommand, Object> set, String... names) {
        Opt o = new Opt(kind, set);
        for (String n : names) {
            OPTIONS.put(n, o);
        }
    }

    /** The option names this reader knows (for the test that keeps it level with {@link FetchCommand}). */
    static Set<String> names() {
        return OPTIONS.keySet();
    }

    /** The command {@code args} ({@code fetch …}) describes, filled as picocli would fill it; null to leave it to picocli. */
    static FetchCommand read(String[] args) {
        if (args.length < 2 || !args[0].equals("fetch")) {
            return null;
        }
        FetchCommand c = new FetchCommand();
        Set<Opt> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.startsWith("@")) {
                return null; // picocli reads @FILE as a file of arguments
            }
            if (!a.startsWith("-")) {
                if (c.source == null) {
                    c.source = a;
                } else {
                    c.moreNames.add(a);
                }
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            Opt o = OPTIONS.get(name);
            if (o == null) {
                return null;
            }
            if (o.kind() == Kind.FLAG) {
                if (value != null || !seen.add(o)) {
                    return null;
                }
                o.set().accept(c, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return null;
            }
            if (o.kind() != Kind.LIST && !seen.add(o)) {
                return null; // picocli refuses a single-valued option given twice
            }
            Object v = value;
            if (o.kind() == Kind.PATH) {
                try {
                    v = Path.of(value);
                } catch (InvalidPathException e) {
                    return null;
                }
            } else if (o.kind() == Kind.INT) {
                if (value.length() > 6 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    return null;
                }
                v = Integer.parseInt(value);
            }
            o.set().accept(c, v);
        }
        return c;
    }
}
