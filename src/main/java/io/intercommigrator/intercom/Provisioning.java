package io.intercommigrator.intercom;

import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;

/**
 * The one way a workspace definition is created: a contact data attribute, a conversation attribute or one of its list
 * options, a ticket type or one of its attributes, a tag. The write is journaled before it is sent. When its answer is
 * lost (a 5xx or a cut connection after Intercom may have applied it) or Intercom refuses it (any 4xx: "already
 * exists" has no one status or wording across these endpoints), the workspace is read back: a definition found there
 * is used, so a retry, a later run or a run after a crash never fails on what an earlier attempt made. Only a
 * definition that is not there after all lets the failure through (a lost answer: the record's retry writes it again).
 */
public final class Provisioning {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);

    private final Ledger ledger;
    private final RunControl run;

    public Provisioning(Ledger ledger, RunControl run) {
        this.ledger = ledger;
        this.run = run;
    }

    /**
     * Creates the definition, or finds it in the workspace when the create's outcome says it may be there.
     *
     * @param action   journal action, e.g. {@code ATTRIBUTE_CREATE} (what rollback undoes)
     * @param target   journal target, e.g. {@code contact_attribute:plan}
     * @param write    sends the create; answers the new definition's id
     * @param readBack reads the workspace again; answers the id of the definition when it is there
     * @return the definition's id
     */
    public String ensure(String action, String target, Supplier<String> write, Supplier<Optional<String>> readBack) {
        long journal = ledger.journalIntent(run.runId(), null, action, target.length() > 500 ? target.substring(0, 500) : target,
                null, null);
        String id;
        try {
            id = write.get();
        } catch (IntercomApiException.Rejected refused) {
            ledger.journalState(journal, "FAILED");
            Optional<String> there = readBack.get(); // made by an earlier attempt, an earlier run or someone else
            if (there.isEmpty()) {
                throw refused;
            }
            LOG.info("{} is already in the workspace ({} {}): using it", target, refused.status(), refused.getMessage());
            return there.get();
        } catch (IntercomApiException.Transient lost) {
            Optional<String> there;
            try {
                there = readBack.get();
            } catch (IntercomApiException.Transient unreadable) {
                throw lost; // the journal entry stays INTENT: the write may have landed
            }
            if (there.isEmpty()) {
                ledger.journalState(journal, "FAILED");
                throw lost;
            }
            ledger.journalDone(journal, there.get()); // it landed: this run made it, so rollback undoes it
            LOG.info("{}: the answer was lost ({}), the workspace has it: using it", target, lost.getMessage());
            return there.get();
        }
        ledger.journalDone(journal, id);
        return id;
    }
}
