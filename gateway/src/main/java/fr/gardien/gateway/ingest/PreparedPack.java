package fr.gardien.gateway.ingest;

import fr.gardien.storage.write.WriteBatch;

/**
 * A decoded and checked pack, ready for the writer: its valid readings and its quarantined
 * records travel in one {@link WriteBatch}, so they commit together.
 *
 * @param protocol mqtt, http or coap
 * @param batch what to write
 * @param accepted valid records
 * @param rejected quarantined records
 * @param verdict what became of the pack as a whole
 * @param problem the first rejection, in words, for a diagnostic: its reason key, then its detail
 *     in parentheses; {@code null} when none
 */
public record PreparedPack(String protocol, WriteBatch batch, int accepted, int rejected, Verdict verdict, String problem) {

    /**
     * The first rejection's reason key alone ({@code wrong-topic}, {@code unknown-point}…), which
     * holds nothing the client sent; {@code null} when none.
     */
    public String firstReason() {
        return batch.quarantined().isEmpty() ? null : batch.quarantined().get(0).reason();
    }
}
