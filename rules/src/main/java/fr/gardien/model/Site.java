package fr.gardien.model;

import java.time.ZoneId;
import java.util.List;

/** A site (résidence or building) of the portfolio, with its equipment. */
public record Site(String id, String name, ZoneId timezone, List<Equipment> equipment) {
    public Site {
        equipment = List.copyOf(equipment);
    }
}
