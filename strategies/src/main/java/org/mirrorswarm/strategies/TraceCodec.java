package org.mirrorswarm.strategies;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text form of a {@link DecisionTrace}: one tab-separated line per entry, after a header line and a
 * config line, so that a live run's trace can be drawn by reports and replayed by a fresh scheduler.
 * Times are written with {@link Double#toString} and read back bit for bit. Free text (names, reasons)
 * is percent-escaped. Shells do the file I/O; this class only turns entries into lines and back.
 *
 * <pre>
 * # mirrorswarm trace v1
 * C  chunk=adaptive  selector=-  tail=hedge(percentile=0.9)  maxConnections=16 …
 * E  0.0  AddFile  name  size  pieceLength  id:weight:maxConnections:location,…  [have=0-9,12]
 * E  0.25  Verified  3  17
 * A  0.25  Start  4  0  1  mirror-b  18  26  4718592  6815744  NORMAL
 * </pre>
 */
public final class TraceCodec {
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+([eE]-?\\d+)?|-?\\d+[eE]-?\\d+|NaN|-?Infinity");

    /** First line of every trace. */
    public static final String HEADER = "# mirrorswarm trace v1";

    /** A parsed trace: the config of the scheduler that wrote it and its entries. */
    public record Parsed(SchedulerConfig config, List<DecisionTrace.Entry> entries) {
        /** The events, in order: what a replay feeds a fresh scheduler. */
        public List<Event> events() {
            List<Event> out = new ArrayList<>();
            for (DecisionTrace.Entry e : entries) {
                if (e instanceof DecisionTrace.In in) {
                    out.add(in.event());
                }
            }
            return out;
        }
    }

    private TraceCodec() {
    }

    /** The header and config lines that start a trace. */
    public static List<String> preamble(SchedulerConfig c) {
        return List.of(HEADER, formatConfig(c));
    }

    /** The whole trace as lines: preamble then one line per entry. */
    public static List<String> format(SchedulerConfig c, List<DecisionTrace.Entry> entries) {
        List<String> out = new ArrayList<>(preamble(c));
        for (DecisionTrace.Entry e : entries) {
            out.add(format(e));
        }
        return out;
    }

    /** One entry as a line. */
    public static String format(DecisionTrace.Entry entry) {
        StringBuilder sb = new StringBuilder();
        if (entry instanceof DecisionTrace.In in) {
            formatEvent(sb.append("E\t").append(in.time()).append('\t'), in.event());
        } else {
            DecisionTrace.Out out = (DecisionTrace.Out) entry;
            formatAction(sb.append("A\t").append(out.time()).append('\t'), out.action());
        }
        return sb.toString();
    }

    private static void formatEvent(StringBuilder sb, Event e) {
        if (e instanceof Event.AddFile a) {
            FilePlan p = a.job().plan();
            sb.append("AddFile\t").append(esc(p.name())).append('\t').append(p.size()).append('\t')
                    .append(p.pieceLength()).append('\t');
            List<Mirror> ms = a.job().mirrors();
            for (int i = 0; i < ms.size(); i++) {
                Mirror m = ms.get(i);
                sb.append(i == 0 ? "" : ",").append(esc(m.id())).append(':').append(m.weight()).append(':')
                        .append(m.maxConnections()).append(':').append(esc(m.location()));
            }
            BitSet have = a.job().have();
            if (!have.isEmpty()) { // pieces held already, as ranges: have=0-9,12
                sb.append("\thave=");
                for (int from = have.nextSetBit(0); from >= 0; ) {
                    int end = have.nextClearBit(from);
                    sb.append(from == have.nextSetBit(0) ? "" : ",").append(from);
                    if (end - 1 > from) {
                        sb.append('-').append(end - 1);
                    }
                    from = have.nextSetBit(end);
                }
            }
        } else if (e instanceof Event.Timer) {
            sb.append("Timer");
        } else if (e instanceof Event.BytesArrived b) {
            sb.append("Bytes\t").append(b.request()).append('\t').append(b.bytes());
        } else if (e instanceof Event.PieceVerified v) {
            sb.append("Verified\t").append(v.request()).append('\t').append(v.piece());
        } else if (e instanceof Event.PieceFailed f) {
            sb.append("PieceFailed\t").append(f.request()).append('\t').append(f.piece()).append('\t').append(f.reason());
        } else if (e instanceof Event.PieceObtained o) {
            sb.append("Obtained\t").append(o.file()).append('\t').append(o.piece());
        } else if (e instanceof Event.RequestFailed f) {
            sb.append("Failed\t").append(f.request()).append('\t').append(f.reason());
        } else if (e instanceof Event.SlotFree s) {
            sb.append("SlotFree\t").append(s.request());
        } else if (e instanceof Event.NotPipelined n) {
            sb.append("NotPipelined\t").append(esc(n.mirror()));
        } else if (e instanceof Event.OtherVersion o) {
            sb.append("OtherVersion\t").append(o.file()).append('\t').append(esc(o.mirror()));
        } else {
            throw new AssertionError(e);
        }
    }

    private static void formatAction(StringBuilder sb, Action a) {
        if (a instanceof Action.StartRequest s) {
            sb.append("Start\t").append(s.request()).append('\t').append(s.file()).append('\t').append(s.mirror())
                    .append('\t').append(esc(s.mirrorId())).append('\t').append(s.firstPiece()).append('\t')
                    .append(s.endPiece()).append('\t').append(s.range().start()).append('\t').append(s.range().end())
                    .append('\t').append(s.purpose());
        } else if (a instanceof Action.CancelRequest c) {
            sb.append("Cancel\t").append(c.request()).append('\t').append(esc(c.why()));
        } else if (a instanceof Action.ShrinkRequest s) {
            sb.append("Shrink\t").append(s.request()).append('\t').append(s.newEndPiece()).append('\t').append(s.newEndByte());
        } else if (a instanceof Action.WakeAt w) {
            sb.append("Wake\t").append(w.time());
        } else if (a instanceof Action.FileCompleted c) {
            sb.append("Completed\t").append(c.file());
        } else if (a instanceof Action.FileFailed f) {
            sb.append("FileFailed\t").append(f.file()).append('\t').append(esc(f.reason()));
        } else {
            throw new AssertionError(a);
        }
    }

    /** Parses a whole trace; errors name the line. */
    public static Parsed parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("line 1: not a mirrorswarm trace (expected '" + HEADER + "')");
        }
        if (lines.size() < 2) {
            throw new IllegalArgumentException("line 2: missing config line");
        }
        SchedulerConfig c;
        try {
            c = parseConfig(lines.get(1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("line 2: " + e.getMessage(), e);
        }
        List<DecisionTrace.Entry> entries = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(parseEntry(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Parsed(c, entries);
    }

    /** Parses one entry line. */
    public static DecisionTrace.Entry parseEntry(String line) {
        String[] f = line.split("\t", -1);
        if (f.length < 3) {
            throw new IllegalArgumentException("expected at least 3 fields, got " + f.length);
        }
        double time = Double.parseDouble(f[1]);
        switch (f[0]) {
            case "E":
                return new DecisionTrace.In(parseEvent(f, time));
            case "A":
                return new DecisionTrace.Out(time, parseAction(f));
            default:
                throw new IllegalArgumentException("entry kind must be E or A, got '" + f[0] + "'");
        }
    }

    private static Event parseEvent(String[] f, double t) {
        switch (f[2]) {
            case "AddFile": {
                if (f.length != 8) {
                    need(f, 7);
                }
                List<Mirror> ms = new ArrayList<>();
                if (!f[6].isEmpty()) {
                    for (String m : f[6].split(",", -1)) {
                        String[] p = m.split(":", -1);
                        if (p.length != 4) {
                            throw new IllegalArgumentException("mirror must be id:weight:maxConnections:location, got '" + m + "'");
                        }
                        ms.add(new Mirror(unesc(p[0]), Double.parseDouble(p[1]), Integer.parseInt(p[2]), unesc(p[3])));
                    }
                }
                FilePlan plan = FilePlan.synthetic(unesc(f[3]), Long.parseLong(f[4]), Integer.parseInt(f[5]));
                BitSet have = new BitSet();
                if (f.length == 8) {
                    if (!f[7].startsWith("have=") || f[7].length() == 5) {
                        throw new IllegalArgumentException("expected have=PIECES, got '" + f[7] + "'");
                    }
                    for (String r : f[7].substring(5).split(",", -1)) {
                        int dash = r.indexOf('-');
                        int from = Integer.parseInt(dash < 0 ? r : r.substring(0, dash));
                        int to = dash < 0 ? from : Integer.parseInt(r.substring(dash + 1));
                        if (from < 0 || to < from) {
                            throw new IllegalArgumentException("bad piece range '" + r + "'");
                        }
                        have.set(from, to + 1);
                    }
                }
                return new Event.AddFile(t, new FileJob(plan, ms, have));
            }
            case "Timer":
                return new Event.Timer(t);
            case "Bytes":
                need(f, 5);
                return new Event.BytesArrived(t, Integer.parseInt(f[3]), Long.parseLong(f[4]));
            case "Verified":
                need(f, 5);
                return new Event.PieceVerified(t, Integer.parseInt(f[3]), Integer.parseInt(f[4]));
            case "PieceFailed":
                need(f, 6);
                return new Event.PieceFailed(t, Integer.parseInt(f[3]), Integer.parseInt(f[4]), FailureReason.valueOf(f[5]));
            case "Obtained":
                need(f, 5);
                return new Event.PieceObtained(t, Integer.parseInt(f[3]), Integer.parseInt(f[4]));
            case "Failed":
                need(f, 5);
                return new Event.RequestFailed(t, Integer.parseInt(f[3]), FailureReason.valueOf(f[4]));
            case "SlotFree":
                need(f, 4);
                return new Event.SlotFree(t, Integer.parseInt(f[3]));
            case "NotPipelined":
                need(f, 4);
                return new Event.NotPipelined(t, unesc(f[3]));
            case "OtherVersion":
                need(f, 5);
                return new Event.OtherVersion(t, Integer.parseInt(f[3]), unesc(f[4]));
            default:
                throw new IllegalArgumentException("unknown event '" + f[2] + "'");
        }
    }

    private static Action parseAction(String[] f) {
        switch (f[2]) {
            case "Start":
                need(f, 12);
                return new Action.StartRequest(Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                        unesc(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]),
                        new ByteRange(Long.parseLong(f[9]), Long.parseLong(f[10])), Action.Purpose.valueOf(f[11]));
            case "Cancel":
                need(f, 5);
                return new Action.CancelRequest(Integer.parseInt(f[3]), unesc(f[4]));
            case "Shrink":
                need(f, 6);
                return new Action.ShrinkRequest(Integer.parseInt(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]));
            case "Wake":
                need(f, 4);
                return new Action.WakeAt(Double.parseDouble(f[3]));
            case "Completed":
                need(f, 4);
                return new Action.FileCompleted(Integer.parseInt(f[3]));
            case "FileFailed":
                need(f, 5);
                return new Action.FileFailed(Integer.parseInt(f[3]), unesc(f[4]));
            default:
                throw new IllegalArgumentException("unknown action '" + f[2] + "'");
        }
    }

    /** The config as one line. */
    public static String formatConfig(SchedulerConfig c) {
        return "C\tchunk=" + spec(c.chunk()) + "\tselector=" + spec(c.selector()) + "\ttail=" + spec(c.tail())
                + "\tmaxConnections=" + c.maxConnections() + "\tmaxPerMirror=" + c.maxPerMirror()
                + "\tmaxPerFile=" + c.maxPerFile() + "\tseed=" + c.seed() + "\tewmaAlpha=" + c.ewmaAlpha()
                + "\tewmaWarmup=" + c.ewmaWarmup() + "\tpeakEwmaTau=" + c.peakEwmaTau() + "\tbanBase=" + c.banBase()
                + "\tbanMax=" + c.banMax() + "\tmaxFailures=" + c.maxFailures() + "\tbadPieceLimit=" + c.badPieceLimit()
                + "\tmaxCopies=" + c.maxCopies() + "\tearlyRequests=" + c.earlyRequests()
                + "\tearlyPipelined=" + c.earlyPipelined();
    }

    /** Parses a config line written by {@link #formatConfig}. */
    public static SchedulerConfig parseConfig(String line) {
        String[] f = line.split("\t", -1);
        if (!f[0].equals("C")) {
            throw new IllegalArgumentException("expected a config line starting with C");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("config field without '=': " + f[i]);
            }
            kv.put(f[i].substring(0, eq), f[i].substring(eq + 1));
        }
        return new SchedulerConfig(parseSpec(get(kv, "chunk")), parseSpec(get(kv, "selector")), parseSpec(get(kv, "tail")),
                Integer.parseInt(get(kv, "maxConnections")), Integer.parseInt(get(kv, "maxPerMirror")),
                Integer.parseInt(get(kv, "maxPerFile")), Long.parseLong(get(kv, "seed")),
                Double.parseDouble(get(kv, "ewmaAlpha")), Integer.parseInt(get(kv, "ewmaWarmup")),
                Double.parseDouble(get(kv, "peakEwmaTau")), Double.parseDouble(get(kv, "banBase")),
                Double.parseDouble(get(kv, "banMax")), Integer.parseInt(get(kv, "maxFailures")),
                Integer.parseInt(get(kv, "badPieceLimit")), Integer.parseInt(get(kv, "maxCopies")),
                earlyRequests(kv.getOrDefault("earlyRequests", "0")), // traces from before it: none
                pipelined(kv.getOrDefault("earlyPipelined", "false"))); // before it, all were counted
    }

    private static boolean pipelined(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("earlyPipelined must be true or false, got " + v);
        };
    }

    /** A count; traces written while early requests were on or off say true (two, as then) or false. */
    private static int earlyRequests(String v) {
        return switch (v) {
            case "true" -> SchedulerConfig.EARLY_CONNECTIONS;
            case "false" -> 0;
            default -> Integer.parseInt(v);
        };
    }

    private static String get(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("config line lacks " + key);
        }
        return v;
    }

    private static String spec(StrategySpec s) {
        if (s == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(esc(s.id()));
        if (!s.params().isEmpty()) {
            sb.append('(');
            new java.util.TreeMap<>(s.params()).forEach((k, v) ->
                    sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ",").append(esc(k)).append('=').append(esc(String.valueOf(v))));
            sb.append(')');
        }
        return sb.toString();
    }

    private static StrategySpec parseSpec(String text) {
        if (text.equals("-")) {
            return null;
        }
        int open = text.indexOf('(');
        if (open < 0) {
            return StrategySpec.of(unesc(text));
        }
        if (!text.endsWith(")")) {
            throw new IllegalArgumentException("unbalanced parameters in '" + text + "'");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (String kv : text.substring(open + 1, text.length() - 1).split(",")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("parameter without '=' in '" + text + "'");
            }
            params.put(unesc(kv.substring(0, eq)), value(unesc(kv.substring(eq + 1))));
        }
        return new StrategySpec(unesc(text.substring(0, open)), params);
    }

    /** A parameter value as it was most likely given: a whole number, a decimal, a boolean or text. */
    private static Object value(String text) {
        if (WHOLE.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        if (DECIMAL.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        return text;
    }

    private static void need(String[] f, int n) {
        if (f.length != n) {
            throw new IllegalArgumentException("expected " + n + " fields, got " + f.length);
        }
    }

    /** Percent-escapes the characters the format uses as separators. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '(' || c == ')'
                    || c == '=') {
                sb.append('%').append(Character.forDigit(c >> 4 & 0xF, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unesc(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated escape in '" + s + "'");
                }
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
