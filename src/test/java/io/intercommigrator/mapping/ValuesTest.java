package io.intercommigrator.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void slugFoldsAccentsAndKeepsOnlySafeCharacters() {
        assertThat(Values.slug("Kevät-kampanja 2026!")).isEqualTo("kevat_kampanja_2026");
        assertThat(Values.slug("  Åland / Öresund  ")).isEqualTo("aland_oresund");
        assertThat(Values.slug("€€€")).isEqualTo("unnamed");
    }

    @Test
    void emailsAreTrimmedLowerCasedAndChecked() {
        assertThat(Values.normaliseEmail("  Anna@Example.DE ")).isEqualTo("anna@example.de");
        assertThat(Values.validEmail("anna@example.de")).isTrue();
        assertThat(Values.validEmail("anna@example")).isFalse();
        assertThat(Values.validEmail("two@@example.de")).isFalse();
        assertThat(Values.validEmail("a b@example.de")).isFalse();
    }

    @Test
    void multiValuedCellsSplitOnPipe() {
        assertThat(Values.multi(" a | b||c ")).containsExactly("a", "b", "c");
        assertThat(Values.multi("")).isEmpty();
    }
}
