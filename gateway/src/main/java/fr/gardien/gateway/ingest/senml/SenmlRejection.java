package fr.gardien.gateway.ingest.senml;

/**
 * A record of a pack that was not decoded, and why.
 *
 * @param index its position in the pack, 0-based
 * @param reason one of the record-level codes of {@link Rejections}
 * @param name the resolved name, or {@code null} when it could not be resolved; cut to
 *     {@value Rejections#MAX_TEXT_CHARS} characters
 * @param detail a short human explanation (at most {@value Rejections#MAX_TEXT_CHARS}
 *     characters), never the payload
 */
public record SenmlRejection(int index, String reason, String name, String detail) {
}
