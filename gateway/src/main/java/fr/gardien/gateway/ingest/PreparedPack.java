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
 * @param problem the first rejection, in words, for a diagnostic; {@code null} when none
 */
public record PreparedPack(String protocol, WriteBatch batch, int accepted, int rejected, Verdict verdict, String problem) {
}
