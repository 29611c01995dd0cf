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

    /** The hand-written check says exactly what the documented regular expression says, on tricky and random input. */
    @Test
    void emailCheckAgreesWithItsRegularExpression() {
        java.util.regex.Pattern rule = java.util.regex.Pattern.compile("^[^@\\s<>(),;:\"]+@[^@\\s<>(),;:\"]+\\.[^@\\s<>(),;:\"]+$");
        java.util.List<String> tricky = java.util.List.of("", "@", "a@", "@b.c", "a@b", "a@b.", "a@.b", "a@b.c", "a@bc.d",
                "a@b..c", "a@.bc", ".a@b.c", "a.@b.c", "a@b.c.", "a@@b.c", "a@b@c.d", "a b@c.d", "a\t@b.c", "a@b.c\n",
                "a\u000B@b.c", "a<@b.c", "a@b.c>", "\"a\"@b.c", "a@b,c.d", "a;b@c.d", "a:b@c.d", "(a)@b.c", "é@ü.de",
                "a@b.c\u00a0", "x@y.zz", "a@b..", "a@..b", "a@b.c d");
        java.util.Random random = new java.util.Random(42);
        String alphabet = "ab.@ \t<>(),;:\"é-_+1";
        String letters = "abcdefghijklmnopqrstuvwxyz".repeat(3);
        java.util.List<String> inputs = new java.util.ArrayList<>(tricky);
        for (int n = 0; n < 20_000; n++) {
            // every other input shaped like an address (local@domain.tld) with characters of any kind mixed in
            inputs.add(n % 2 == 0 ? randomText(random, alphabet, 9)
                    : randomText(random, letters + alphabet, 4) + "@" + randomText(random, letters + alphabet, 4) + "."
                    + randomText(random, letters + alphabet, 3));
        }
        long valid = 0;
        for (String input : inputs) {
            boolean expected = rule.matcher(input).matches();
            assertThat(Values.validEmail(input)).as("'%s'", input).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("the random inputs include valid addresses").isGreaterThan(1_000);
        assertThat(inputs.size() - valid).as("and invalid ones").isGreaterThan(1_000);
    }

    private static String randomText(java.util.Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int len = random.nextInt(maxLength + 1); len > 0; len--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Test
    void multiValuedCellsSplitOnPipe() {
        assertThat(Values.multi(" a | b||c ")).containsExactly("a", "b", "c");
        assertThat(Values.multi("")).isEmpty();
        assertThat(Values.multi("|x|")).containsExactly("x");
        assertThat(Values.multi(" | |")).isEmpty();
        assertThat(Values.multi("solo")).containsExactly("solo");
    }
}
