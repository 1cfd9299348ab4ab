package org.mirrorswarm.tracker;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mirror heartbeats: {@code POST /mirrors/ID/heartbeat} with a form body {@code time=UNIX-SECONDS&load=BYTES-PER-S}
 * and {@code Authorization: HMAC-SHA256 HEX}, the HMAC-SHA256 under the mirror's token of
 * {@code "ID\n" + body}. Accepted when the MAC matches (compared in constant time), the time is within
 * {@link #SKEW_SECONDS} of the tracker's clock and later than the last accepted one (no replays).
 *
 * <p>From a mirror's cron:
 * <pre>
 * body="time=$(date +%s)&amp;load=0"
 * mac=$(printf 'ID\n%s' "$body" | openssl dgst -sha256 -hmac "$TOKEN" | sed 's/.* //')
 * curl -fsS -d "$body" -H "Authorization: HMAC-SHA256 $mac" https://tracker/mirrors/ID/heartbeat
 * </pre>
 */
public final class Heartbeats {
    public static final long SKEW_SECONDS = 300;
    public static final int MAX_BODY = 1024;

    /** The outcome: an HTTP status and a one-line message. */
    public record Verdict(int status, String message, long time, double load) {
    }

    private Heartbeats() {
    }

    public static String mac(byte[] token, String id, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            mac.update((id + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Checks one heartbeat against the mirror's token, the clock (seconds) and the last accepted time. */
    public static Verdict check(byte[] token, String id, String authorization, byte[] body, long nowSeconds,
                                long lastTime) {
        if (token == null) {
            return new Verdict(401, "no heartbeat token is configured for this mirror", 0, -1);
        }
        if (authorization == null || !authorization.startsWith("HMAC-SHA256 ")) {
            return new Verdict(401, "expected 'Authorization: HMAC-SHA256 HEX'", 0, -1);
        }
        byte[] given = authorization.substring(12).strip().toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] want = mac(token, id, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, want)) {
            return new Verdict(401, "bad HMAC", 0, -1);
        }
        long time = Long.MIN_VALUE;
        double load = -1;
        for (String kv : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : kv.substring(eq + 1);
            try {
                switch (k) {
                    case "time" -> time = Long.parseLong(v);
                    case "load" -> load = Double.parseDouble(v);
                    default -> {
                        // other fields (serial, free text) are accepted and ignored
                    }
                }
            } catch (NumberFormatException e) {
                return new Verdict(400, k + ": not a number", 0, -1);
            }
        }
        if (time == Long.MIN_VALUE) {
            return new Verdict(400, "time: missing (UNIX seconds)", 0, -1);
        }
        if (Math.abs(time - nowSeconds) > SKEW_SECONDS) {
            return new Verdict(409, "time is " + (time - nowSeconds) + " s off the tracker's clock (at most "
                    + SKEW_SECONDS + ")", 0, -1);
        }
        if (time <= lastTime) {
            return new Verdict(409, "replayed or out-of-order heartbeat (time not after the last accepted)", 0, -1);
        }
        if (!(load >= 0) || !Double.isFinite(load)) {
            load = -1;
        }
        return new Verdict(204, "ok", time, load);
    }
}
