package dev.servesim.workload.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180: comma separated; a field in double quotes may hold commas, and a doubled
 * quote inside it stands for one quote). Unquoted fields are trimmed of surrounding spaces.
 */
public final class CsvFields {

    private CsvFields() {}

    /**
     * The fields of {@code line}.
     *
     * @throws IllegalArgumentException if a quoted field is not closed
     */
    public static String[] split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unclosed quoted field");
                }
                while (i < n && line.charAt(i) != ',') {
                    if (line.charAt(i) != ' ') {
                        throw new IllegalArgumentException("text after a quoted field");
                    }
                    i++;
                }
                fields.add(field.toString());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ',') {
                    i++;
                }
                fields.add(line.substring(start, i).trim());
            }
            if (i >= n) {
                return fields.toArray(new String[0]);
            }
            i++; // the comma
        }
    }

    /** The fields of a header line; an unclosed quote is a bad line (the header's). */
    static String[] header(String line) throws BadLineException {
        try {
            return split(line);
        } catch (IllegalArgumentException e) {
            throw new BadLineException("(header)", e.getMessage());
        }
    }

    /** Index of the column named {@code name} (exact match after trimming), or -1. */
    public static int column(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
