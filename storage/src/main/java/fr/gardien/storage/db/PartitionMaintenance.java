package fr.gardien.storage.db;

/**
 * What one {@link PartitionManager#maintain} did.
 *
 * @param created native partitions created
 * @param dropped native partitions dropped because they held only expired readings
 */
public record PartitionMaintenance(int created, int dropped) {

    static final PartitionMaintenance NOTHING = new PartitionMaintenance(0, 0);

    @Override
    public String toString() {
        return "created " + created + ", dropped " + dropped;
    }
}
