package fr.gardien.model;

import java.util.List;

/** A piece of shared equipment of a site (boiler, lift, meter, …) and its measured points. */
public record Equipment(String id, String type, List<PointSpec> points) {
    public Equipment {
        points = List.copyOf(points);
    }
}
