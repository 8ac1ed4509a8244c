package fr.gardien.gateway.registry;

import java.util.Set;

/**
 * The roles of API tokens (issue 5, access control).
 *
 * <ul>
 *   <li>{@code admin}: everything, every site; alone manages tokens and reads the audit log.
 *   <li>{@code building-manager}: its listed sites only (never {@code *}); acknowledges, resolves, silences.
 *   <li>{@code energy-analyst}: reads series and alerts of its sites (usually all); changes nothing.
 *   <li>{@code dpo}: the data-protection officer (issue 14): reads the processing register and the
 *       access audit, counts per category; never a reading, a series or an alert.
 *   <li>{@code ticketing}: the identity of a ticketing system; may only call the signed
 *       {@code POST /api/v1/tickets/callback}, refused everywhere else.
 * </ul>
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String BUILDING_MANAGER = "building-manager";
    public static final String ENERGY_ANALYST = "energy-analyst";
    public static final String TICKETING = "ticketing";
    public static final String DPO = "dpo";

    /** The roles of people and their tools: what "any role" means on a data route. */
    public static final Set<String> PEOPLE = Set.of(ADMIN, BUILDING_MANAGER, ENERGY_ANALYST);
    public static final Set<String> ALL = Set.of(ADMIN, BUILDING_MANAGER, ENERGY_ANALYST, TICKETING, DPO);

    private Roles() {
    }
}
