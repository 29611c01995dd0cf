package io.intercommigrator.leaddesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.AttributeDefinition;

class DispositionTaxonomyTest {
    private static Map<String, String> names(String... idName) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < idName.length; i += 2) {
            m.put(idName[i], idName[i + 1]);
        }
        return m;
    }

    private final DispositionTaxonomy taxonomy = new DispositionTaxonomy(
            names("r1", "Sale", "r2", "Call back", "r3", "sale", "r4", "No answer"), names("o1", "Won", "o2", "Lost"));

    @Test
    void valuesAreDistinctIgnoringCaseInTaxonomyOrder() {
        assertThat(taxonomy.dispositions()).containsExactly("Sale", "Call back", "No answer");
        assertThat(taxonomy.outcomes()).containsExactly("Won", "Lost");
    }

    @Test
    void idsBecomeNamesAndNamesTakeTheTaxonomySpelling() {
        assertThat(taxonomy.disposition("", "r2")).isEqualTo("Call back");
        assertThat(taxonomy.disposition("CALL BACK", "r9")).as("the name column wins over the id").isEqualTo("Call back");
        assertThat(taxonomy.disposition("", "r9")).as("an unknown id stays as it is").isEqualTo("r9");
        assertThat(taxonomy.disposition("Voicemail", "")).isEqualTo("Voicemail");
        assertThat(taxonomy.disposition("", "")).isEmpty();
        assertThat(taxonomy.outcome("o2")).isEqualTo("Lost");
        assertThat(taxonomy.outcome(" won ")).isEqualTo("Won");
        assertThat(taxonomy.outcome("")).isEmpty();
    }

    @Test
    void aTaxonomyWithinTheLimitBecomesListAttributesOfItsRealValues() {
        Map<String, AttributeDefinition> defs = taxonomy.definitions(100);

        assertThat(defs.get("ld_disposition").dataType()).isEqualTo("list");
        assertThat(defs.get("ld_disposition").options()).containsExactly("Sale", "Call back", "No answer");
        assertThat(defs.get("ld_disposition").reason()).isEqualTo("3 results in results_outcomes.json, within the list limit of 100");
        assertThat(defs.get("ld_outcome").options()).containsExactly("Won", "Lost");
    }

    @Test
    void tooManyOrTooFewValuesMakeAStringAttributeAndSayWhy() {
        Map<String, AttributeDefinition> defs = taxonomy.definitions(2);
        assertThat(defs.get("ld_disposition")).isEqualTo(new AttributeDefinition("string", List.of(),
                "3 results in results_outcomes.json, more than the list limit of 2 (intercom.list-attribute-max-options)"));
        assertThat(defs.get("ld_outcome").dataType()).as("exactly at the limit").isEqualTo("list");

        Map<String, AttributeDefinition> single = new DispositionTaxonomy(names("r1", "Sale"), names()).definitions(100);
        assertThat(single.get("ld_disposition")).isEqualTo(new AttributeDefinition("string", List.of(),
                "1 result in results_outcomes.json: an Intercom list needs at least 2 options"));
        assertThat(single).as("no outcomes in the taxonomy: ld_outcome is created from the calls as a string")
                .doesNotContainKey("ld_outcome");
        assertThat(DispositionTaxonomy.empty().definitions(100)).isEmpty();
        assertThat(taxonomy.definitions(0).values()).extracting(AttributeDefinition::dataType).containsOnly("string");
    }
}
