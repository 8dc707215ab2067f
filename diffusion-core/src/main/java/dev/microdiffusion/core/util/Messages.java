package dev.microdiffusion.core.util;

/** Text from a file, made fit for one line of an error message. */
public final class Messages {

    private Messages() {
    }

    /**
     * {@code text} with every control or format character shown as {@code \\uXXXX} (no raw newline or escape
     * sequence reaches a terminal), cut to {@code max} characters with "…".
     */
    public static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.length() >= max && text.length() > max ? out.substring(0, max) + "…" : out.toString();
    }
}
