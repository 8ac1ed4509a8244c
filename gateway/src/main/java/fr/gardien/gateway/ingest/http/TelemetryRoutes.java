package fr.gardien.gateway.ingest.http;

import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.web.RequestBodies;
import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;

/** The HTTP front-end's route: {@code POST /api/v1/telemetry}, its body limit and its 413 answer. */
public record TelemetryRoutes(TelemetryHandler telemetry, int maxPayloadBytes) implements Routes {

    static final String PATH = "/api/v1/telemetry";

    @Override
    public void mount(Router router) {
        // A route of its own: vertx-web wants the body handler first on a route.
        router.post(PATH).handler(telemetry::admit);
        router.post(PATH).handler(RequestBodies.limited(maxPayloadBytes)).handler(telemetry);
        // A body over the limit is counted as a rejected pack before the generic 413 answer.
        router.post(PATH).failureHandler(ctx -> {
            if (ctx.statusCode() != 413) {
                ctx.next();
                return;
            }
            RequestBodies.closeAfterAnswer(ctx);
            telemetry.tooLarge();
            Problem.send(ctx, 413, "payload-too-large", "Payload too large", "the body exceeds " + maxPayloadBytes + " bytes");
        });
    }
}
