package io.intercommigrator.mapping;

import java.util.List;

/**
 * How a conversation attribute is to be created when the workspace does not have it yet: its Intercom data_type
 * ({@code list} with these option labels, or {@code string}, …) and why that type was chosen (for the reconciliation
 * queue and the handoff inventory).
 */
public record AttributeDefinition(String dataType, List<String> options, String reason) {
    public AttributeDefinition {
        options = List.copyOf(options);
    }

    public boolean list() {
        return dataType.equals("list");
    }
}
