package fr.gardien.gateway.ingest.senml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Rough decode rates, printed for the record: a JMH benchmark would be the real measure. */
class SenmlDecoderThroughputTest {

    private static final int RECORDS = 50;
    private final SenmlDecoder decoder = new SenmlDecoder(new SenmlLimits(RECORDS));

    /** Prints records/s for 50-record and one-record packs in JSON and CBOR; asserts only that every record decoded. */
    @Test
    void printsDecodeThroughput() {
        byte[] json50 = jsonPack(RECORDS);
        byte[] json1 = jsonPack(1);
        byte[] cbor50 = SenmlCborTest.write(new CBORFactory(), model(RECORDS), true);

        measure("JSON, 50-record packs", json50, false, RECORDS);
        measure("JSON, 1-record packs", json1, false, 1);
        measure("CBOR, 50-record packs", cbor50, true, RECORDS);
    }

    /** Many threads sharing one decoder each get their own pack's records. */
    @Test
    void oneDecoderServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int records = thread + 1;
                byte[] payload = jsonPack(records);
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        SenmlPack pack = decoder.decodeJson(payload, 0, payload.length, SenmlDecoderTest.NOW);
                        if (pack.records().size() != records
                                || !pack.records().get(records - 1).name().equals("tilleuls/boiler-1/p" + (records - 1))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void measure(String label, byte[] payload, boolean cbor, int recordsPerPack) {
        long deadline = System.nanoTime() + 500_000_000L; // warm-up
        while (System.nanoTime() < deadline) {
            decode(payload, cbor, recordsPerPack);
        }
        long start = System.nanoTime();
        long packs = 0;
        deadline = start + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1000; i++) {
                decode(payload, cbor, recordsPerPack);
            }
            packs += 1000;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("SenML decode, %s (%d bytes): %,.0f records/s, %,.0f packs/s on one thread%n",
                label, payload.length, packs * recordsPerPack / seconds, packs / seconds);
    }

    private void decode(byte[] payload, boolean cbor, int expected) {
        SenmlPack pack = cbor
                ? decoder.decodeCbor(payload, 0, payload.length, SenmlDecoderTest.NOW)
                : decoder.decodeJson(payload, 0, payload.length, SenmlDecoderTest.NOW);
        if (pack.records().size() != expected) {
            throw new AssertionError("decoded " + pack.records().size() + " records: " + pack);
        }
    }

    private static byte[] jsonPack(int records) {
        return SenmlCborTest.write(new JsonFactory(), model(records), false);
    }

    // What a device would send: a base name and time once, then one measure a second.
    private static List<Map<String, Object>> model(int records) {
        List<Map<String, Object>> pack = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            if (i == 0) {
                record.put("bn", "tilleuls/boiler-1/");
                record.put("bt", 1763712000L);
                record.put("bu", "Cel");
            }
            record.put("n", "p" + i);
            record.put("t", i);
            record.put("v", 40.0 + i / 10.0);
            pack.add(record);
        }
        return pack;
    }
}
