package io.github.ajsessions.cli;

/**
 * Text read from the file (session names, content, models) made safe to print on a terminal: a
 * control character would otherwise reach it raw, and an escape sequence in a message can clear the
 * screen, retitle the window or write the clipboard (OSC 52). The one escaping function of the CLI;
 * JSON output needs none (Jackson escapes control characters).
 */
final class TerminalText {

    private TerminalText() {
    }

    /** @return {@code text} with every control character escaped except newline and tab, for message content */
    static String content(String text) {
        return escape(text, true);
    }

    /** @return {@code text} with every control character escaped, newline and tab included, for one line */
    static String line(String text) {
        return escape(text, false);
    }

    /**
     * Escapes C0 controls ({@code \e} for ESC, {@code \r}, {@code \n} and {@code \t} unless the layout is
     * kept, else {@code \x07}-style), DEL ({@code \x7f}), C1 controls ({@code \u009b}-style), and the Unicode
     * line separators and bidirectional overrides that reorder what a terminal shows ({@code \u202e}-style).
     * Every other character, the backslash included, is kept as it is.
     *
     * @param keepLayout whether newline and tab stay as they are
     * @return {@code text} itself when nothing needs escaping; {@code null} stays {@code null}
     */
    static String escape(String text, boolean keepLayout) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i), keepLayout)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c, keepLayout)) {
                b.append(c);
            } else if (c == 0x1b) {
                b.append("\\e");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c, boolean keepLayout) {
        if (c == '\n' || c == '\t') {
            return !keepLayout;
        }
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
