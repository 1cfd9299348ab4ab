package org.mirrorswarm.cli;

import java.util.List;
import org.mirrorswarm.live.FetchReport;
import org.mirrorswarm.strategies.JsonText;
import org.mirrorswarm.strategies.Units;

/** The {@code fetch --json} summary. */
final class Json {
    private Json() {
    }

    static String of(FetchReport r, List<String> notes) {
        StringBuilder sb = new StringBuilder(256 + 160 * r.files().size());
        sb.append("{\n  \"ok\": ").append(r.ok()).append(",\n  \"seconds\": ");
        Units.appendFixed(sb, r.seconds(), 3).append(",\n  \"bytes\": ").append(r.bytes()).append(",\n  \"files\": [");
        for (int i = 0; i < r.files().size(); i++) {
            FetchReport.FileResult f = r.files().get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(JsonText.quote(f.name()))
                    .append(", \"size\": ").append(f.size()).append(", \"ok\": ").append(f.ok())
                    .append(", \"detail\": ").append(JsonText.quote(f.detail()))
                    .append(", \"resumed_bytes\": ").append(f.resumedBytes()).append(", \"seconds\": ");
            Units.appendFixed(sb, f.seconds(), 3).append('}');
        }
        sb.append("\n  ],\n  \"mirrors\": [");
        for (int i = 0; i < r.mirrors().size(); i++) {
            FetchReport.MirrorResult m = r.mirrors().get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(JsonText.quote(m.id()))
                    .append(", \"bytes\": ").append(m.bytes()).append(", \"received\": ").append(m.received())
                    .append(", \"busy_seconds\": ");
            Units.appendFixed(sb, m.busySeconds(), 3).append(", \"mean_rate\": ");
            Units.appendFixed(sb, m.meanRate(), 0).append(", \"requests\": ").append(m.requests())
                    .append(", \"failures\": ").append(m.failures()).append(", \"bad_pieces\": ").append(m.badPieces())
                    .append(", \"last_error\": ").append(JsonText.quote(m.lastError()))
                    .append(", \"verdict\": ").append(JsonText.quote(m.verdict())).append('}');
        }
        sb.append("\n  ],\n  \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(JsonText.quote(notes.get(i)));
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }
}
