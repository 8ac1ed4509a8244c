package fr.gardien.gateway.ingest.mqtt;

/**
 * What MQTT allows in its UTF-8 strings (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4), checked on the text
 * Netty decoded. Netty replaces an ill-formed byte sequence by U+FFFD, so that character stands
 * for "ill-formed UTF-8" here: no device id or topic of Gardien contains it.
 */
final class MqttUtf8 {

    private MqttUtf8() {
    }

    /**
     * False when the string held ill-formed UTF-8 or U+0000 (a packet the receiver MUST treat as
     * malformed), a control character or a non-character (which a receiver MAY refuse), or
     * U+FEFF: a byte-order mark inside a name only serves to make two names look alike.
     */
    static boolean wellFormed(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c <= 0x1F || c >= 0x7F && c <= 0x9F || c == 0xFEFF || c == 0xFFFD
                    || c >= 0xD800 && c <= 0xDFFF
                    || c >= 0xFDD0 && c <= 0xFDEF || (c & 0xFFFE) == 0xFFFE) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
