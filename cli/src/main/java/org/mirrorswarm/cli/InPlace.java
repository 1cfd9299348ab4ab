package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines redrawn in place on a terminal with ANSI cursor movements: each {@link #draw} replaces the lines the
 * last one drew; lines {@link #keep kept} go above them and stay. Every redrawn line is cut to the terminal's
 * width, so that none wraps and the next redraw finds them where it left them. The terminal is asked for its
 * width only (JLine, without its signal handling: by default it puts SIGINT back to the system's default,
 * which kills the process on Ctrl-C without running the shutdown hooks that journal a download or delete a
 * simulation's partial output).
 */
final class InPlace implements AutoCloseable {
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintWriter out;
    private final org.jline.terminal.Terminal terminal;
    private final int fixedWidth;
    private final List<String> above = new ArrayList<>();
    private int drawn;

    /** Draws on {@code out} for the terminal the process runs in. */
    static InPlace onTerminal(PrintWriter out) {
        org.jline.terminal.Terminal t;
        try {
            t = org.jline.terminal.TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).build();
        } catch (IOException | RuntimeException e) {
            t = null; // then 80 columns
        }
        return new InPlace(out, t, 0);
    }

    /** Draws on {@code out} as if for a terminal {@code width} columns wide. */
    static InPlace ofWidth(PrintWriter out, int width) {
        return new InPlace(out, null, width);
    }

    private InPlace(PrintWriter out, org.jline.terminal.Terminal terminal, int fixedWidth) {
        this.out = out;
        this.terminal = terminal;
        this.fixedWidth = fixedWidth;
    }

    /** The terminal's width in columns (80 when it does not say). */
    int width() {
        int w = fixedWidth > 0 ? fixedWidth : terminal == null ? 0 : terminal.getWidth();
        return w > 0 ? w : 80;
    }

    /** A line to print above the redrawn ones at the next {@link #draw}, where it stays. */
    void keep(String line) {
        above.add(line);
    }

    /** Replaces the lines drawn last with {@code lines}, after the lines to keep. */
    void draw(List<String> lines) {
        int w = Math.max(20, width());
        StringBuilder sb = new StringBuilder(256);
        if (drawn > 0) {
            sb.append("\033[").append(drawn).append('A');
        }
        int printed = 0;
        for (String l : above) {
            sb.append(CLEAR_LINE).append(l).append('\n'); // whole: it stays, and may wrap
            printed++;
        }
        above.clear();
        for (String l : lines) {
            sb.append(CLEAR_LINE).append(cut(l, w - 1)).append('\n');
            printed++;
        }
        int stale = drawn - printed; // lines of the last drawing below the new one
        if (stale > 0) {
            for (int i = 0; i < stale; i++) {
                sb.append(CLEAR_LINE).append('\n');
            }
            sb.append("\033[").append(stale).append('A');
        }
        drawn = lines.size();
        out.print(sb);
        out.flush();
    }

    /** {@code line} in at most {@code width} characters. */
    static String cut(String line, int width) {
        return line.length() <= width ? line : line.substring(0, Math.max(0, width));
    }

    @Override
    public void close() {
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException e) {
                // nothing was changed on it
            }
        }
    }
}
