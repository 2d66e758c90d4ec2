package dev.servesim.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The page skeleton, style and script of this module's resources, and the filling of their placeholders. */
final class PageTemplate {
    private static final String MARK = "@@";

    private PageTemplate() {
    }

    /** Reads a resource of this package, for example {@code page.html}. */
    static String resource(String name) {
        try (InputStream in = PageTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " of module dev.servesim.report is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    /**
     * Replaces each {@code @@NAME@@} of the template in one pass, so placeholders inside the inserted text (a config
     * that mentions {@code @@DATA@@}) stay as they are.
     */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
        int position = 0;
        while (true) {
            int start = template.indexOf(MARK, position);
            if (start < 0) {
                return out.append(template, position, template.length()).toString();
            }
            int end = template.indexOf(MARK, start + MARK.length());
            if (end < 0) {
                throw new IllegalStateException("unterminated placeholder at offset " + start + " of a report template");
            }
            String name = template.substring(start + MARK.length(), end);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("no value for placeholder " + MARK + name + MARK + "; known: "
                        + values.keySet());
            }
            out.append(template, position, start).append(value);
            position = end + MARK.length();
        }
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
