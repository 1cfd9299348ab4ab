package org.mirrorswarm.cli;

import java.util.List;
import java.util.Locale;
import org.mirrorswarm.live.FetchReport;

/** The {@code fetch --json} summary. */
final class Json {
    private Json() {
    }

    static String of(FetchReport r, List<String> notes) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"ok\": ").append(r.ok()).append(",\n");
        sb.append(String.format(Locale.ROOT, "  \"seconds\": %.3f,%n", r.seconds()));
        sb.append("  \"bytes\": ").append(r.bytes()).append(",\n");
        sb.append("  \"files\": [");
        for (int i = 0; i < r.files().size(); i++) {
            FetchReport.FileResult f = r.files().get(i);
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"name\": %s, \"size\": %d, \"ok\": %b, \"detail\": %s, \"resumed_bytes\": %d, \"seconds\": %.3f}",
                    q(f.name()), f.size(), f.ok(), q(f.detail()), f.resumedBytes(), f.seconds()));
        }
        sb.append("\n  ],\n  \"mirrors\": [");
        for (int i = 0; i < r.mirrors().size(); i++) {
            FetchReport.MirrorResult m = r.mirrors().get(i);
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"id\": %s, \"bytes\": %d, \"received\": %d, \"busy_seconds\": %.3f, \"mean_rate\": %.0f, "
                            + "\"requests\": %d, \"failures\": %d, \"bad_pieces\": %d, \"last_error\": %s, \"verdict\": %s}",
                    q(m.id()), m.bytes(), m.received(), m.busySeconds(), m.meanRate(), m.requests(), m.failures(),
                    m.badPieces(), q(m.lastError()), q(m.verdict())));
        }
        sb.append("\n  ],\n  \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(q(notes.get(i)));
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
