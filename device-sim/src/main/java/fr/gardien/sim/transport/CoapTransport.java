package fr.gardien.sim.transport;

import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.senml.PackFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.DtlsHandshakeTimeoutException;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * A device over CoAP with DTLS-PSK (Eclipse Californium): identity = device id, key = its secret
 * (contract: "Device protocols"); confirmable {@code POST /telemetry}. 2.04 acknowledges a pack;
 * 5.03 (after its Max-Age) and an unreachable gateway are retryable; other codes are not. After a
 * time-out the DTLS session is dropped, so that the next attempt shakes hands anew (a restarted
 * gateway knows no session).
 */
final class CoapTransport extends ExchangeTransport {
  private final CoapEndpoint endpoint;
  private final DTLSConnector dtls;
  private final URI telemetry;
  private final PackFormat format;

  /**
   * @param base {@code coaps://HOST:PORT}
   * @param executor shared by the devices of a run (Californium's protocol stage)
   */
  CoapTransport(URI base, String deviceId, String secret, PackFormat format, ScheduledExecutorService executor,
      ScheduledExecutorService secondary) {
    Configuration config = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
        SystemConfig.DEFINITIONS);
    config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
    // Tell an unreachable gateway within seconds rather than after CoAP's 93 s default.
    config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2);
    config.set(CoapConfig.MAX_RETRANSMIT, 2);
    this.dtls = new DTLSConnector(DtlsConnectorConfig.builder(config)
        .setAdvancedPskStore(new AdvancedSinglePskStore(deviceId, secret.getBytes(StandardCharsets.UTF_8)))
        .build());
    dtls.setExecutor(executor);
    this.endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(dtls).build();
    endpoint.setExecutors(executor, secondary);
    this.telemetry = base.resolve("/telemetry");
    this.format = format;
  }

  @Override
  public void connect() throws PublishException {
    try {
      endpoint.start();
    } catch (IOException e) {
      throw new PublishException("cannot open a UDP socket: " + e.getMessage(), e);
    }
    CoapClient probe = new CoapClient(telemetry.toString());
    probe.setEndpoint(endpoint);
    boolean answered = probe.ping(15_000);
    if (!answered) {
      dtls.clearConnectionState();
      throw new PublishException("no answer from " + telemetry.resolve("/")
          + " (gateway unreachable, or DTLS handshake refused: check the device id and secret)", null, true, null);
    }
  }

  @Override
  public CompletableFuture<Void> send(byte[] pack) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Request request = Request.newPost();
    request.setURI(telemetry);
    request.setPayload(pack);
    request.getOptions().setContentFormat(format.contentFormat());
    request.addMessageObserver(new MessageObserverAdapter() {
      @Override
      public void onResponse(Response response) {
        answered();
        ResponseCode code = response.getCode();
        if (code.codeClass == 2) {
          done.complete(null);
        } else if (code == ResponseCode.SERVICE_UNAVAILABLE) {
          Duration retryAfter = response.getOptions().hasMaxAge()
              ? Duration.ofSeconds(response.getOptions().getMaxAge()) : null;
          done.completeExceptionally(new PublishException("5.03 service unavailable", null, true, retryAfter));
        } else {
          done.completeExceptionally(new PublishException(code + " " + code.name().toLowerCase().replace('_', ' '), null));
        }
      }

      @Override
      public void onTimeout() {
        unreachable();
      }

      @Override
      public void onSendError(Throwable error) {
        if (refusedHandshake(error)) {
          reachedButRefused();
          done.completeExceptionally(new PublishException("DTLS handshake refused (wrong identity or secret?)", error));
        } else {
          unreachable();
        }
      }

      @Override
      public void onCancel() {
        done.completeExceptionally(new PublishException("request cancelled", null, true, null));
      }

      private void unreachable() {
        lost();
        // A gateway restarted meanwhile knows no session: shake hands again next time.
        dtls.clearConnectionState();
        done.completeExceptionally(new PublishException("gateway unreachable", null, true, null));
      }
    });
    endpoint.sendRequest(request);
    return done;
  }

  /**
   * Whether the gateway answered the handshake but not the client's Finished flight (5), or sent
   * an alert: its key is not ours. Anything else (no answer, a stopped connector) is a gateway
   * out of reach, worth trying again.
   */
  static boolean refusedHandshake(Throwable error) {
    return error instanceof HandshakeException
        || (error instanceof DtlsHandshakeTimeoutException timeout && timeout.getFlightNumber() == 5);
  }

  @Override
  public void close(Duration quiesce) {
    endpoint.destroy();
  }
}
