package fr.gardien.gateway.ingest.senml;

import java.util.List;

/**
 * The outcome of decoding one SenML pack.
 *
 * @param records the decoded records, in pack order
 * @param rejected the records that were not decoded, in pack order
 * @param packError {@code null} when the pack could be read; else {@link Rejections#MALFORMED_PAYLOAD}
 *     or {@link Rejections#TOO_MANY_RECORDS}, and then {@code records} and {@code rejected} are empty
 * @param packErrorDetail a short human explanation of {@code packError}, else {@code null}
 */
public record SenmlPack(List<SenmlRecord> records, List<SenmlRejection> rejected, String packError,
        String packErrorDetail) {

    static SenmlPack refused(String packError, String detail) {
        return new SenmlPack(List.of(), List.of(), packError, Rejections.cut(detail));
    }
}
