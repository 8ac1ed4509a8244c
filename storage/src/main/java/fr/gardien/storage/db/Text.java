package fr.gardien.storage.db;

/** Text made storable in PostgreSQL. */
public final class Text {

    private Text() {
    }

    /** PostgreSQL text cannot contain NUL; it becomes the replacement character. */
    public static String storable(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /** At most {@code max} chars, never splitting a surrogate pair. */
    public static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
