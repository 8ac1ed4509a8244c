package fr.gardien.gateway.rules;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.rules.EquipmentBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry as the rule engine sees it: one {@link EquipmentBinding} per equipment, with the
 * registry ids of its points. A rule input the equipment itself lacks may come from another
 * equipment of the same site when exactly one of them has a point of that name (a people counter
 * for the lighting rule, a weather station's outdoor temperature): such points are added to the
 * binding, after the equipment's own.
 */
public final class Bindings {

    private Bindings() {
    }

    public static List<EquipmentBinding> of(Registry registry) {
        List<EquipmentBinding> bindings = new ArrayList<>();
        for (Site site : registry.sites()) {
            Map<String, Integer> siteWide = new HashMap<>();
            Map<String, Integer> seen = new HashMap<>();
            for (Equipment equipment : site.equipment()) {
                for (PointSpec point : equipment.points()) {
                    RegisteredPoint registered = registry.point(site.id() + "/" + equipment.id() + "/" + point.name());
                    if (registered != null) {
                        seen.merge(point.name(), 1, Integer::sum);
                        siteWide.put(point.name(), registered.id());
                    }
                }
            }
            for (Equipment equipment : site.equipment()) {
                Map<String, Integer> ids = new LinkedHashMap<>();
                for (PointSpec point : equipment.points()) {
                    RegisteredPoint registered = registry.point(site.id() + "/" + equipment.id() + "/" + point.name());
                    if (registered != null) {
                        ids.put(point.name(), registered.id());
                    }
                }
                siteWide.forEach((name, id) -> {
                    if (seen.get(name) == 1) {
                        ids.putIfAbsent(name, id);
                    }
                });
                bindings.add(new EquipmentBinding(site.id(), site.timezone(), equipment.id(), equipment.type(), ids));
            }
        }
        return bindings;
    }
}
