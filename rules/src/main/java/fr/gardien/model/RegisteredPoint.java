package fr.gardien.model;

/**
 * A point as kept in the database: its key, declaration and stable registry id. Ids are never
 * reused, so stored readings keep their meaning when a point is removed from the portfolio.
 */
public record RegisteredPoint(int id, PointKey key, String equipmentType, String unit, String category) {
}
