package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/**
 * The trust manager of {@code fetch --ca-certificate}: the added authorities and the system's, the latter
 * loaded only for a chain the added ones do not pass, and the reason given when neither does.
 */
class TrustTest {
    private static final HeldCertificate AUTHORITY =
            new HeldCertificate.Builder().certificateAuthority(0).commonName("mirrorswarm trust test").rsa2048().build();

    private static X509Certificate[] chain(HeldCertificate leaf, HeldCertificate by) {
        return new X509Certificate[] {leaf.certificate(), by.certificate()};
    }

    private static HeldCertificate leaf(HeldCertificate by) {
        return new HeldCertificate.Builder().commonName("mirror").addSubjectAlternativeName("mirror.example")
                .rsa2048().signedBy(by).build();
    }

    private static Trust.Anchors anchors() throws Exception {
        return (Trust.Anchors) Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.JDK).trust();
    }

    @Test
    void aChainOfAnAddedAuthorityPassesWithoutTheSystemAuthorities() throws Exception {
        Trust.Anchors a = anchors();
        a.checkServerTrusted(chain(leaf(AUTHORITY), AUTHORITY), "RSA");
        assertThat(a.systemLoaded()).as("the system's authorities were not needed").isFalse();
    }

    @Test
    void anUnknownChainIsRefusedForTheSystemsReason() throws Exception {
        Trust.Anchors a = anchors();
        HeldCertificate stranger = new HeldCertificate.Builder().certificateAuthority(0).commonName("stranger")
                .rsa2048().build();
        assertThatThrownBy(() -> a.checkServerTrusted(chain(leaf(stranger), stranger), "RSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("unable to find valid certification path");
        assertThat(a.systemLoaded()).as("the system's authorities were asked").isTrue();
    }

    @Test
    void aForgedChainInTheAddedAuthoritysNameGetsItsReason() throws Exception {
        // Another key under the added authority's name: the system's authorities do not know that name either,
        // but the added ones are the ones the chain claims, and their reason (a bad signature) is the one told.
        HeldCertificate forger = new HeldCertificate.Builder().certificateAuthority(0)
                .commonName("mirrorswarm trust test").rsa2048().build();
        Trust.Anchors a = anchors();
        CertificateException byAdded = null;
        try {
            ((javax.net.ssl.X509TrustManager) Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.JDK).trust())
                    .checkServerTrusted(chain(leaf(forger), forger), "RSA");
        } catch (CertificateException e) {
            byAdded = e;
        }
        assertThat(byAdded).isNotNull();
        String expected = byAdded.getMessage();
        assertThatThrownBy(() -> a.checkServerTrusted(chain(leaf(forger), forger), "RSA"))
                .isInstanceOf(CertificateException.class).hasMessage(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("unable to find valid certification path"));
    }

    @Test
    void itAcceptsTheAddedAuthoritiesAndTheSystemOnes() throws Exception {
        X509Certificate[] issuers = anchors().getAcceptedIssuers();
        assertThat(issuers).contains(AUTHORITY.certificate()).hasSizeGreaterThan(1);
    }

    @Test
    void overTls13ConscryptsNameForTheKeyExchangeIsTheJdksUnknown() throws Exception {
        Trust.Anchors a = anchors();
        // BoringSSL says GENERIC where the JDK's own TLS 1.3 says UNKNOWN; the JDK's check refused it as such.
        a.checkServerTrusted(chain(leaf(AUTHORITY), AUTHORITY), "GENERIC");
        // With no added authorities (the system's alone, stood in for here by a store holding AUTHORITY).
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("system", AUTHORITY.certificate());
        javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        Trust.Anchors systemOnly = new Trust.Anchors(List.of(),
                (javax.net.ssl.X509ExtendedTrustManager) f.getTrustManagers()[0]);
        systemOnly.checkServerTrusted(chain(leaf(AUTHORITY), AUTHORITY), "GENERIC");
        assertThat(Trust.systemParts(Trust.Engine.JDK).trust()).as("the system's trust manager is wrapped too")
                .isInstanceOf(Trust.Anchors.class);
        assertThat(Trust.Anchors.jdkAuthType("GENERIC")).isEqualTo("UNKNOWN");
        assertThat(Trust.Anchors.jdkAuthType("ECDHE_RSA")).isEqualTo("ECDHE_RSA");
    }

    @Test
    void theEngineAskedForMakesTheSockets() throws Exception {
        assertThat(Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.JDK).factory().getClass().getName())
                .startsWith("sun.security.ssl.");
        if (Trust.onConscrypt(Trust.Engine.AUTO)) {
            assertThat(Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.CONSCRYPT).factory().getClass().getName())
                    .startsWith("org.conscrypt.");
            assertThat(Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.AUTO).factory().getClass().getName())
                    .startsWith("org.conscrypt.");
        } else {
            assertThatThrownBy(() -> Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.CONSCRYPT))
                    .hasMessageContaining("--tls-engine jdk");
        }
    }

    @Test
    void conscryptLoadsOnTheMachinesItShipsFor() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean shipped = (os.contains("linux") || os.contains("mac")) && (arch.equals("amd64") || arch.equals("x86_64")
                || arch.equals("aarch64")) || os.contains("windows") && arch.equals("amd64");
        if (shipped) {
            assertThat(Trust.onConscrypt(Trust.Engine.AUTO)).as("Conscrypt's library for " + os + " " + arch).isTrue();
        }
        assertThat(Trust.onConscrypt(Trust.Engine.JDK)).isFalse();
    }

    @Test
    void conscryptsContextSpeaksWhatItsProvidersTlsContextDoes() throws Exception {
        // The context is made from Conscrypt's preferred implementation, not through its provider (which is never
        // created): it must offer what SSLContext.getInstance("TLS", Conscrypt.newProvider()) offers.
        if (!Trust.onConscrypt(Trust.Engine.AUTO)) {
            return;
        }
        javax.net.ssl.SSLSocketFactory ours = Trust.parts(List.of(AUTHORITY.certificate()), Trust.Engine.CONSCRYPT).factory();
        javax.net.ssl.SSLContext reference = javax.net.ssl.SSLContext.getInstance("TLS", org.conscrypt.Conscrypt.newProvider());
        reference.init(null, null, null);
        try (javax.net.ssl.SSLSocket a = (javax.net.ssl.SSLSocket) ours.createSocket();
             javax.net.ssl.SSLSocket b = (javax.net.ssl.SSLSocket) reference.getSocketFactory().createSocket()) {
            assertThat(a.getEnabledProtocols()).containsExactly(b.getEnabledProtocols()).contains("TLSv1.3", "TLSv1.2")
                    .doesNotContain("TLSv1", "TLSv1.1");
            assertThat(a.getEnabledCipherSuites()).containsExactly(b.getEnabledCipherSuites());
            assertThat(a.getClass()).isEqualTo(b.getClass());
        }
    }

    @Test
    void anEngineIsNamedAsOnTheCommandLine() {
        assertThat(Trust.Engine.named("jdk")).isEqualTo(Trust.Engine.JDK);
        assertThat(Trust.Engine.named("Conscrypt")).isEqualTo(Trust.Engine.CONSCRYPT);
        assertThatThrownBy(() -> Trust.Engine.named("openssl")).hasMessage("'openssl' is not a TLS engine (auto, conscrypt or jdk)");
    }

    @Test
    void theChainCheckWarmUpRunsAWholeCheckThatPasses() {
        // A warm-up whose chain failed early (expired, unparsable, an unknown authority) would skip the path
        // validation it is there to run ahead.
        assertThat(Trust.CheckWarmUp.run()).as("the throwaway chain passes the JDK's check").isTrue();
    }

    @Test
    void theWarmUpsThrowawayCertificateIsTrustedByNoFetch() throws Exception {
        List<X509Certificate> certs = Trust.CheckWarmUp.chain();
        assertThat(certs).hasSize(2);
        X509Certificate[] chain = certs.toArray(new X509Certificate[0]);
        assertThatThrownBy(() -> anchors().checkServerTrusted(chain, "UNKNOWN")).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> ((javax.net.ssl.X509TrustManager) Trust.systemParts(Trust.Engine.JDK).trust())
                .checkServerTrusted(chain, "UNKNOWN")).isInstanceOf(CertificateException.class);
    }

    /**
     * An error on the thread setting the TLS up (in a fetch, a heap too small for the key store of the system's
     * authorities; here a certificate file whose every method throws one) reaches whoever waits for the TLS, as
     * is. It used to end that thread with a stack trace and leave them waiting for ever.
     */
    @Test
    void anErrorSettingUpTheTlsReachesWhoeverWaitsForIt() {
        OutOfMemoryError error = new OutOfMemoryError("Java heap space (thrown by the test)");
        Path file = (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class},
                (proxy, method, args) -> {
                    throw error;
                });
        Trust.Pending tls = Trust.Pending.start(file);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(tls::awaitFile).isSameAs(error);
            assertThatThrownBy(() -> LiveDownload.pipeTls(tls.ready()).factory().get()).isSameAs(error);
        });
    }
}
