package fr.gardien.sim.transport;

import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.senml.PackFormat;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The gateway a run talks to and how: exactly one of {@code --mqtt}, {@code --coap} or
 * {@code --http} (contract: "Device simulator"), with the portfolio whose devices connect.
 * Opens one {@link Transport} per device; {@link #close} frees what the devices share.
 */
public final class TransportTarget implements AutoCloseable {

  @Option(names = "--portfolio", required = true, paramLabel = "FILE",
      description = "Portfolio YAML file (devices with plain secrets).")
  public Path portfolioFile;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Endpoint endpoint;

  static final class Endpoint {
    @Option(names = "--mqtt", paramLabel = "tcp://HOST:PORT[,tcp://HOST:PORT...]",
        description = "MQTT endpoint of the gateway; several, comma-separated, spread the devices over them in turn"
            + " (a cluster's edges, README \"Cluster\").")
    String mqtt;

    @Option(names = "--coap", paramLabel = "coaps://HOST:PORT",
        description = "CoAP over DTLS-PSK endpoint of the gateway (identity = device id, key = secret).")
    String coap;

    @Option(names = "--http", paramLabel = "http://HOST:PORT", description = "HTTP endpoint of the gateway (Basic credentials).")
    String http;
  }

  @Option(names = "--mqtt-version", defaultValue = "3", paramLabel = "3|5",
      description = "MQTT 3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  public int mqttVersion;

  @Option(names = "--format", defaultValue = "json", paramLabel = "json|cbor",
      description = "SenML encoding over CoAP and HTTP; MQTT carries JSON (default: ${DEFAULT-VALUE}).")
  String format;

  private ScheduledExecutorService coapExecutor;
  private ScheduledExecutorService coapSecondary;
  private HttpClient httpClient;
  private int mqttOpened;

  /** Refuses an unknown MQTT version, encoding or URI scheme. */
  public void validate(CommandSpec spec) {
    if (mqttVersion != 3 && mqttVersion != 5) {
      throw new ParameterException(spec.commandLine(), "--mqtt-version must be 3 or 5");
    }
    if (!format.equalsIgnoreCase("json") && !format.equalsIgnoreCase("cbor")) {
      throw new ParameterException(spec.commandLine(), "--format must be json or cbor");
    }
    if (endpoint.mqtt != null && packFormat() == PackFormat.CBOR) {
      throw new ParameterException(spec.commandLine(), "--format cbor needs --coap or --http: MQTT carries SenML JSON");
    }
    if (endpoint.mqtt != null && mqttEndpoints().stream().anyMatch(String::isBlank)) {
      throw new ParameterException(spec.commandLine(), "--mqtt: an empty endpoint in '" + endpoint.mqtt + "'");
    }
    if (endpoint.coap != null && !endpoint.coap.startsWith("coaps://")) {
      throw new ParameterException(spec.commandLine(), "--coap expects coaps://HOST:PORT (DTLS-PSK)");
    }
    if (endpoint.http != null && !endpoint.http.startsWith("http://") && !endpoint.http.startsWith("https://")) {
      throw new ParameterException(spec.commandLine(), "--http expects http://HOST:PORT or https://HOST:PORT");
    }
    for (String uri : new String[] {endpoint.coap, endpoint.http}) {
      if (uri != null) {
        try {
          if (new URI(uri).getHost() == null) {
            throw new URISyntaxException(uri, "no host");
          }
        } catch (URISyntaxException e) {
          throw new ParameterException(spec.commandLine(), "not a valid endpoint: " + uri);
        }
      }
    }
  }

  /** The portfolio, or {@code null} after printing every problem of the file to {@code err}. */
  public Portfolio readPortfolio(PrintWriter err) {
    return PortfolioReader.read(portfolioFile, err);
  }

  /** Whether the devices talk MQTT (where QoS 0 means written, not acknowledged). */
  public boolean mqtt() {
    return endpoint.mqtt != null;
  }

  private List<String> mqttEndpoints() {
    return Arrays.stream(endpoint.mqtt.split(",", -1)).map(String::trim).toList();
  }

  /** The endpoint as given on the command line. */
  public String uri() {
    return endpoint.mqtt != null ? endpoint.mqtt : endpoint.coap != null ? endpoint.coap : endpoint.http;
  }

  /** The transport in words, for the run's banner: {@code MQTT 5 QoS 1}, {@code CoAP (DTLS-PSK) CBOR}, … */
  public String describe(int qos) {
    if (endpoint.mqtt != null) {
      return "MQTT " + mqttVersion + " QoS " + qos;
    }
    return (endpoint.coap != null ? "CoAP (DTLS-PSK) " : "HTTP ") + packFormat();
  }

  /** The SenML encoding of the packs. */
  public PackFormat packFormat() {
    return format.equalsIgnoreCase("cbor") ? PackFormat.CBOR : PackFormat.JSON;
  }

  /**
   * A transport for one device; nothing is connected yet.
   *
   * @param qos MQTT QoS (ignored by CoAP, always confirmable, and HTTP)
   * @param maxInflight the device's window, which MQTT also announces to Paho
   * @param ackTimeout how long an HTTP request may take
   */
  public synchronized Transport open(Portfolio.Device device, int qos, int maxInflight, Duration ackTimeout)
      throws PublishException {
    if (endpoint.mqtt != null) {
      // Several edges: the n-th device opened goes to the n-th endpoint, in turn.
      List<String> endpoints = mqttEndpoints();
      String uri = endpoints.get(mqttOpened++ % endpoints.size());
      MqttLink link = MqttLink.create(new MqttLink.Settings(uri, mqttVersion, device.id(), device.id(),
          device.secret(), maxInflight, true, Duration.ofSeconds(10)));
      return new MqttTransport(link, device.id(), qos);
    }
    if (endpoint.coap != null) {
      if (coapExecutor == null) {
        coapExecutor = Executors.newScheduledThreadPool(2, daemon("sim-coap"));
        coapSecondary = Executors.newSingleThreadScheduledExecutor(daemon("sim-coap-timer"));
      }
      return new CoapTransport(URI.create(endpoint.coap), device.id(), device.secret(), packFormat(), coapExecutor,
          coapSecondary);
    }
    if (httpClient == null) {
      httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    return new HttpTransport(httpClient, URI.create(endpoint.http), device.id(), device.secret(), packFormat(), ackTimeout);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Frees the executors and client the devices shared; call after closing every transport. */
  @Override
  public synchronized void close() {
    if (coapExecutor != null) {
      coapExecutor.shutdownNow();
      coapSecondary.shutdownNow();
    }
    httpClient = null; // JDK 17's HttpClient has no close(): its threads end once unreferenced
  }
}
