package fr.gardien.model;

/**
 * A measured point as declared in the portfolio.
 *
 * @param name the point name, the last segment of its key
 * @param unit the SenML unit readings must carry (or omit)
 * @param category energy, heat, water, occupancy, equipment or climate
 * @param label what people call it ("Départ chauffage"), or {@code null} when the portfolio gives none
 */
public record PointSpec(String name, String unit, String category, String label) {

    /** A point without a label. */
    public PointSpec(String name, String unit, String category) {
        this(name, unit, category, null);
    }
}
