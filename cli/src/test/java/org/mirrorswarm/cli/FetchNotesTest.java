package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the download itself notices reaches the user: in the {@code --json} summary and, without it, on stderr. */
class FetchNotesTest {
    @TempDir
    Path tmp;

    /** One mirror on loopback serving {@code body} for any path, by range when asked. */
    private static HttpServer mirror(byte[] body) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", x -> {
            String range = x.getRequestHeaders().getFirst("Range");
            long from = 0;
            long to = body.length - 1;
            if (range != null && range.startsWith("bytes=")) {
                String[] r = range.substring(6).split("-");
                from = Long.parseLong(r[0]);
                to = r.length > 1 && !r[1].isEmpty() ? Math.min(to, Long.parseLong(r[1])) : to;
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
            }
            x.sendResponseHeaders(range != null ? 206 : 200, to - from + 1);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body, (int) from, (int) (to - from + 1));
            }
        });
        s.start();
        return s;
    }

    @Test
    void aFileFetchedAgainOneMirrorAtATimeIsNoted() throws Exception {
        // No piece hashes: a whole-file mismatch sends the download back to its mirrors one at a time (to find
        // the bad one). That is the download's own note, which the summary used to leave out.
        byte[] good = new byte[300_000];
        Arrays.fill(good, (byte) 7);
        byte[] bad = good.clone();
        bad[123_456] ^= 1;
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(good));
        HttpServer m = mirror(bad);
        try {
            String url = "http://" + m.getAddress().getAddress().getHostAddress() + ":" + m.getAddress().getPort() + "/f.bin";
            for (boolean json : new boolean[] {true, false}) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                String[] args = json
                        ? new String[] {"fetch", "f.bin", "--mirror", url, "--sha256", sha, "-d", tmp.toString(), "--json"}
                        : new String[] {"fetch", "f.bin", "--mirror", url, "--sha256", sha, "-d", tmp.toString()};
                int code = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
                assertThat(code).isEqualTo(ExitCodes.FAILED);
                String said = json ? out.toString() : err.toString();
                assertThat(said).as(said).contains("f.bin: the whole-file hash did not match; fetching it again one mirror at a time");
            }
        } finally {
            m.stop(0);
        }
        assertThat(tmp.resolve("f.bin")).doesNotExist();
    }
}
