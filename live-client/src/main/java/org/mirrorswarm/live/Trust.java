package org.mirrorswarm.live;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * Certificate authorities an https mirror may be signed by beyond the system's: mirrors of an organisation
 * with its own authority ({@code fetch --ca-certificate FILE}, as aria2c's option of that name). The
 * certificates are added to the system's trusted ones, never in their place, and the host-name check stays.
 */
public final class Trust {
    private Trust() {
    }

    /** The TLS a client built without it sets up: sockets from {@code factory}, their chains checked by {@code trust}. */
    record Parts(SSLSocketFactory factory, X509TrustManager trust) {
        /** A copy of {@code plain} (built without TLS) with these parts. */
        OkHttpClient on(OkHttpClient plain) {
            return plain.newBuilder()
                    .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                    .sslSocketFactory(factory, trust)
                    .build();
        }
    }

    /**
     * {@code client} (TLS set up if it was built without) trusting the system's authorities and those in
     * {@code file} (PEM or DER, one or more certificates). A file that cannot be read, or holds no certificate,
     * is an {@link IOException} naming it.
     */
    public static OkHttpClient adding(OkHttpClient client, Path file) throws IOException {
        List<X509Certificate> extra = read(file);
        try {
            return parts(extra, engine).on(client);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /**
     * TLS trusting the system's authorities and those in a file, set up on a thread of its own from the moment
     * it is started: a fetch starts it as the JVM starts, and its https requests (and the live client's own
     * connections) wait for it only if they come first. Set up on the main thread, before the Metalink was
     * read, it took a cold JVM about 0.15 s (a key store of the system's ~140 authorities and the file's, OkHttp's
     * index of them by name, the TLS context), which a fetch now spends reading its Metalink and opening its
     * files. The system's authorities are loaded by the trust manager only for a certificate the file's did
     * not sign; OkHttp's index of them is made only when the general client is first asked for https.
     */
    public static final class Pending {
        private final Path file;
        private final Engine engine;
        private final CompletableFuture<List<X509Certificate>> certificates = new CompletableFuture<>();
        private final CompletableFuture<Parts> parts = new CompletableFuture<>();

        private Pending(Path file, Engine engine) {
            this.file = file;
            this.engine = engine;
        }

        /** Starts reading {@code file} and setting up TLS over it, on the {@link #engine engine} chosen now. */
        public static Pending start(Path file) {
            Pending p = new Pending(java.util.Objects.requireNonNull(file), Trust.engine);
            p.begin();
            return p;
        }

        private static final java.util.Map<Engine, Pending> SYSTEM = new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * TLS trusting the system's authorities only, as the JDK's defaults do, on the {@link #engine engine}
         * chosen now: started at the first call (by a fetch as the JVM starts when an https URL is on its
         * command line, or when its Metalink names one), for every client built without TLS ({@link
         * LiveDownload#withTls}).
         */
        public static Pending system() {
            return SYSTEM.computeIfAbsent(Trust.engine, e -> {
                Pending p = new Pending(null, e);
                p.begin();
                return p;
            });
        }

        private void begin() {
            Thread t = new Thread(this::run, "mirrorswarm-tls-set-up");
            t.setDaemon(true);
            t.start();
            CheckWarmUp.start();
        }

        /** The TLS, once set up. */
        CompletableFuture<Parts> ready() {
            return parts;
        }

        /**
         * Sets the TLS up. An error (the heap too small for the key store of the system's authorities) completes
         * both futures with it, so that whoever waits for them rethrows it (the command's one line) instead of
         * waiting for ever; printed here, by the thread's default handler, it was a stack trace.
         */
        private void run() {
            try {
                setUp();
            } catch (Error e) {
                certificates.completeExceptionally(e);
                parts.completeExceptionally(e); // after a successful set-up: the warm-up's, which is only a head start
            }
        }

        private void setUp() {
            if (engine != Engine.JDK) {
                // Conscrypt's native library first: loading it needs none of the JDK's security providers, which
                // the authority file's certificates and the trust manager need and other start-up threads are
                // setting up at the same moment (small-tls, three batches of 15 interleaved runs: 3.258, 3.244
                // and 3.247 s against 3.275, 3.260 and 3.276 s with the library loaded after the trust manager;
                // an earlier trial of this order, with Conscrypt's provider still registered here and the
                // Metalink's parse not held back, had been slower: bench/RESULTS.md).
                onConscrypt(engine);
            }
            List<X509Certificate> extra = List.of();
            if (file != null) {
                try {
                    extra = read(file);
                } catch (IOException | RuntimeException e) {
                    certificates.completeExceptionally(e);
                    parts.completeExceptionally(e);
                    return;
                }
            }
            certificates.complete(extra);
            try {
                parts.complete(file == null ? systemParts(engine) : parts(extra, engine));
            } catch (GeneralSecurityException | RuntimeException e) {
                parts.completeExceptionally(new IllegalStateException("TLS could not be set up"
                        + (file == null ? "" : " with " + file) + ": " + e.getMessage(), e));
                return;
            }
            warmUp(engine);
        }

        /**
         * {@code plain} (a client built without TLS) itself, once the file is read; its https requests
         * through {@link LiveDownload#newCall} use this TLS. A file that cannot be read, or holds no
         * certificate, is an {@link IOException} naming it.
         */
        public OkHttpClient on(OkHttpClient plain) throws IOException {
            awaitFile();
            LiveDownload.tlsLater(plain, parts);
            return plain;
        }

        /**
         * Waits for the file to be read: an {@link IOException} naming it when it cannot be read or holds no
         * certificate (a {@link GeneralClient#later} built over this TLS is built only when first asked for).
         */
        public void awaitFile() throws IOException {
            try {
                certificates.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IOException(file + ": " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * Runs ahead what the first answers would otherwise do on a cold JVM on the JDK's TLS, while the download
     * starts: AES-GCM decryption, until the launcher's early compilation of GHASH and CounterMode (see {@code
     * mirrorswarm}) has made it the processor's instructions (on the small-files https case the transfer
     * threads then used 270 ms of CPU between 0.2 and 1.0 s, against 750 ms; the wall time did not change
     * measurably). Only a head start: nothing here may fail a download.
     */
    private static void warmUp(Engine engine) {
        if (onConscrypt(engine)) {
            return; // records are sealed and opened by BoringSSL
        }
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(new byte[32], "AES");
            byte[] iv = new byte[12];
            byte[] aad = new byte[13]; // a TLS 1.2 record's header
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, key, new javax.crypto.spec.GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(new byte[16384]); // a full TLS record
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(sealed.length);
            for (int i = 0; i < GCM_WARM_UP_RECORDS; i++) {
                c.init(javax.crypto.Cipher.DECRYPT_MODE, key, new javax.crypto.spec.GCMParameterSpec(128, iv));
                c.updateAAD(aad);
                out.clear();
                c.doFinal(java.nio.ByteBuffer.wrap(sealed), out);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // only a head start
        }
    }

    /** Full TLS records decrypted ahead: enough calls for the launcher's early compilation thresholds. */
    private static final int GCM_WARM_UP_RECORDS = 400;

    /**
     * The first check of a certificate chain, run ahead on a throwaway chain from the moment the TLS set-up
     * starts. On a cold JVM the JDK's first chain check took 15-18 ms on an idle machine and the second 0.4 ms:
     * most of the first is done once (the algorithm constraints parsed from the security properties, the path
     * validator's classes). A fetch's first handshakes each waited 34-44 ms in it, four at once on two busy
     * cores, between their server's certificate and their first request; after this warm-up 0-21 ms (small-tls
     * benchmark, bench/RESULTS.md). Only a head start: nothing here may fail a download, and its certificates
     * are trusted by nothing else.
     */
    static final class CheckWarmUp {
        private CheckWarmUp() {
        }

        /** Whether a warm-up has been started in this JVM: once is enough. */
        private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

        static void start() {
            if (STARTED.compareAndSet(false, true)) {
                HeadStart.start("mirrorswarm-tls-check-warm-up", CheckWarmUp::run);
            }
        }

        /**
         * Checks {@link #CHAIN}'s first certificate against its second, alone in a key store, the way a mirror's
         * chain is checked: over TLS 1.3, as the key exchange the JDK names {@code UNKNOWN}. Returns whether it
         * passed, which only a test asks (a chain that failed early would skip the validation it is there for).
         */
        static boolean run() {
            try {
                List<X509Certificate> certs = chain();
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                store.setCertificateEntry("warm-up", certs.get(1));
                trustManager(store).checkServerTrusted(new X509Certificate[] {certs.get(0)}, "UNKNOWN");
                return true;
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                return false; // only a head start
            }
        }

        /** {@link #CHAIN}'s two certificates: the server's, then its authority's. */
        static List<X509Certificate> chain() throws CertificateException {
            return certificates(CHAIN.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        /**
         * A throwaway server certificate (RSA 2048, SHA-256, for 127.0.0.1) and the throwaway authority that
         * signed it (the same pair as the launcher's class-data warm-up, {@code cli}'s {@code warm-up.p12} and
         * {@code warm-up.pem}), valid until 2126. No key of either is in this program.
         */
        static final String CHAIN = """
                -----BEGIN CERTIFICATE-----
                MIIDXjCCAkagAwIBAgIUKxlY3Iy93ZQZ45o2miyYdR6PB1gwDQYJKoZIhvcNAQEL
                BQAwKDEmMCQGA1UEAwwdbWlycm9yc3dhcm0td2FybS11cC1hdXRob3JpdHkwIBcN
                MjYxMTI3MTIxMTQ2WhgPMjEyNjExMDMxMjExNDZaMB4xHDAaBgNVBAMME21pcnJv
                cnN3YXJtLXdhcm0tdXAwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCj
                Ka9V9voU/UpAp9OCiGePGloWBVIQa1vF81w1aMlav537jNJ0EJXWJjQMKaIvU3SP
                c0OiQFVJBI3x/DGqq2eRHoqG5a1NY0FRK5OC2BiafHLBYMTNhopc+Yi6Dz5ARroT
                oPRQbB9jAM105fwctQ/1gG1XMo6V4EwkIUKRtit6dyMkA10YcIB9LCoTHiACPj+8
                JvNMl7shiNcUMxGzNHf1HiPyf83nOxy3t/R8zBbLr3eSexgeCRF3+ukbwOM5iSYy
                HeOiTIVK1NQFVZELvR1XJarX1818t/3DQrTWjmj8sMLG3Sxc0jc+wQbiYHZxOe1P
                zbq+gfWukRG9PTWmB8rVAgMBAAGjgYcwgYQwDwYDVR0RBAgwBocEfwAAATAMBgNV
                HRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIFoDATBgNVHSUEDDAKBggrBgEFBQcDATAd
                BgNVHQ4EFgQUeFOSxmYnUS1ERJjAkARDfSaM3TQwHwYDVR0jBBgwFoAUYbmfKoSj
                KERo2ifWtfHhIpqKPFIwDQYJKoZIhvcNAQELBQADggEBAEsHDLiG/u4hCn+lDg61
                ev2C/TYRKV8WDo0w1dEFFQzVdOPK1w6sTkNnzdhEURlQStINfywkPeLerPYDiEfl
                uWIHbTnwinWx/bnQDC9jHdqXesn4tXIlsAgVqkVfGHk3EGxOBjpk5kMqOqpkVIB9
                IfBdhjTQFvo9txXbw6z326SrJhrBrfdOGCquWQcqSJIYN4enqaIg9KlBmZTKjhqK
                voWJ8C30/Tzpb2RfdVD4LG9fX9LbTRCa3JIW+KHj55Drglx0bn19CL/ozaDR4gkY
                L5ngNibgbuwMINk+XfPFxRhkgw6xku1X8UX93OXKyAU0Oyo5oM926RhcMhz4DCPt
                eQI=
                -----END CERTIFICATE-----
                -----BEGIN CERTIFICATE-----
                MIIDQzCCAiugAwIBAgIUZ3TZjrXY5P0r+P/va3S6Bsm8BYAwDQYJKoZIhvcNAQEL
                BQAwKDEmMCQGA1UEAwwdbWlycm9yc3dhcm0td2FybS11cC1hdXRob3JpdHkwIBcN
                MjYxMTI3MTIxMTQ2WhgPMjEyNjExMDMxMjExNDZaMCgxJjAkBgNVBAMMHW1pcnJv
                cnN3YXJtLXdhcm0tdXAtYXV0aG9yaXR5MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A
                MIIBCgKCAQEAsqyV1SFrLc/5KQiLWY17SvQEDkrF33BF96+5Gb5F8u+R4YA3eXHe
                D3ibpGhN4gF9quGtl53XRntUKgwjFkOYgA3/jfqfgUCovRJPAXloOCqICbFKsTpr
                yXCBA9vL17LLcRyMz4CauQ9fOWXOm91dBpe0wpKAj3gVp9beYXNIoQ5iNOWnai1k
                mbkpw6JjTaNKAJzrnDBPtRkAiDkB1HMgzaA9ViHyvFV9NFQkUvWFbKFlQ379Tl1Y
                jRjgY5JjWYfP8YrEbvotxVwwS/EJQcoqAhjRg0QkFyVoNVDN48BV8Y9UCuFW++7l
                Ke0XcWU4gXkEZIphVh7wGdOl53UVw/f+gQIDAQABo2MwYTAdBgNVHQ4EFgQUYbmf
                KoSjKERo2ifWtfHhIpqKPFIwHwYDVR0jBBgwFoAUYbmfKoSjKERo2ifWtfHhIpqK
                PFIwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwDQYJKoZIhvcNAQEL
                BQADggEBAA4fDoyw76vUD6AUrYDhJFOdxZoovqzOjcG0Pm/XVmgJIPfJByHOjJ9u
                pRKfmDmwTUOwDFFR2tLrEZd+4XGy0mV/vhxZ2XXy5hgYb5jjxijdm8V32crJaDgp
                UV6kzpro+2OuDgARNc0ztxttXAVhewPKkPs69lyMYcBjJp9N1IaHKEahCuCPvJQD
                Wg3hcl+oI25PW71hc7jiKNCE2SDt/Rm47UryMXd4JukJXFL8qM+WeG0HNK0AYGTy
                b6G9YLBXNRrE+/DJSnrzzej3yY91bBEk/qxn8nZIKbzK6hd4cXdCYblnL+3JJ/5O
                ic7UodLJGJri92oK7egnIUrX67jJuuw=
                -----END CERTIFICATE-----
                """;
    }

    /** The largest certificate file read: a bundle of every public authority is well under 1 MiB. */
    static final int MAX_CERTIFICATE_FILE = 16 << 20;

    /** The certificates in {@code file}; an {@link IOException} naming it when there are none or it cannot be read. */
    private static List<X509Certificate> read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": a folder, not a certificate file");
        }
        List<X509Certificate> found;
        try (InputStream in = Files.newInputStream(file)) {
            // Read whole first: the JDK's PEM reader takes a byte at a time, which on a file's stream is a
            // system call each (1,136 for one authority's 1.2 KB, on the way to the first https request).
            byte[] bytes = in.readNBytes(MAX_CERTIFICATE_FILE + 1);
            if (bytes.length > MAX_CERTIFICATE_FILE) {
                throw new IOException("larger than " + (MAX_CERTIFICATE_FILE >> 20) + " MiB: not a certificate file");
            }
            found = certificates(bytes);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(file + ": permission denied");
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage()); // a folder, a read error
        } catch (CertificateException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IOException(file + ": not a PEM or DER certificate (" + root.getMessage() + ")");
        }
        if (found.isEmpty()) {
            throw new IOException(file + ": no certificate in it");
        }
        return found;
    }

    /** The certificates in {@code bytes} (PEM or DER, one or more), in order. */
    private static List<X509Certificate> certificates(byte[] bytes) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
            out.add((X509Certificate) c); // an X.509 factory makes nothing else
        }
        return out;
    }

    /** TLS trusting the system's authorities only. */
    static Parts systemParts(Engine engine) throws GeneralSecurityException {
        return over(new Anchors(List.of(), trustManager(null)), engine);
    }

    /** TLS whose chains {@code tm} checks, on the {@link #engine engine} asked for. */
    private static Parts over(X509ExtendedTrustManager tm, Engine engine) throws GeneralSecurityException {
        SSLContext tls = context(engine);
        tls.init(null, new TrustManager[] {tm}, null);
        return new Parts(tls.getSocketFactory(), tm);
    }

    /**
     * What speaks TLS: the handshakes and the encryption of every record. Certificate chains are checked the
     * same way on either, by the JDK's trust manager ({@link Anchors}), and host names by OkHttp's verifier.
     */
    public enum Engine {
        /** Conscrypt where its native library loads on this machine, else the JDK's. */
        AUTO,
        /**
         * Conscrypt: BoringSSL through JNI, as Android and OkHttp's Conscrypt platform use it. On the
         * small-files benchmark over https (200 packages, four mirrors on loopback, a cold JVM each run) its
         * first answer came 0.14-0.22 s into the download against 0.27-0.32 s with the JDK's TLS, whose
         * handshakes run cold Java code on a busy start, and it took about a fifth less processor time in all
         * (AES-GCM and the key exchange in native code; see bench/RESULTS.md).
         */
        CONSCRYPT,
        /** The JDK's own (SunJSSE): its providers, its security properties, a FIPS set-up of the JVM. */
        JDK;

        /** The engine a command line names: {@code auto}, {@code conscrypt} or {@code jdk}. */
        public static Engine named(String name) {
            for (Engine e : values()) {
                if (e.name().equalsIgnoreCase(name)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("'" + name + "' is not a TLS engine (auto, conscrypt or jdk)");
        }
    }

    private static volatile Engine engine = Engine.AUTO;

    /**
     * Chooses the TLS engine for every context made from now on: call it before any https is set up (a fetch
     * does, from its command line, as the JVM starts).
     */
    public static void engine(Engine e) {
        engine = java.util.Objects.requireNonNull(e);
    }

    /**
     * Whether {@code e} runs on Conscrypt here ({@code auto} resolved: loads Conscrypt's native library if it is
     * not loaded yet).
     */
    public static boolean onConscrypt(Engine e) {
        return e != Engine.JDK && Native.PROVIDER != null;
    }

    /**
     * Why engine {@code e} cannot run here, or null when it can ({@code auto} always can: it falls back to the
     * JDK's). Loads Conscrypt's native library for {@code conscrypt}.
     */
    public static String unavailable(Engine e) {
        return e == Engine.CONSCRYPT && Native.PROVIDER == null
                ? "Conscrypt cannot run here (" + Native.WHY_NOT + "); use --tls-engine jdk or auto" : null;
    }

    /** An uninitialised TLS context of engine {@code e}. */
    private static SSLContext context(Engine e) throws GeneralSecurityException {
        if (e != Engine.JDK) {
            if (Native.PROVIDER != null) {
                // Conscrypt's preferred context (TLS 1.3 and 1.2) made directly: see Native.
                return new SSLContext(org.conscrypt.Conscrypt.newPreferredSSLContextSpi(), Native.PROVIDER, "TLS") { };
            }
            if (e == Engine.CONSCRYPT) {
                throw new GeneralSecurityException(unavailable(e));
            }
        }
        return SSLContext.getInstance("TLS");
    }

    /**
     * Conscrypt, loaded once, at the first context that may use it: its classes and its native library are
     * never touched by a JVM that asks for the JDK's TLS. The library is found by name in {@code
     * java.library.path} (the launcher's {@code cli/target/native}) or else copied out of Conscrypt's jar to
     * {@code java.io.tmpdir} (tests, a bare class path). Where it cannot load (another processor or system, a
     * temporary folder mounted noexec) {@link #PROVIDER} is null and {@link #WHY_NOT} says why.
     *
     * <p>{@link #PROVIDER} only names Conscrypt on the contexts made from it: the client takes nothing from
     * Conscrypt but its TLS context, and {@code Conscrypt.newProvider()} registers its whole catalogue of
     * algorithms, one cold {@code Provider.put} after another. On the small-files https benchmark that took the
     * TLS set-up thread 14-49 ms on the way to the first handshake; the context made this way and set up takes
     * 1-17 ms after the library is loaded (bench/RESULTS.md).
     */
    private static final class Native {
        static final java.security.Provider PROVIDER;
        static final String WHY_NOT;

        static {
            java.security.Provider p = null;
            String why = null;
            try {
                org.conscrypt.Conscrypt.checkAvailability(); // the native library's own error if it did not load
                p = new java.security.Provider("Conscrypt", "2", "BoringSSL's TLS through Conscrypt (not registered)") { };
            } catch (LinkageError | RuntimeException x) {
                Throwable root = x;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                why = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
            }
            PROVIDER = p;
            WHY_NOT = why;
        }
    }

    /** TLS trusting the system's authorities and {@code extra}. */
    static Parts parts(List<X509Certificate> extra, Engine engine) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e); // an empty store reads nothing
        }
        int i = 0;
        for (X509Certificate c : extra) {
            store.setCertificateEntry("added-" + i++, c);
        }
        return over(new Anchors(extra, trustManager(store)), engine);
    }

    /** The default algorithm's trust manager over {@code store} (null: the system's trusted authorities). */
    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager t : f.getTrustManagers()) {
            if (t instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * Trusts a chain that the added authorities or the system's do, as one trust manager over both would: a
     * chain ends at one authority, so it passes over both exactly when it passes over the set holding that one.
     * The added ones are tried first; the system's are loaded only when they do not pass a chain. When neither
     * passes it, the added ones' reason is given for a chain that names one of them as an issuer (a certificate
     * of theirs for another host, say), else the system's. With no added authorities, {@code added} is the
     * system's trust manager itself: then only the key exchange's name is translated ({@link #jdkAuthType}).
     */
    static final class Anchors extends X509ExtendedTrustManager {
        private final List<X509Certificate> extra;
        private final X509ExtendedTrustManager added;
        private volatile X509ExtendedTrustManager system;

        Anchors(List<X509Certificate> extra, X509ExtendedTrustManager added) {
            this.extra = List.copyOf(extra);
            this.added = added;
        }

        private interface Check {
            void on(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void check(X509Certificate[] chain, Check check) throws CertificateException {
            if (extra.isEmpty()) {
                check.on(added);
                return;
            }
            try {
                check.on(added);
            } catch (CertificateException byAdded) {
                try {
                    check.on(system());
                } catch (CertificateException bySystem) {
                    throw namesAdded(chain) ? byAdded : bySystem;
                }
            }
        }

        private boolean namesAdded(X509Certificate[] chain) {
            for (X509Certificate c : chain) {
                X500Principal issuer = c.getIssuerX500Principal();
                for (X509Certificate a : extra) {
                    if (a.equals(c) || a.getSubjectX500Principal().equals(issuer)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * The key exchange as the JDK's trust manager names it. Over TLS 1.3 the certificate does not take part
         * in the key exchange: the JDK's own TLS says {@code UNKNOWN} for it, BoringSSL (Conscrypt) {@code
         * GENERIC}, which the JDK's end-entity check refuses ("Unknown authType: GENERIC"). Either way the
         * certificate must then be fit for signing, which the check still requires.
         */
        static String jdkAuthType(String authType) {
            return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
        }

        /** Whether the system's authorities have been loaded. */
        boolean systemLoaded() {
            return system != null;
        }

        private X509ExtendedTrustManager system() throws CertificateException {
            X509ExtendedTrustManager s = system;
            if (s == null) {
                synchronized (this) {
                    s = system;
                    if (s == null) {
                        try {
                            s = trustManager(null);
                        } catch (GeneralSecurityException e) {
                            throw new CertificateException("the system's trusted authorities: " + e.getMessage(), e);
                        }
                        system = s;
                    }
                }
            }
            return s;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, tm -> tm.checkServerTrusted(chain, jdkAuthType(authType), socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, tm -> tm.checkServerTrusted(chain, jdkAuthType(authType), engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, tm -> tm.checkServerTrusted(chain, jdkAuthType(authType)));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, tm -> tm.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, tm -> tm.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, tm -> tm.checkClientTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            if (extra.isEmpty()) {
                return added.getAcceptedIssuers();
            }
            List<X509Certificate> all = new ArrayList<>(extra);
            try {
                all.addAll(List.of(system().getAcceptedIssuers()));
            } catch (CertificateException e) {
                // the system's cannot be read: only the added ones are trusted, as the checks will find
            }
            return all.toArray(new X509Certificate[0]);
        }
    }
}
