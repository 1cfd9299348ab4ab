package org.mirrorswarm.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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

    private record Opt(String field, Kind kind) {
    }

    private static final Map<String, Opt> OPTIONS = new HashMap<>();

    static {
        add(Kind.TEXT, "manifest", "--manifest");
        add(Kind.PATH, "publicKey", "--public-key");
        add(Kind.TEXT, "mirrorsFrom", "--mirrors-from");
        add(Kind.PATH, "dir", "-d", "--dir");
        add(Kind.LIST, "mirrors", "--mirror");
        add(Kind.TEXT, "sha256", "--sha256");
        add(Kind.TEXT, "size", "--size");
        add(Kind.TEXT, "strategy", "-s", "--strategy");
        add(Kind.TEXT, "selector", "--selector");
        add(Kind.TEXT, "tail", "--tail");
        add(Kind.INT, "maxConnections", "-x", "--max-connections");
        add(Kind.INT, "perMirror", "--per-mirror");
        add(Kind.TEXT, "connectTimeout", "--connect-timeout");
        add(Kind.TEXT, "headerTimeout", "--header-timeout");
        add(Kind.TEXT, "firstByteTimeout", "--first-byte-timeout");
        add(Kind.TEXT, "lowSpeedLimit", "--low-speed-limit");
        add(Kind.TEXT, "lowSpeedTime", "--low-speed-time");
        add(Kind.TEXT, "pieceSize", "--piece-size");
        add(Kind.FLAG, "overwrite", "--overwrite");
        add(Kind.FLAG, "allowUnverified", "--allow-unverified");
        add(Kind.FLAG, "json", "--json");
        add(Kind.PATH, "traceFile", "--trace");
        add(Kind.FLAG, "quiet", "-q", "--quiet");
    }

    private FetchArgs() {
    }

    private static void add(Kind kind, String field, String... names) {
        for (String n : names) {
            OPTIONS.put(n, new Opt(field, kind));
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
        Set<String> seen = new HashSet<>();
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
                if (value != null || !seen.add(o.field())) {
                    return null;
                }
                set(c, o.field(), true);
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
            if (o.kind() == Kind.LIST) {
                c.mirrors.add(value);
                continue;
            }
            if (!seen.add(o.field())) {
                return null; // picocli refuses a single-valued option given twice
            }
            switch (o.kind()) {
                case TEXT -> set(c, o.field(), value);
                case PATH -> {
                    try {
                        set(c, o.field(), Path.of(value));
                    } catch (InvalidPathException e) {
                        return null;
                    }
                }
                case INT -> {
                    if (value.length() > 6 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                        return null;
                    }
                    set(c, o.field(), Integer.parseInt(value));
                }
                default -> throw new IllegalStateException(o.kind().name());
            }
        }
        return c;
    }

    private static void set(FetchCommand c, String field, Object v) {
        switch (field) {
            case "manifest" -> c.manifest = (String) v;
            case "publicKey" -> c.publicKey = (Path) v;
            case "mirrorsFrom" -> c.mirrorsFrom = (String) v;
            case "dir" -> c.dir = (Path) v;
            case "sha256" -> c.sha256 = (String) v;
            case "size" -> c.size = (String) v;
            case "strategy" -> c.strategy = (String) v;
            case "selector" -> c.selector = (String) v;
            case "tail" -> c.tail = (String) v;
            case "maxConnections" -> c.maxConnections = (Integer) v;
            case "perMirror" -> c.perMirror = (Integer) v;
            case "connectTimeout" -> c.connectTimeout = (String) v;
            case "headerTimeout" -> c.headerTimeout = (String) v;
            case "firstByteTimeout" -> c.firstByteTimeout = (String) v;
            case "lowSpeedLimit" -> c.lowSpeedLimit = (String) v;
            case "lowSpeedTime" -> c.lowSpeedTime = (String) v;
            case "pieceSize" -> c.pieceSize = (String) v;
            case "overwrite" -> c.overwrite = (Boolean) v;
            case "allowUnverified" -> c.allowUnverified = (Boolean) v;
            case "json" -> c.json = (Boolean) v;
            case "traceFile" -> c.traceFile = (Path) v;
            case "quiet" -> c.quiet = (Boolean) v;
            default -> throw new IllegalStateException("unknown field " + field);
        }
    }
}
