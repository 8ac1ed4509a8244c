package fr.gardien.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's
 * {@code keytool} and written as the PEM files an operator would give the gateway.
 *
 * @param cert the certificate, PEM
 * @param key its private key, PEM (unencrypted PKCS#8)
 * @param certificate the certificate, for a client's trust store
 * @param store the PKCS#12 key store keytool made, holding the key and the certificate
 */
public record TestCertificates(Path cert, Path key, Certificate certificate, Path store) {

    private static final char[] STORE_PASSWORD = "test-store".toCharArray();

    /** Generates a fresh key pair and certificate under {@code dir}, named after {@code name}. */
    public static TestCertificates generate(Path dir, String name) throws IOException, GeneralSecurityException, InterruptedException {
        Path store = keyPair(dir, name, "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        return written(dir, name, store, load(store).getCertificate(name));
    }

    /** A certificate authority, for client certificates: a key pair whose certificate may sign others. */
    public static TestCertificates authority(Path dir, String name) throws IOException, GeneralSecurityException, InterruptedException {
        Path store = keyPair(dir, name, "CN=" + name, "bc:c");
        return written(dir, name, store, load(store).getCertificate(name));
    }

    /** A certificate whose subject is {@code CN=<cn>}, signed by this authority (keytool -certreq, -gencert). */
    public TestCertificates sign(Path dir, String name, String cn) throws IOException, GeneralSecurityException, InterruptedException {
        Path store = keyPair(dir, name, "CN=" + cn, "KeyUsage=digitalSignature");
        Path request = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".cer");
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD),
                "-file", request.toString());
        String authority = this.store.getFileName().toString().replace(".p12", "");
        keytool("-gencert", "-alias", authority, "-keystore", this.store.toString(), "-storepass", new String(STORE_PASSWORD),
                "-infile", request.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "2");
        Certificate certificate;
        try (InputStream in = Files.newInputStream(signed)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return written(dir, name, store, certificate);
    }

    /** A TLS context that presents {@code identity} as client certificate and trusts this certificate only. */
    public SSLContext clientContext(TestCertificates identity) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new PemKeyCertOptions().setCertValue(Buffer.buffer(Files.readAllBytes(identity.cert())))
                .setKeyValue(Buffer.buffer(Files.readAllBytes(identity.key()))).getKeyManagerFactory(null).getKeyManagers(),
                trustManagers(), null);
        return context;
    }

    private static Path keyPair(Path dir, String name, String dname, String ext) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", dname, "-ext", ext, "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD));
        return store;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(java.util.List.of(arguments));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        return keyStore;
    }

    private static TestCertificates written(Path dir, String name, Path store, Certificate certificate)
            throws IOException, GeneralSecurityException {
        Path cert = Files.writeString(dir.resolve(name + "-cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Path key = Files.writeString(dir.resolve(name + "-key.pem"),
                pem("PRIVATE KEY", load(store).getKey(name, STORE_PASSWORD).getEncoded()));
        return new TestCertificates(cert, key, certificate, store);
    }

    /** A TLS context that trusts this certificate only. */
    public SSLContext clientContext() throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(), null);
        return context;
    }

    private javax.net.ssl.TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
