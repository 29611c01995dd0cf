package io.intercommigrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunAccountingTest {

    @Test
    void anUnmatchedAgentMetUnderSeveralNamesIsQueuedOnceWhileDistinctReasonsOfOtherKindsStay() {
        RunAccounting accounting = new RunAccounting();
        accounting.queueOnce("unmatched agent", "sam@example.com", "no Intercom admin with this email (Sam Support)");
        accounting.queueOnce("unmatched agent", "sam@example.com", "no Intercom admin with this email (Sam)");
        accounting.queueOnce("unmatched agent", "nobody@example.com", "no Intercom admin with this email (Nobody)");
        accounting.queue("unsupported custom field", "leaddesk/contacts.csv", "other4 (richtext)");
        accounting.queue("unsupported custom field", "leaddesk/contacts.csv", "other5 (signature)");
        accounting.queue("unsupported custom field", "leaddesk/contacts.csv", "other5 (signature)");

        assertThat(accounting.queue()).extracting(RunAccounting.QueueEntry::subject, RunAccounting.QueueEntry::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sam@example.com", "no Intercom admin with this email (Sam Support)"),
                        org.assertj.core.groups.Tuple.tuple("nobody@example.com", "no Intercom admin with this email (Nobody)"),
                        org.assertj.core.groups.Tuple.tuple("leaddesk/contacts.csv", "other4 (richtext)"),
                        org.assertj.core.groups.Tuple.tuple("leaddesk/contacts.csv", "other5 (signature)"));
    }
}
