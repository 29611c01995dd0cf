package io.intercommigrator.leaddesk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.intercommigrator.mapping.ContactFields;
import io.intercommigrator.mapping.Values;

/**
 * How LeadDesk's other1…35 land as Intercom contact data attributes (mapping.md): text → string, number → integer
 * or float (decided from the values in the file), date → date, multiselect / checkbox → string of the joined values.
 * Any other type is never guessed: the field is left out and named in the reconciliation queue.
 */
public final class CustomFieldMap {

    /** Where one otherN column goes. */
    public record Target(String column, String attribute, String dataType, String leadDeskType) {
    }

    private final Map<String, Target> targets;
    private final List<String> unsupported;

    private CustomFieldMap(Map<String, Target> targets, List<String> unsupported) {
        this.targets = targets;
        this.unsupported = unsupported;
    }

    public static CustomFieldMap none() {
        return new CustomFieldMap(Map.of(), List.of());
    }

    /**
     * @param numberValues for each number field, every non-empty value seen in the file (decides integer vs float)
     */
    public static CustomFieldMap resolve(Collection<CustomField> fields, Map<String, List<String>> numberValues,
                                         String prefix) {
        java.util.Set<String> floats = new java.util.HashSet<>();
        numberValues.forEach((column, values) -> values.forEach(v -> {
            if (isFloat(v)) {
                floats.add(column);
            }
        }));
        return resolve(fields, floats, prefix);
    }

    /**
     * A value that makes its number field float: a number that is not whole. Values that are no number at all are
     * left off each record, so they do not decide the type.
     */
    public static boolean isFloat(String value) {
        return ContactFields.isNumber(value) && !ContactFields.isInteger(value);
    }

    /**
     * @param floatColumns the number fields (lower-case column names) with at least one {@link #isFloat} value in the
     *                     file; every other number field is integer
     */
    public static CustomFieldMap resolve(Collection<CustomField> fields, java.util.Set<String> floatColumns, String prefix) {
        Map<String, Target> targets = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        for (CustomField f : fields) {
            String column = f.field().trim().toLowerCase(Locale.ROOT);
            String attribute = prefix + Values.slug(f.label() == null || f.label().isBlank() ? column : f.label());
            String type = f.type() == null ? "" : f.type().trim().toLowerCase(Locale.ROOT);
            String dataType = switch (type) {
                case "text" -> "string";
                case "number" -> floatColumns.contains(column) ? "float" : "integer";
                case "date" -> "date";
                case "multiselect", "checkbox" -> "string";
                default -> null;
            };
            if (dataType == null) {
                unsupported.add(column + " (\"" + f.label() + "\", type '" + f.type()
                        + "'): unsupported LeadDesk field type, not migrated; map it by hand");
            } else {
                targets.put(column, new Target(column, attribute, dataType, type));
            }
        }
        return new CustomFieldMap(targets, unsupported);
    }

    public Collection<Target> targets() {
        return targets.values();
    }

    /** Reconciliation-queue lines for fields that were not migrated. */
    public List<String> unsupported() {
        return unsupported;
    }

}
