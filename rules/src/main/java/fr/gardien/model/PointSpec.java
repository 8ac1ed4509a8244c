package fr.gardien.model;

/**
 * A measured point as declared in the portfolio.
 *
 * @param name the point name, the last segment of its key
 * @param unit the SenML unit readings must carry (or omit)
 * @param category energy, heat, water, occupancy, equipment or climate
 */
public record PointSpec(String name, String unit, String category) {
}
