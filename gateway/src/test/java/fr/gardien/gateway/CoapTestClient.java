package fr.gardien.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** A Californium client for the gateway's {@code /telemetry}: DTLS-PSK with a device's id and secret, or plain UDP. */
final class CoapTestClient implements AutoCloseable {

    private final CoapClient client;
    private final CoapEndpoint endpoint;

    private CoapTestClient(String uri, CoapEndpoint endpoint, long timeoutMillis) {
        this.endpoint = endpoint;
        this.client = new CoapClient(uri);
        client.setEndpoint(endpoint);
        client.setTimeout(timeoutMillis);
    }

    /** A client over DTLS-PSK: identity = {@code device}, key = {@code secret} in UTF-8. */
    static CoapTestClient dtls(int port, String device, String secret) {
        return dtls(null, port, device, secret, 2, null, 20_000);
    }

    /**
     * A client over DTLS-PSK for a handshake the gateway must refuse: the gateway answers a wrong
     * key or an unknown identity with silence, so the client gives up after its last retransmission,
     * here 0.5 + 1 + 2 s instead of the 2 + 4 + 8 s of Scandium's default 2 s first timeout. A
     * handshake the gateway accepted would be over in milliseconds on loopback.
     */
    static CoapTestClient dtlsRefused(int port, String device, String secret) {
        return dtls(null, port, device, secret, 2, Duration.ofMillis(500), 20_000);
    }

    /**
     * A client over DTLS-PSK bound to a chosen loopback address ({@code 127.0.0.x}), that gives up
     * quickly: a handshake retransmitted once after 300 ms, an answer awaited {@code timeoutMillis}.
     */
    static CoapTestClient dtlsFrom(String from, int port, String device, String secret, long timeoutMillis) {
        return dtls(from, port, device, secret, 1, Duration.ofMillis(300), timeoutMillis);
    }

    /** {@code from} null: any local address; {@code firstRetransmission} null: Scandium's default. */
    private static CoapTestClient dtls(String from, int port, String device, String secret, int retransmissions,
            Duration firstRetransmission, long timeoutMillis) {
        Configuration config = configuration();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, retransmissions);
        if (firstRetransmission != null) {
            config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, firstRetransmission.toMillis(), TimeUnit.MILLISECONDS);
        }
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAdvancedPskStore(new AdvancedSinglePskStore(device, secret.getBytes(StandardCharsets.UTF_8)));
        if (from != null) {
            dtls.setAddress(new InetSocketAddress(from, 0));
        }
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setConnector(new DTLSConnector(dtls.build())).build();
        return new CoapTestClient("coaps://127.0.0.1:" + port + "/telemetry", endpoint, timeoutMillis);
    }

    /** A plain CoAP client, the query ({@code d=…&s=…}) appended as given. */
    static CoapTestClient plain(int port, String query) {
        Configuration config = configuration();
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).build();
        return new CoapTestClient("coap://127.0.0.1:" + port + "/telemetry" + (query.isEmpty() ? "" : "?" + query), endpoint,
                20_000);
    }

    private static Configuration configuration() {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                SystemConfig.DEFINITIONS);
        // The tests want to see each 4.13 themselves, not have Californium retry block-wise after it.
        config.set(CoapConfig.BLOCKWISE_ENTITY_TOO_LARGE_AUTO_FAILOVER, false);
        return config;
    }

    CoapTestClient nonConfirmable() {
        client.useNONs();
        return this;
    }

    /** Posts and waits: the response, or {@code null} when none came (failed handshake, time-out). */
    CoapResponse post(byte[] payload, int contentFormat) {
        try {
            return client.post(payload, contentFormat);
        } catch (ConnectorException | IOException e) {
            return null;
        }
    }

    /** Posts without waiting. */
    CompletableFuture<CoapResponse> postAsync(byte[] payload, int contentFormat) {
        CompletableFuture<CoapResponse> response = new CompletableFuture<>();
        client.post(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse r) {
                response.complete(r);
            }

            @Override
            public void onError() {
                response.completeExceptionally(new IOException("no response"));
            }
        }, payload, contentFormat);
        return response.orTimeout(90, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.shutdown();
        endpoint.destroy();
    }
}
