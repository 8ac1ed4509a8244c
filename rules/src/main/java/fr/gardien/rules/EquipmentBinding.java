package fr.gardien.rules;

import java.time.ZoneId;
import java.util.Map;

/**
 * One piece of equipment as the engine sees it: where it is, its type, and the registry ids of
 * its points. A site's {@code weather} equipment is passed as a binding of its own (type
 * {@code weather}); a rule input the equipment lacks is looked up there.
 *
 * @param pointIds point name → registry point id
 */
public record EquipmentBinding(String site, ZoneId zone, String equipment, String type, Map<String, Integer> pointIds) {

    /** The type whose points stand in for inputs an equipment of the same site lacks. */
    public static final String WEATHER = "weather";

    public EquipmentBinding {
        pointIds = Map.copyOf(pointIds);
    }
}
