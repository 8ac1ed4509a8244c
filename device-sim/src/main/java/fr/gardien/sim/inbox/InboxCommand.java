package fr.gardien.sim.inbox;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inbox}: the demo's ticketing system on localhost ({@link TicketInbox}). */
@Command(name = "inbox", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "A small ticketing system for trying Gardien's tickets on one machine, bound to 127.0.0.1 only: "
            + "receives the signed webhook deliveries on POST /hook (refusing those whose X-Gardien-Signature "
            + "does not verify), lists the tickets on GET / (and GET /tickets.json), and closes one on request "
            + "by calling Gardien's signed ticket callback, which resolves the alert.",
        "The secrets are read from the environment, never from the command line: GARDIEN_INBOX_WEBHOOK_SECRET "
            + "(the webhook connector's secret) and GARDIEN_INBOX_CALLBACK_SECRET (ticketing.callback.secret)."})
public final class InboxCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "8090", paramLabel = "P", description = "Port on 127.0.0.1 (0: a free one; default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--callback", required = true, paramLabel = "URL",
      description = "Gardien's ticket callback, e.g. http://localhost:8080/api/v1/tickets/callback.")
  URI callback;

  @Option(names = "--by", defaultValue = "inbox", paramLabel = "NAME", description = "Who closes, as Gardien records it (ticket:NAME; default: ${DEFAULT-VALUE}).")
  String by;

  @Override
  public Integer call() throws Exception {
    String webhook = System.getenv("GARDIEN_INBOX_WEBHOOK_SECRET");
    String callbackSecret = System.getenv("GARDIEN_INBOX_CALLBACK_SECRET");
    if (webhook == null || webhook.length() < 16 || callbackSecret == null || callbackSecret.length() < 32) {
      throw new ParameterException(spec.commandLine(), "GARDIEN_INBOX_WEBHOOK_SECRET (16 characters or more) and "
          + "GARDIEN_INBOX_CALLBACK_SECRET (32 or more) must be set");
    }
    if (!"http".equals(callback.getScheme()) && !"https".equals(callback.getScheme())) {
      throw new ParameterException(spec.commandLine(), "--callback must be an http(s) URL");
    }
    try (TicketInbox inbox = new TicketInbox(port, webhook, callback, callbackSecret, by, Clock.systemUTC())) {
      spec.commandLine().getOut().printf("ticket inbox on http://127.0.0.1:%d/ (webhook: POST /hook)%n", inbox.port());
      spec.commandLine().getOut().flush();
      new CountDownLatch(1).await(); // until the process is stopped
    }
    return 0;
  }
}
