package org.mirrorswarm.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
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

    /**
     * The options, each with how its value is read and the field it fills. A switch rather than a lambda per
     * option: two dozen lambdas cost a cold JVM some 15 ms to link, more than reading the line itself.
     */
    private enum Opt {
        MANIFEST(Kind.TEXT, "--manifest"),
        PUBLIC_KEY(Kind.PATH, "--public-key"),
        MIRRORS_FROM(Kind.TEXT, "--mirrors-from"),
        DIR(Kind.PATH, "-d", "--dir"),
        MIRROR(Kind.LIST, "--mirror"),
        SHA256(Kind.TEXT, "--sha256"),
        SIZE(Kind.TEXT, "--size"),
        STRATEGY(Kind.TEXT, "-s", "--strategy"),
        SELECTOR(Kind.TEXT, "--selector"),
        TAIL(Kind.TEXT, "--tail"),
        MAX_CONNECTIONS(Kind.INT, "-x", "--max-connections"),
        PER_MIRROR(Kind.INT, "--per-mirror"),
        CA_CERTIFICATE(Kind.PATH, "--ca-certificate"),
        TLS_ENGINE(Kind.TEXT, "--tls-engine"),
        CONNECT_TIMEOUT(Kind.TEXT, "--connect-timeout"),
        HEADER_TIMEOUT(Kind.TEXT, "--header-timeout"),
        FIRST_BYTE_TIMEOUT(Kind.TEXT, "--first-byte-timeout"),
        LOW_SPEED_LIMIT(Kind.TEXT, "--low-speed-limit"),
        LOW_SPEED_TIME(Kind.TEXT, "--low-speed-time"),
        LIMIT_RATE(Kind.TEXT, "--limit-rate"),
        PIECE_SIZE(Kind.TEXT, "--piece-size"),
        NO_EARLY_REQUESTS(Kind.FLAG, "--no-early-requests"),
        PIPELINE_DEPTH(Kind.INT, "--pipeline-depth"),
        NO_PIPELINING(Kind.FLAG, "--no-pipelining"),
        OVERWRITE(Kind.FLAG, "--overwrite"),
        ALLOW_UNVERIFIED(Kind.FLAG, "--allow-unverified"),
        JSON(Kind.FLAG, "--json"),
        TRACE(Kind.PATH, "--trace"),
        QUIET(Kind.FLAG, "-q", "--quiet");

        final Kind kind;
        final String[] names;

        Opt(Kind kind, String... names) {
            this.kind = kind;
            this.names = names;
        }

        void set(FetchCommand c, Object v) {
            switch (this) {
                case MANIFEST -> c.manifest = (String) v;
                case PUBLIC_KEY -> c.publicKey = (Path) v;
                case MIRRORS_FROM -> c.mirrorsFrom = (String) v;
                case DIR -> c.dir = (Path) v;
                case MIRROR -> c.mirrors.add((String) v);
                case SHA256 -> c.sha256 = (String) v;
                case SIZE -> c.size = (String) v;
                case STRATEGY -> c.strategy = (String) v;
                case SELECTOR -> c.selector = (String) v;
                case TAIL -> c.tail = (String) v;
                case MAX_CONNECTIONS -> c.maxConnections = (Integer) v;
                case PER_MIRROR -> c.perMirror = (Integer) v;
                case CA_CERTIFICATE -> c.caCertificate = (Path) v;
                case TLS_ENGINE -> c.tlsEngine = (String) v;
                case CONNECT_TIMEOUT -> c.connectTimeout = (String) v;
                case HEADER_TIMEOUT -> c.headerTimeout = (String) v;
                case FIRST_BYTE_TIMEOUT -> c.firstByteTimeout = (String) v;
                case LOW_SPEED_LIMIT -> c.lowSpeedLimit = (String) v;
                case LOW_SPEED_TIME -> c.lowSpeedTime = (String) v;
                case LIMIT_RATE -> c.limitRate = (String) v;
                case PIECE_SIZE -> c.pieceSize = (String) v;
                case NO_EARLY_REQUESTS -> c.noEarlyRequests = true;
                case PIPELINE_DEPTH -> c.pipelineDepth = (Integer) v;
                case NO_PIPELINING -> c.noPipelining = true;
                case OVERWRITE -> c.overwrite = true;
                case ALLOW_UNVERIFIED -> c.allowUnverified = true;
                case JSON -> c.json = true;
                case TRACE -> c.traceFile = (Path) v;
                case QUIET -> c.quiet = true;
                default -> throw new IllegalStateException(name());
            }
        }
    }

    private static final Map<String, Opt> OPTIONS = new HashMap<>();

    static {
        for (Opt o : Opt.values()) {
            for (String n : o.names) {
                OPTIONS.put(n, o);
            }
        }
    }

    private FetchArgs() {
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
        Set<Opt> seen = EnumSet.noneOf(Opt.class);
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
            if (o.kind == Kind.FLAG) {
                if (value != null || !seen.add(o)) {
                    return null;
                }
                o.set(c, Boolean.TRUE);
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
            if (o.kind != Kind.LIST && !seen.add(o)) {
                return null; // picocli refuses a single-valued option given twice
            }
            Object v = value;
            if (o.kind == Kind.PATH) {
                try {
                    v = Path.of(value);
                } catch (InvalidPathException e) {
                    return null;
                }
            } else if (o.kind == Kind.INT) {
                if (value.length() > 6) {
                    return null;
                }
                for (int k = 0; k < value.length(); k++) {
                    if (value.charAt(k) < '0' || value.charAt(k) > '9') {
                        return null;
                    }
                }
                v = Integer.parseInt(value);
            }
            o.set(c, v);
        }
        return c;
    }
}
