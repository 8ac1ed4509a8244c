package fr.gardien.gateway.ingest.mqtt;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The device id a verified client certificate names (issue 14, {@code mqtt.tls.client-ca}): the
 * subject's common name (CN), as mosquitto's {@code use_identity_as_username} reads it. Subject
 * alternative names are not read.
 */
final class ClientCertificates {

    private ClientCertificates() {
    }

    /** The CN of the peer's certificate, or {@code null} when there is none (no session, no certificate, no CN). */
    static String deviceId(SSLSession session) {
        if (session == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        return commonName(leaf.getSubjectX500Principal().getName());
    }

    /** The last CN of an RFC 2253 name (the most specific); {@code null} without one. */
    static String commonName(String rfc2253) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
