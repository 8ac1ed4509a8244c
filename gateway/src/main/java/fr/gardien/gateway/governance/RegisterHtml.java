package fr.gardien.gateway.governance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The processing register as one HTML page, each heading in French and English. */
final class RegisterHtml {

    private RegisterHtml() {
    }

    static String render(JsonObject r) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
                + "<title>Registre des traitements / Record of processing activities</title></head><body>");
        h.append("<h1>Registre des activités de traitement (RGPD art. 30) / Record of processing activities (GDPR art. 30)</h1>");
        h.append("<p>Responsable du traitement / Controller: ").append(esc(r.getString("controller")))
                .append("<br>Délégué à la protection des données / Data-protection officer: ").append(esc(r.getString("dpoContact")))
                .append("<br>Généré le / Generated at: ").append(esc(r.getString("generatedAt"))).append("</p>");
        if (!r.getBoolean("declaredByController")) {
            h.append("<p><strong>Déclarations intégrées, non revues par le responsable / Built-in declarations, not reviewed"
                    + " by the controller</strong> (governance)</p>");
        }
        h.append("<h2>Finalités et durées de conservation / Purposes and retention</h2><table border=\"1\"><tr>"
                + "<th>Catégorie / Category</th><th>Finalité / Purpose</th><th>Base légale / Legal basis</th>"
                + "<th>Mesures brutes / Raw readings</th><th>Agrégats / Rollups</th><th>Quarantaine / Quarantine</th><th>Points</th>"
                + "<th>Mesures stockées / Readings stored</th></tr>");
        for (Object o : r.getJsonArray("processing")) {
            JsonObject p = (JsonObject) o;
            h.append("<tr><td>").append(esc(p.getString("category"))).append("</td><td>").append(esc(p.getString("purpose")))
                    .append("</td><td>").append(esc(p.getString("legalBasis"))).append("</td><td>")
                    .append(esc(p.getString("retention"))).append("</td><td>").append(esc(p.getString("rollupRetention")))
                    .append("</td><td>").append(esc(p.getString("quarantineRetention")))
                    .append("</td><td>").append(p.getValue("points")).append("</td><td>")
                    .append(p.getValue("readingsStored") == null ? "" : p.getValue("readingsStored")).append("</td></tr>");
        }
        h.append("</table><h2>Personnes concernées / Data subjects</h2>").append(list(r.getJsonArray("dataSubjects")));
        h.append("<h2>Destinataires / Recipients</h2><ul>");
        for (Object o : r.getJsonArray("recipients")) {
            JsonObject c = (JsonObject) o;
            h.append("<li>").append(esc(c.getString("connector"))).append(" (").append(esc(c.getString("type"))).append(", ")
                    .append(esc(c.getString("host"))).append("): ")
                    .append(esc(String.join(", ", c.getJsonArray("receives").stream().map(Object::toString).toList())))
                    .append("</li>");
        }
        h.append("</ul><h2>Transferts hors UE / Transfers outside the EU</h2><p>").append(esc(r.getString("transfers")))
                .append("</p><h2>Autres durées / Other retention</h2>").append(map(r.getJsonObject("retention")))
                .append("<h2>Mesures de sécurité / Security measures</h2>").append(map(r.getJsonObject("security")))
                .append("</body></html>");
        return h.toString();
    }

    private static String list(JsonArray items) {
        StringBuilder h = new StringBuilder("<ul>");
        items.forEach(i -> h.append("<li>").append(esc(String.valueOf(i))).append("</li>"));
        return h.append("</ul>").toString();
    }

    private static String map(JsonObject o) {
        StringBuilder h = new StringBuilder("<ul>");
        o.forEach(e -> h.append("<li>").append(esc(e.getKey())).append(": ").append(esc(String.valueOf(e.getValue()))).append("</li>"));
        return h.append("</ul>").toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
