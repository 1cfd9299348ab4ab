package org.mirrorswarm.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
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

    /**
     * {@code client} (TLS set up if it was built without) trusting the system's authorities and those in
     * {@code file} (PEM or DER, one or more certificates). A file that cannot be read, or holds no certificate,
     * is an {@link IOException} naming it.
     */
    public static OkHttpClient adding(OkHttpClient client, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": a folder, not a certificate file");
        }
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(file)) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
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
        if (extra.isEmpty()) {
            throw new IOException(file + ": no certificate in it");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : trustManager(null).getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + i++, c);
            }
            for (Certificate c : extra) {
                store.setCertificateEntry("added-" + i++, c);
            }
            X509TrustManager tm = trustManager(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {tm}, null);
            return client.newBuilder()
                    .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                    .sslSocketFactory(tls.getSocketFactory(), tm)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** The default algorithm's trust manager over {@code store} (null: the system's trusted authorities). */
    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager t : f.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
