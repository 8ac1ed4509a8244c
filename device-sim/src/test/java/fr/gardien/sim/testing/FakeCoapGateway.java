package fr.gardien.sim.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * A stand-in for the gateway's CoAP endpoint (Californium, DTLS-PSK with the devices' secrets):
 * records each POST to {@code /telemetry} with its DTLS identity and answers 2.04. It can be
 * stopped and started again on the same port; a restarted one knows no DTLS session, like a
 * restarted gateway.
 */
public final class FakeCoapGateway implements AutoCloseable {

  /** One pack as received: the DTLS identity, its content-format and payload. */
  public record Received(String device, int contentFormat, byte[] payload) {}

  private final Map<String, String> secrets;
  private final List<Received> received = new ArrayList<>();
  private CoapServer server;
  private int port;

  public FakeCoapGateway(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /** Starts on a free loopback port, or again on the port it had. */
  public synchronized FakeCoapGateway start() {
    Configuration config = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
        SystemConfig.DEFINITIONS);
    config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
    AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
    secrets.forEach((id, secret) -> keys.setKey(id, secret.getBytes(StandardCharsets.UTF_8)));
    DTLSConnector dtls = new DTLSConnector(DtlsConnectorConfig.builder(config)
        .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .setAdvancedPskStore(keys).build());
    server = new CoapServer(config);
    server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(dtls).build());
    server.add(new CoapResource("telemetry") {
      @Override
      public void handlePOST(CoapExchange exchange) {
        PreSharedKeyIdentity identity = (PreSharedKeyIdentity) exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
        synchronized (FakeCoapGateway.this) {
          received.add(new Received(identity.getIdentity(), exchange.getRequestOptions().getContentFormat(),
              exchange.getRequestPayload()));
        }
        exchange.respond(ResponseCode.CHANGED);
      }
    });
    server.start();
    port = dtls.getAddress().getPort();
    return this;
  }

  /** Stops at once and forgets every DTLS session. */
  public synchronized void stop() {
    if (server != null) {
      server.destroy();
      server = null;
    }
  }

  public String uri() {
    return "coaps://127.0.0.1:" + port;
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    stop();
  }
}
