package org.mirrorswarm.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The results of a scenario file's runs as read back from its output folder — everything a report
 * draws, and nothing that needs the simulator.
 */
public final class ResultsTable {
    /** One run: a point, a strategy, a replication, and every metric by name. */
    public record Row(int point, Map<String, String> labels, String strategy, String transport, int replication,
                      long seed, Map<String, Double> metrics) {
    }

    /** Mirror utilisation over time for one point and strategy, averaged over replications. */
    public record Load(double[] time, double[] mean, double[] max, double[] min) {
    }

    private final String scenario;
    private final List<String> axes;
    private final List<String> metrics;
    private final List<Row> rows;
    private final Map<String, double[]> completion;
    private final Map<String, Load> load;
    private final Map<String, double[]> mirrorBytesPerCapacity;
    private final String scenarioYaml;
    private final Map<String, String> runInfo;

    private ResultsTable(String scenario, List<String> axes, List<String> metrics, List<Row> rows,
                         Map<String, double[]> completion, Map<String, Load> load, Map<String, double[]> mirrors,
                         String scenarioYaml, Map<String, String> runInfo) {
        this.scenario = scenario;
        this.axes = axes;
        this.metrics = metrics;
        this.rows = rows;
        this.completion = completion;
        this.load = load;
        this.mirrorBytesPerCapacity = mirrors;
        this.scenarioYaml = scenarioYaml;
        this.runInfo = runInfo;
    }

    /** Reads an output folder written by {@link ResultsWriter}; a missing or malformed file is an error naming it. */
    public static ResultsTable read(Path dir) throws IOException {
        List<List<String>> results = csv(dir, ResultsWriter.RESULTS);
        if (results.isEmpty()) {
            throw new IllegalArgumentException(dir.resolve(ResultsWriter.RESULTS) + ": empty");
        }
        List<String> header = results.get(0);
        int strategyCol = header.indexOf("strategy");
        int seedCol = header.indexOf("seed");
        if (!header.subList(0, 2).equals(List.of("scenario", "point")) || strategyCol < 2 || seedCol != strategyCol + 3) {
            throw new IllegalArgumentException(dir.resolve(ResultsWriter.RESULTS) + ":1: not a mirrorswarm results header");
        }
        List<String> axes = List.copyOf(header.subList(2, strategyCol));
        List<String> metrics = List.copyOf(header.subList(seedCol + 1, header.size()));
        List<Row> rows = new ArrayList<>();
        String scenario = "";
        for (int i = 1; i < results.size(); i++) {
            List<String> r = results.get(i);
            if (r.size() != header.size()) {
                throw new IllegalArgumentException(dir.resolve(ResultsWriter.RESULTS) + ":" + (i + 1) + ": expected "
                        + header.size() + " fields, got " + r.size());
            }
            try {
                scenario = r.get(0);
                Map<String, String> labels = new LinkedHashMap<>();
                for (int a = 0; a < axes.size(); a++) {
                    labels.put(axes.get(a), r.get(2 + a));
                }
                Map<String, Double> m = new LinkedHashMap<>();
                for (int k = 0; k < metrics.size(); k++) {
                    m.put(metrics.get(k), Csv.parseNumber(r.get(seedCol + 1 + k)));
                }
                rows.add(new Row(Integer.parseInt(r.get(1)), labels, r.get(strategyCol), r.get(strategyCol + 1),
                        Integer.parseInt(r.get(strategyCol + 2)), Long.parseLong(r.get(seedCol)), m));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(dir.resolve(ResultsWriter.RESULTS) + ":" + (i + 1) + ": " + e.getMessage());
            }
        }

        Map<String, List<Double>> times = new LinkedHashMap<>();
        eachRow(dir, ResultsWriter.COMPLETION, 4, r -> times.computeIfAbsent(key(Integer.parseInt(r.get(0)), r.get(1)),
                k -> new ArrayList<>()).add(Double.parseDouble(r.get(3))));
        Map<String, double[]> completion = new LinkedHashMap<>();
        times.forEach((k, v) -> completion.put(k, v.stream().mapToDouble(Double::doubleValue).sorted().toArray()));

        Map<String, TreeMap<Double, double[]>> acc = new LinkedHashMap<>();
        eachRow(dir, ResultsWriter.LOAD, 7, r -> {
            double t = Double.parseDouble(r.get(3));
            double[] a = acc.computeIfAbsent(key(Integer.parseInt(r.get(0)), r.get(1)), k -> new TreeMap<>())
                    .computeIfAbsent(t, k -> new double[4]);
            a[0] += Csv.parseNumber(r.get(4));
            a[1] += Csv.parseNumber(r.get(5));
            a[2] += Csv.parseNumber(r.get(6));
            a[3]++;
        });
        Map<String, Load> load = new LinkedHashMap<>();
        acc.forEach((k, byTime) -> {
            int n = byTime.size();
            double[] t = new double[n];
            double[] mean = new double[n];
            double[] max = new double[n];
            double[] min = new double[n];
            int j = 0;
            for (Map.Entry<Double, double[]> e : byTime.entrySet()) {
                t[j] = e.getKey();
                mean[j] = e.getValue()[0] / e.getValue()[3];
                max[j] = e.getValue()[1] / e.getValue()[3];
                min[j] = e.getValue()[2] / e.getValue()[3];
                j++;
            }
            load.put(k, new Load(t, mean, max, min));
        });

        Map<String, List<Double>> perMirror = new LinkedHashMap<>();
        eachRow(dir, ResultsWriter.MIRRORS, 6, r -> perMirror.computeIfAbsent(key(Integer.parseInt(r.get(0)), r.get(1)),
                k -> new ArrayList<>()).add(Double.parseDouble(r.get(5)) / Double.parseDouble(r.get(4))));
        Map<String, double[]> mirrors = new LinkedHashMap<>();
        perMirror.forEach((k, v) -> mirrors.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));

