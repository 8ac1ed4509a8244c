package fr.gardien.model;

import java.util.List;

/**
 * A piece of shared equipment of a site (boiler, lift, meter, …) and its measured points.
 *
 * @param name what people call it ("Chaufferie", "Ascenseur A"), or {@code null} when the
 *     portfolio gives none
 */
public record Equipment(String id, String type, List<PointSpec> points, String name) {
    public Equipment {
        points = List.copyOf(points);
    }

    /** An equipment without a human name. */
    public Equipment(String id, String type, List<PointSpec> points) {
        this(id, type, points, null);
    }
}
