package io.intercommigrator.mapping;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small value rules every mapper shares: email normalisation, multi-value cells, slugs. */
public final class Values {

    private Values() {
    }

    /** Trimmed and lower-cased: the form emails are matched in. Empty stays empty. */
    public static String normaliseEmail(String raw) {
        return raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean validEmail(String normalised) {
        // local@domain: one '@', none of the characters below, and a dot inside the domain with a character on
        // either side (the rule of ^[^@\s<>(),;:"]+@[^@\s<>(),;:"]+\.[^@\s<>(),;:"]+$, checked without a regex:
        // it runs for every contact)
        int at = -1;
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            } else if (NOT_IN_EMAIL.indexOf(c) >= 0) {
                return false;
            }
        }
        if (at <= 0) {
            return false;
        }
        for (int i = at + 2; i < normalised.length() - 1; i++) {
            if (normalised.charAt(i) == '.') {
                return true;
            }
        }
        return false;
    }

    private static final String NOT_IN_EMAIL = " \t\n\u000B\f\r<>(),;:\"";

    /** Splits a multi-valued cell on '|', trimming, dropping empties, keeping order. */
    public static List<String> multi(String cell) {
        List<String> out = new ArrayList<>();
        if (cell == null) {
            return out;
        }
        for (int start = 0; start <= cell.length(); ) {
            int end = cell.indexOf('|', start);
            end = end < 0 ? cell.length() : end;
            String part = cell.substring(start, end);
            if (!part.isBlank()) {
                out.add(part.trim());
            }
            start = end + 1;
        }
        return out;
    }

    /**
     * Intercom-safe slug: accents folded to ASCII, lower case, runs of anything else → '_', trimmed of '_'.
     * "Kevät-kampanja 2026!" → "kevat_kampanja_2026". Stable: the same input always gives the same slug.
     */
    public static String slug(String text) {
        String folded = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = folded.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? "unnamed" : slug;
    }

    public static String joinName(String first, String last) {
        return (blankToEmpty(first) + " " + blankToEmpty(last)).trim();
    }

    public static String blankToEmpty(String s) {
        return s == null ? "" : s.trim();
    }
}
