package io.gpfo.arbiter;

import io.gpfo.config.GpfoConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context for https etcd endpoints, from PEM files as etcd's own tools take them: the CA
 * that signed the members (else the runtime's trust store) and a client certificate with its
 * unencrypted PKCS#8 key. A file that cannot be used is named in the error.
 */
public final class EtcdTls {

    private static final char[] NO_PASSWORD = new char[0];

    private EtcdTls() {
    }

    /** @throws IllegalStateException naming the file that could not be used, and why */
    public static SSLContext context(GpfoConfig.Arbiter arbiter) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (arbiter.caFile().isPresent()) {
                KeyStore authorities = emptyStore();
                int index = 0;
                for (Certificate certificate : certificates(arbiter.caFile().get())) {
                    authorities.setCertificateEntry("ca" + index++, certificate);
                }
                trust.init(authorities);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore client = emptyStore();
            if (arbiter.clientCertificate().isPresent()) {
                GpfoConfig.ClientCertificate certificate = arbiter.clientCertificate().get();
                client.setKeyEntry("client", privateKey(certificate.keyFile()), NO_PASSWORD,
                        certificates(certificate.certFile()).toArray(Certificate[]::new));
            }
            keys.init(client, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("arbiter TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, NO_PASSWORD);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException(file + " holds no PEM certificate");
            }
            return certificates;
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " is not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out " + file + "'");
        }
        String base64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new GeneralSecurityException(file + " holds a key that is neither RSA, EC nor Ed25519");
    }
}