        String yaml = Files.exists(dir.resolve(ResultsWriter.SCENARIO))
                ? Files.readString(dir.resolve(ResultsWriter.SCENARIO), StandardCharsets.UTF_8) : "";
        Map<String, String> info = new LinkedHashMap<>();
        if (Files.exists(dir.resolve(ResultsWriter.RUN))) {
            Matcher m = Pattern.compile("\"([a-z_]+)\":\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.eE]+)")
                    .matcher(Files.readString(dir.resolve(ResultsWriter.RUN), StandardCharsets.UTF_8));
            while (m.find()) {
                info.put(m.group(1), m.group(3) != null ? m.group(3).replace("\\\"", "\"").replace("\\\\", "\\")
                        : m.group(2));
            }
        }
        return new ResultsTable(scenario, axes, metrics, rows, completion, load, mirrors, yaml, info);
    }

    private static List<List<String>> csv(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        try {
            return Csv.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(f + ": missing (is " + dir + " a mirrorswarm output folder?)");
        }
    }

    /** Applies {@code action} to every record after the header; a short or non-numeric record is an error naming file and line. */
    private static void eachRow(Path dir, String name, int fields, java.util.function.Consumer<List<String>> action)
            throws IOException {
        List<List<String>> rows = csv(dir, name);
        for (int i = 1; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() < fields) {
                throw new IllegalArgumentException(dir.resolve(name) + ":" + (i + 1) + ": expected " + fields
                        + " fields, got " + r.size());
            }
            try {
                action.accept(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(dir.resolve(name) + ":" + (i + 1) + ": not a number: "
                        + e.getMessage());
            }
        }
    }

    static String key(int point, String strategy) {
        return point + "\u0000" + strategy;
    }

    public String scenario() {
        return scenario;
    }

    /** The swept fields, in file order. */
    public List<String> axes() {
        return axes;
    }

    public List<String> metrics() {
        return metrics;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Strategies in the order they were run. */
    public List<String> strategies() {
        Set<String> s = new LinkedHashSet<>();
        rows.forEach(r -> s.add(r.strategy()));
        return List.copyOf(s);
    }

    /** Sweep point indices in order. */
    public List<Integer> points() {
        Set<Integer> s = new LinkedHashSet<>();
        rows.forEach(r -> s.add(r.point()));
        return List.copyOf(s);
    }

    /** The swept values of a point. */
    public Map<String, String> labels(int point) {
        for (Row r : rows) {
            if (r.point() == point) {
                return r.labels();
            }
        }
        return Map.of();
    }

    /** A metric's values over the replications of one point and strategy. */
    public double[] values(int point, String strategy, String metric) {
        return rows.stream().filter(r -> r.point() == point && r.strategy().equals(strategy))
                .mapToDouble(r -> r.metrics().getOrDefault(metric, Double.NaN)).toArray();
    }

    /** The strategy with the lowest mean of {@code metric} at a point; null if none has a number. */
    public String best(int point, String metric) {
        String best = null;
        double value = Double.POSITIVE_INFINITY;
        for (String s : strategies()) {
            double m = Stats.mean(values(point, s, metric));
            if (!Double.isNaN(m) && m < value) {
                value = m;
                best = s;
            }
        }
        return best;
    }

    /** Completion times of every finished client of one point and strategy, over all replications, sorted. */
    public double[] completionTimes(int point, String strategy) {
        return completion.getOrDefault(key(point, strategy), new double[0]);
    }

    public Load load(int point, String strategy) {
        return load.get(key(point, strategy));
    }

    /** Bytes served per unit of capacity, per mirror, over all replications of a point and strategy. */
    public double[] mirrorLoad(int point, String strategy) {
        return mirrorBytesPerCapacity.getOrDefault(key(point, strategy), new double[0]);
    }

    public String scenarioYaml() {
        return scenarioYaml;
    }

    /** Fields of run.json (seed, version, wall_seconds, …) as text. */
    public Map<String, String> runInfo() {
        return runInfo;
    }
}
