package io.intercommigrator.leaddesk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.intercommigrator.mapping.AttributeDefinition;

/**
 * LeadDesk's results and outcomes (results_outcomes.json) as call records use them: a result or outcome id becomes
 * its name, a name written in another case becomes the taxonomy's spelling, and the taxonomy decides how the
 * conversation attributes {@code ld_disposition} and {@code ld_outcome} are created in Intercom: a {@code list} of
 * the real values when there are at least 2 and at most the list limit, a {@code string} otherwise. Pure.
 */
public final class DispositionTaxonomy {
    public static final String DISPOSITION = "ld_disposition";
    public static final String OUTCOME = "ld_outcome";
    /** A contact list attribute needs at least 2 options (intercom-api.md §6); conversation lists are held to the same. */
    static final int MIN_LIST_OPTIONS = 2;

    private final Map<String, String> resultNames;
    private final Map<String, String> outcomeNames;

    /** @param resultNames result id → name, outcomeNames outcome id → name, each in taxonomy order */
    public DispositionTaxonomy(Map<String, String> resultNames, Map<String, String> outcomeNames) {
        this.resultNames = new LinkedHashMap<>(resultNames);
        this.outcomeNames = new LinkedHashMap<>(outcomeNames);
    }

    /** No results_outcomes.json seen: values pass as they are and both attributes stay strings. */
    public static DispositionTaxonomy empty() {
        return new DispositionTaxonomy(Map.of(), Map.of());
    }

    /** The call's disposition: its result name (in the taxonomy's spelling), else the name of its result id, else the id. */
    public String disposition(String resultName, String resultId) {
        if (!resultName.isBlank()) {
            return spelled(resultNames, resultName.trim());
        }
        if (resultId.isBlank()) {
            return "";
        }
        String named = resultNames.get(resultId.trim());
        return named == null || named.isBlank() ? spelled(resultNames, resultId.trim()) : named.trim();
    }

    /** The call's outcome: the name of an outcome id, a name in the taxonomy's spelling, or the value as it is. */
    public String outcome(String value) {
        String v = value.trim();
        String named = outcomeNames.get(v);
        return named == null || named.isBlank() ? spelled(outcomeNames, v) : named.trim();
    }

    /** Result names, each once (ignoring case), in taxonomy order. */
    public List<String> dispositions() {
        return distinct(resultNames);
    }

    /** Outcome names, each once (ignoring case), in taxonomy order. */
    public List<String> outcomes() {
        return distinct(outcomeNames);
    }

    /**
     * How {@code ld_disposition} and {@code ld_outcome} are to be created: a list of the taxonomy's values when it has
     * 2 … {@code listLimit} of them, else a string. An attribute the taxonomy has no values for is left out (it is
     * created from the calls' own values, as a string).
     */
    public Map<String, AttributeDefinition> definitions(int listLimit) {
        Map<String, AttributeDefinition> out = new LinkedHashMap<>();
        define(out, DISPOSITION, "results", dispositions(), listLimit);
        define(out, OUTCOME, "outcomes", outcomes(), listLimit);
        return out;
    }

    private static void define(Map<String, AttributeDefinition> out, String attribute, String what, List<String> values,
                               int listLimit) {
        if (values.isEmpty()) {
            return;
        }
        String count = values.size() + " " + (values.size() == 1 ? what.substring(0, what.length() - 1) : what)
                + " in results_outcomes.json";
        if (values.size() < MIN_LIST_OPTIONS) {
            out.put(attribute, new AttributeDefinition("string", List.of(), count + ": an Intercom list needs at least "
                    + MIN_LIST_OPTIONS + " options"));
        } else if (values.size() > listLimit) {
            out.put(attribute, new AttributeDefinition("string", List.of(), count + ", more than the list limit of "
                    + listLimit + " (intercom.list-attribute-max-options)"));
        } else {
            out.put(attribute, new AttributeDefinition("list", values, count + ", within the list limit of " + listLimit));
        }
    }

    private static String spelled(Map<String, String> names, String value) {
        for (String name : names.values()) {
            if (name != null && name.trim().equalsIgnoreCase(value)) {
                return name.trim();
            }
        }
        return value;
    }

    private static List<String> distinct(Map<String, String> names) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String name : names.values()) {
            if (name != null && !name.isBlank()) {
                byKey.putIfAbsent(name.trim().toLowerCase(Locale.ROOT), name.trim());
            }
        }
        return new ArrayList<>(byKey.values());
    }
}
