package fr.gardien.sim.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The inbox's page, in French and English side by side (a demo tool, no language switch). */
final class InboxPage {
  private InboxPage() {}

  static String render(List<TicketInbox.Ticket> tickets, String formToken) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"refresh\" content=\"10\">")
        .append("<title>Tickets — boîte de démonstration / demo inbox</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1rem;color:#1d2430;background:#f5f6f8}")
        .append("table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #dde1e7;padding:.3rem .5rem;text-align:left;vertical-align:top}")
        .append(".state-resolved{color:#2e7d32}.err{color:#b3001b}input[type=text]{width:10rem;max-width:100%}")
        .append("@media (max-width:700px){thead{display:none}td{display:block;border:none}tr{display:block;border-bottom:2px solid #dde1e7}}")
        .append("</style></head><body><main><h1>Tickets reçus <span lang=\"en\">/ Tickets received</span></h1>")
        .append("<p>Une démo de système de tickets : webhook signé de Gardien reçu sur <code>/hook</code>, signature vérifiée ; ")
        .append("« Fermer » rappelle Gardien (callback signé) et résout l’alerte. <span lang=\"en\">A demo ticketing system: ")
        .append("Gardien's signed webhook received on <code>/hook</code>, signature verified; “Close” calls Gardien back ")
        .append("(signed callback), which resolves the alert.</span> (")
        .append(tickets.size()).append(" ticket(s))</p>");
    if (tickets.isEmpty()) {
      b.append("<p>Aucun ticket pour l’instant. <span lang=\"en\">No ticket yet.</span></p>");
    } else {
      b.append("<table><thead><tr><th>Ticket</th><th>Site</th><th>Équipement <span lang=\"en\">/ Equipment</span></th>")
          .append("<th>Alerte <span lang=\"en\">/ Alert</span></th><th>État <span lang=\"en\">/ State</span></th>")
          .append("<th>Historique <span lang=\"en\">/ History</span></th><th></th></tr></thead><tbody>");
      for (TicketInbox.Ticket t : tickets) {
        JsonNode a = t.latest();
        boolean digest = "digest".equals(a.path("kind").asText());
        String state = digest ? "digest" : a.path("state").asText();
        b.append("<tr data-ref=\"").append(esc(t.ref())).append("\" data-alert=\"").append(esc(a.path("alertId").asText()))
            .append("\" data-state=\"").append(esc(state)).append("\"><td>").append(esc(t.ref())).append("</td><td>")
            .append(esc(a.path("siteName").asText(a.path("site").asText()))).append("</td><td>")
            .append(esc(a.path("equipment").asText())).append(" (").append(esc(a.path("equipmentType").asText()))
            .append(")</td><td><strong>").append(esc(a.path("severity").asText())).append("</strong> ")
            .append(esc(a.path("summary").asText())).append("<br><small>").append(esc(a.path("rule").asText()))
            .append(" · ").append(esc(a.path("firstSeen").asText())).append("</small>");
        String link = a.path("dashboardUrl").asText();
        if (link.startsWith("http://") || link.startsWith("https://")) {
          b.append("<br><a href=\"").append(esc(link)).append("\">Gardien</a>");
        }
        b.append("</td><td class=\"state-").append(esc(state)).append("\">").append(esc(state)).append("</td><td>")
            .append(esc(String.join(" → ", t.transitions()))).append("</td><td>");
        if (!digest && !"resolved".equals(state)) {
          b.append("<form method=\"post\" action=\"/close\"><input type=\"hidden\" name=\"token\" value=\"")
              .append(esc(formToken)).append("\"><input type=\"hidden\" name=\"alert\" value=\"")
              .append(esc(a.path("alertId").asText())).append("\"><label>Note <input type=\"text\" name=\"note\" maxlength=\"4000\"></label> ")
              .append("<button type=\"submit\">Fermer <span lang=\"en\">/ Close</span></button></form>");
        }
        if (t.closeError() != null) {
          b.append("<p class=\"err\">").append(esc(t.closeError())).append("</p>");
        }
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    return b.append("</main></body></html>").toString();
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
