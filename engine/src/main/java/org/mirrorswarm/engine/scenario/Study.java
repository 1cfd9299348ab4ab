package org.mirrorswarm.engine.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirrorswarm.engine.Scenario;
import org.mirrorswarm.engine.Variant;

/**
 * A loaded scenario file: the base scenario and the strategies to compare, how many replications and
 * threads, and the sweep axes. {@link #points()} expands the sweep into the scenarios to run.
 *
 * @param name         the scenario's name (used for the default output folder)
 * @param question     what the scenario answers
 * @param scenario     the base scenario (the sweep's first point)
 * @param variants     the strategies compared
 * @param replications replications per strategy and sweep point
 * @param threads      runs in parallel
 * @param sweep        the swept fields, in file order (empty: no sweep)
 * @param effective    the merged scenario tree, as written to {@code scenario.yaml}
 */
public record Study(String name, String question, Scenario scenario, List<Variant> variants, int replications,
                    int threads, List<Axis> sweep, Node.Map effective) {

    /** One swept field and its values. */
    public record Axis(String path, List<Node> values) {
        /** The values as text, for labels and CSV columns. */
        public List<String> labels() {
            List<String> out = new ArrayList<>();
            for (Node v : values) {
                out.add(String.valueOf(((Node.Scalar) v).value));
            }
            return out;
        }
    }

    /** One point of the sweep: the swept values and what to run there. */
    public record Point(int index, Map<String, String> labels, Scenario scenario, List<Variant> variants) {
    }

    /** Every sweep point in cartesian order (the last axis varies fastest); one point without a sweep. */
    public List<Point> points() {
        List<Point> out = new ArrayList<>();
        int total = 1;
        for (Axis a : sweep) {
            total *= a.values.size();
        }
        for (int i = 0; i < total; i++) {
            Node.Map tree = effective.copy();
            Map<String, String> labels = new LinkedHashMap<>();
            int rest = i;
            int[] pick = new int[sweep.size()];
            for (int k = sweep.size() - 1; k >= 0; k--) {
                pick[k] = rest % sweep.get(k).values.size();
                rest /= sweep.get(k).values.size();
            }
            for (int k = 0; k < sweep.size(); k++) {
                Axis a = sweep.get(k);
                Node value = a.values.get(pick[k]);
                ScenarioLoader.replace(tree, a.path, value.copy());
                labels.put(a.path, a.labels().get(pick[k]));
            }
            Study s = ScenarioLoader.bind(tree);
            out.add(new Point(i, labels, s.scenario, s.variants));
        }
        return out;
    }

    /** The same study run on {@code n} threads. */
    public Study withThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        return new Study(name, question, scenario, variants, replications, n, sweep, effective);
    }

    /** Number of runs in all: points × strategies × replications. */
    public int runCount() {
        int total = 1;
        for (Axis a : sweep) {
            total *= a.values.size();
        }
        return total * variants.size() * replications;
    }
}
