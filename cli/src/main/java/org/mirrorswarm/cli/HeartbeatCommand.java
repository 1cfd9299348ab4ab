package org.mirrorswarm.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
                    + "heartbeat interval. Goes through the proxy http_proxy, https_proxy or all_proxy names, unless "
                    + "no_proxy lists the tracker's host, as fetch does.",
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

    /** Where http_proxy, https_proxy, all_proxy and no_proxy are read (the process's environment; a test's map). */
    Map<String, String> env = System.getenv();

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
        okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(uri.toString());
        if (url == null) {
            throw new UserException("--tracker: not an http(s) URL: " + tracker);
        }
        // Through the environment's proxy, as fetch goes (a mirror behind an organisation's proxy); never after a
        // redirect, which would turn the POST into a GET or carry the signature elsewhere.
        OkHttpClient.Builder client = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(20)).followRedirects(false).followSslRedirects(false);
        org.mirrorswarm.live.Proxies proxies = FetchCommand.environmentProxies(env);
        if (proxies != null) {
            client.proxySelector(proxies).proxyAuthenticator(proxies.authenticator());
        }
        Request request = new Request.Builder().url(url)
                .header("Authorization", "HMAC-SHA256 " + Heartbeats.mac(token, id, b))
                .header("User-Agent", "mirrorswarm/" + Version.version())
                .post(RequestBody.create(b, MediaType.get("application/x-www-form-urlencoded"))).build();
        OkHttpClient http = client.build();
        try (Response r = http.newCall(request).execute()) {
            if (r.code() != 204) {
                String why = r.body().string().lines().findFirst().orElse("").strip();
                spec.commandLine().getErr().println("mirrorswarm: the tracker refused the heartbeat: HTTP " + r.code()
                        + (why.isEmpty() ? "" : " " + why.substring(0, Math.min(200, why.length()))));
                return ExitCodes.FAILED;
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("mirrorswarm: " + uri + ": " + describe(e));
            return ExitCodes.FAILED;
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        return ExitCodes.OK;
    }

    /** Why a request failed, in words (OkHttp's "Failed to connect to /127.0.0.1:9" wraps the refusal). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (String.valueOf(t.getMessage()).contains("Connection refused")) {
                return "connection refused";
            }
            if (t instanceof java.io.InterruptedIOException) {
                return "timed out";
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
