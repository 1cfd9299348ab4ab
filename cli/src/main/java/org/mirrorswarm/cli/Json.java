package org.mirrorswarm.cli;

import java.util.List;
import java.util.Locale;
import org.mirrorswarm.live.FetchReport;
import org.mirrorswarm.strategies.JsonText;

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
                    JsonText.quote(f.name()), f.size(), f.ok(), JsonText.quote(f.detail()), f.resumedBytes(), f.seconds()));
        }
        sb.append("\n  ],\n  \"mirrors\": [");
        for (int i = 0; i < r.mirrors().size(); i++) {
            FetchReport.MirrorResult m = r.mirrors().get(i);
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"id\": %s, \"bytes\": %d, \"received\": %d, \"busy_seconds\": %.3f, \"mean_rate\": %.0f, "
                            + "\"requests\": %d, \"failures\": %d, \"bad_pieces\": %d, \"last_error\": %s, \"verdict\": %s}",
                    JsonText.quote(m.id()), m.bytes(), m.received(), m.busySeconds(), m.meanRate(), m.requests(), m.failures(),
                    m.badPieces(), JsonText.quote(m.lastError()), JsonText.quote(m.verdict())));
        }
        sb.append("\n  ],\n  \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(JsonText.quote(notes.get(i)));
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }
}
