package io.intercommigrator.mapping;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small value rules every mapper shares: email normalisation, multi-value cells, slugs. */
public final class Values {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>(),;:\"]+@[^@\\s<>(),;:\"]+\\.[^@\\s<>(),;:\"]+$");

    private Values() {
    }

    /** Trimmed and lower-cased: the form emails are matched in. Empty stays empty. */
    public static String normaliseEmail(String raw) {
        return raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean validEmail(String normalised) {
        return EMAIL.matcher(normalised).matches();
    }

    /** Splits a multi-valued cell on '|', trimming, dropping empties, keeping order. */
    public static List<String> multi(String cell) {
        List<String> out = new ArrayList<>();
        if (cell == null) {
            return out;
        }
        for (String part : cell.split("\\|")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
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
