package fr.gardien.gateway.ingest.senml;

/** The name rule of RFC 8428 §4.5.1, as a loop: this runs once per record. */
final class SenmlNames {

    private SenmlNames() {
    }

    /**
     * @return whether {@code chars[0, length)} is a non-empty name made of A–Z a–z 0–9 - : . / _
     *     that starts with a letter or a digit
     */
    static boolean isValid(char[] chars, int length) {
        if (length == 0 || !isLetterOrDigit(chars[0])) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = chars[i];
            if (!isLetterOrDigit(c) && c != '-' && c != ':' && c != '.' && c != '/' && c != '_') {
                return false;
            }
        }
        return true;
    }

    // ASCII only: Character.isLetterOrDigit would let through 'é' and other scripts.
    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
