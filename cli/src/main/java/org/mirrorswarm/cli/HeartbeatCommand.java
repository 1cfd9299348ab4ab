package org.mirrorswarm.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.mirrorswarm.strategies.Units;
import org.mirrorswarm.tracker.Heartbeats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm heartbeat}: a mirror tells the tracker it is alive (for an operator's cron). */
@Command(
        name = "heartbeat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Sends one signed heartbeat for a mirror to a tracker: POST /mirrors/ID/heartbeat with the time and, "
                    + "optionally, the load the mirror serves (for the least-loaded and two-choices rankings), "
                    + "HMAC-SHA256 under the mirror's token. Run it from cron more often than the tracker's "
                    + "heartbeat interval.",
            ""
        })
public final class HeartbeatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tracker", paramLabel = "URL", required = true, description = "The tracker's base URL.")
    String tracker;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "This mirror's id in the tracker's list.")
    String id;

    @Option(names = "--token-file", paramLabel = "FILE", required = true,
            description = "The mirror's secret token (the same as the tracker's token or token-file).")
    Path tokenFile;

    @Option(names = "--load", paramLabel = "RATE", description = "Bytes per second the mirror serves now (e.g. 40MB).")
    String load;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!tracker.startsWith("http://") && !tracker.startsWith("https://")) {
            throw new UserException("--tracker: not an http(s) URL: " + tracker);
        }
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new UserException("--id: letters, digits, '.', '_' and '-' only");
        }
        if (!Files.isRegularFile(tokenFile)) {
            throw new UserException(tokenFile + ": no such file");
        }
        String secret = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (secret.length() < 16) { // the tracker refuses such tokens in its mirror list
            throw new UserException(tokenFile + ": a token of at least 16 characters, got " + secret.length());
        }
        byte[] token = secret.getBytes(StandardCharsets.UTF_8);
        String body = "time=" + Instant.now().getEpochSecond();
        if (load != null) {
            try {
                body += "&load=" + Units.parseBytes(load.replaceAll("/s$", ""));
            } catch (IllegalArgumentException e) {
                throw new UserException("--load: " + e.getMessage());
            }
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        URI uri;
        try {
            uri = URI.create((tracker.endsWith("/") ? tracker : tracker + "/") + "mirrors/" + id + "/heartbeat");
        } catch (IllegalArgumentException e) {
            throw new UserException("--tracker: " + e.getMessage());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "HMAC-SHA256 " + Heartbeats.mac(token, id, b))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("mirrorswarm: " + uri + ": " + describe(e));
            return ExitCodes.FAILED;
        }
        if (r.statusCode() != 204) {
            String why = r.body().lines().findFirst().orElse("").strip();
            spec.commandLine().getErr().println("mirrorswarm: the tracker refused the heartbeat: HTTP " + r.statusCode()
                    + (why.isEmpty() ? "" : " " + why.substring(0, Math.min(200, why.length()))));
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /**
     * Why a request failed, in words: java.net.http leaves the message out of some failures (a refused
     * connection, an unknown host: a ConnectException without one, the cause telling which).
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
