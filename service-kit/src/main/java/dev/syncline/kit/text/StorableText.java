package dev.syncline.kit.text;

/**
 * Text a service can store as it was sent. PostgreSQL refuses a NUL character (the request failed with a 500), and a
 * lone surrogate (half of a UTF-16 pair, which JSON's {@code \ud800} escape or a malformed UTF-8 sequence hands over)
 * is no Unicode character: it was stored as {@code ?}. Names are stricter still ({@link PlainText}).
 */
public final class StorableText {
    private StorableText() { }

    /** Why {@code text} cannot be stored as sent, or null when it can. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "holds a NUL character (U+0000) at position " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one character beyond the BMP
            } else if (Character.isSurrogate(c)) {
                return "holds a lone surrogate (U+" + Integer.toHexString(c).toUpperCase() + ") at position " + i
                        + ": not a Unicode character";
            }
        }
        return null;
    }

    /** Why {@code text} is not one line of plain text (a name), or null when it is. */
    public static String nameProblem(String text) {
        String p = problem(text);
        if (p != null || text == null) {
            return p;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                return "holds a control character (U+" + String.format("%04X", (int) c) + ") at position " + i;
            }
        }
        return null;
    }
}
