package io.github.ajsessions.cli;

import java.util.ArrayList;
import java.util.List;

/** Colour (only when picocli's ANSI detection says the output is a terminal) and plain-text tables. */
final class Style {
    private final boolean ansi;

    Style(boolean ansi) {
        this.ansi = ansi;
    }

    String bold(String s) {
        return wrap("1", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    String green(String s) {
        return wrap("32", s);
    }

    String yellow(String s) {
        return wrap("33", s);
    }

    String red(String s) {
        return wrap("31", s);
    }

    /** The role, coloured so that turns are told apart at a glance. */
    String role(String role) {
        String padded = String.format("%-9s", role);
        switch (role) {
            case "system":
                return wrap("35", padded);
            case "user":
                return wrap("1;34", padded);
            case "assistant":
                return wrap("32", padded);
            default:
                return wrap("1;31", padded);
        }
    }

    private String wrap(String code, String s) {
        return ansi ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** A text table: a header row and left-aligned columns (right-aligned when numeric). */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final String[] header;
        private final boolean[] numeric;

        Table(String... header) {
            this.header = header;
            this.numeric = new boolean[header.length];
        }

        Table numeric(int... columns) {
            for (int c : columns) {
                numeric[c] = true;
            }
            return this;
        }

        Table row(Object... cells) {
            String[] r = new String[header.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
            }
            rows.add(r);
            return this;
        }

        String render(Style style) {
            int[] width = new int[header.length];
            for (int i = 0; i < header.length; i++) {
                width[i] = header[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder b = new StringBuilder();
            b.append(style.bold(line(header, width))).append('\n');
            for (String[] r : rows) {
                b.append(line(r, width)).append('\n');
            }
            return b.toString();
        }

        private String line(String[] cells, int[] width) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                String cell = cells[i];
                boolean last = i == cells.length - 1;
                if (numeric[i]) {
                    b.append(" ".repeat(width[i] - cell.length())).append(cell);
                } else {
                    b.append(cell).append(last ? "" : " ".repeat(width[i] - cell.length()));
                }
                if (!last) {
                    b.append("  ");
                }
            }
            return b.toString();
        }
    }

    /** @return {@code text} on one line, cut to {@code width} characters with an ellipsis */
    static String snippet(String text, int width) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= width ? flat : flat.substring(0, width - 1) + "…";
    }

    /** @return e.g. {@code 1.2 MiB} */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
