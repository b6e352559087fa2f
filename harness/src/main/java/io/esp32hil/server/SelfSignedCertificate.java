package io.esp32hil.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate made for one run with the JDK's keytool (no private key ever leaves the run's
 * folder), so {@code wss://} needs nothing installed. Boards pin it by fingerprint or load its PEM.
 */
public final class SelfSignedCertificate {
    private static final char[] PASSWORD = "hil-run".toCharArray(); // protects a throw-away key in a temp folder

    private final SSLContext context;
    private final String pem;
    private final String sha256;

    private SelfSignedCertificate(SSLContext context, String pem, String sha256) {
        this.context = context;
        this.pem = pem;
        this.sha256 = sha256;
    }

    /** Makes a key pair and certificate for the given host (a name or an IP address) in dir. */
    public static SelfSignedCertificate create(Path dir, String host) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve("server.p12");
            Files.deleteIfExists(store);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            String san = host.matches("[0-9.]+|.*:.*") ? "ip:" + host : "dns:" + host;
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                            "-validity", "7", "-dname", "CN=" + host, "-ext", "san=" + san, "-storetype", "PKCS12",
                            "-keystore", store.toString(), "-storepass", new String(PASSWORD))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make a certificate: " + out.strip());
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            Certificate cert = ks.getCertificate("server");
            byte[] der = cert.getEncoded();
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(dir.resolve("server.pem"), pem);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            return new SelfSignedCertificate(ctx, pem, sha);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS certificate in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a TLS certificate", e);
        }
    }

    public SSLContext sslContext() {
        return context;
    }

    /** The certificate in PEM, for a board's TLS_CA_FILE. */
    public String pem() {
        return pem;
    }

    /** SHA-256 of the certificate, lower-case hex, for a board's TLS_FINGERPRINT. */
    public String sha256() {
        return sha256;
    }
}
