package org.mirrorswarm.reports;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jfree.chart.ChartUtils;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Renders an output folder's charts (PNG and SVG under {@code charts/}) and its {@code index.html}
 * from the CSV files alone, so {@code mirrorswarm report DIR} can redraw without re-simulating. The
 * new charts and page replace the old ones only once all are drawn.
 */
public final class Report {
    public static final String CHARTS = "charts";
    public static final String INDEX = "index.html";

    /** What was rendered: the page and the number of charts. */
    public record Rendered(Path index, int charts) {
    }

    private Report() {
    }

    /** Draws every chart of {@code dir} and writes its page; {@code version} is the renderer's version. */
    public static Rendered render(Path dir, String version) throws IOException {
        ResultsTable table = ResultsTable.read(dir);
        if (table.rows().isEmpty()) {
            throw new IllegalArgumentException(dir.resolve(ResultsWriter.RESULTS) + ": no runs to report");
        }
        List<Charts.Chart> charts = Charts.all(table);
        Path tmp = freshFolder(dir, ".charts-");
        Path html = dir.resolve(INDEX + ".tmp");
        try {
            List<String> inline = new ArrayList<>();
            for (Charts.Chart c : charts) {
                Path png = tmp.resolve(c.name() + ".png");
                try (OutputStream out = Files.newOutputStream(png)) {
                    ChartUtils.writeChartAsPNG(out, c.chart(), c.width(), c.height());
                } catch (IOException e) {
                    throw named(png, e);
                }
                SVGGraphics2D g = new SVGGraphics2D(c.width(), c.height());
                g.setDefsKeyPrefix(c.name() + "-");
                c.chart().draw(g, new Rectangle(0, 0, c.width(), c.height()));
                Path svg = tmp.resolve(c.name() + ".svg");
                try {
                    Files.writeString(svg, g.getSVGDocument(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw named(svg, e);
                }
                inline.add(g.getSVGElement(c.name(), false, new ViewBox(0, 0, c.width(), c.height()), null, null));
            }
            try {
                Files.writeString(html, Html.page(table, charts, inline, version), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw named(html, e);
            }
            Path target = dir.resolve(CHARTS);
            Path old = null;
            if (Files.exists(target)) {
                old = freshName(dir, ".charts-old-");
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Files.move(html, dir.resolve(INDEX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            deleteTree(tmp);
            Files.deleteIfExists(html);
        }
        return new Rendered(dir.resolve(INDEX), charts.size());
    }

    /**
     * A write's failure naming the file: a full disk shows up as ImageIO's "I/O error writing PNG file!" or
     * as a bare "No space left on device", neither of which says where.
     */
    static IOException named(Path file, IOException e) {
        return new IOException(file + ": " + rootMessage(e), e);
    }

    /** The message of the innermost cause of {@code e}: the system's own words, below the libraries' wrappers. */
    static String rootMessage(Throwable e) {
        Throwable root = rootCause(e);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** The innermost cause of {@code e} ({@code e} itself when it has none). */
    public static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** A new, empty folder in {@code parent} named {@code prefix} + a random suffix, with the usual permissions. */
    public static Path freshFolder(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(freshName(parent, prefix));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** A name in {@code parent} that does not exist yet: {@code prefix} + a random suffix. */
    public static Path freshName(Path parent, String prefix) {
        while (true) {
            Path p = parent.resolve(prefix + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current()
                    .nextLong(), 36));
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The fields of run.json shown on the page, in order, with their labels. */
    static final Map<String, String> RUN_FIELDS = new java.util.LinkedHashMap<>();

    static {
        RUN_FIELDS.put("seed", "Seed");
        RUN_FIELDS.put("version", "mirrorswarm version");
        RUN_FIELDS.put("started", "Started");
        RUN_FIELDS.put("wall_seconds", "Wall time (s)");
        RUN_FIELDS.put("runs", "Runs");
        RUN_FIELDS.put("replications", "Replications");
        RUN_FIELDS.put("threads", "Threads");
        RUN_FIELDS.put("events", "SSJ events");
        RUN_FIELDS.put("events_per_second", "Events per second");
        RUN_FIELDS.put("java", "Java");
    }
}
