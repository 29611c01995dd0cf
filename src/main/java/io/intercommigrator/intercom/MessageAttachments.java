package io.intercommigrator.intercom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.attachments.AttachmentSource;
import io.intercommigrator.attachments.AttachmentSource.Copyable;
import io.intercommigrator.attachments.AttachmentSource.Kept;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunAccounting.Outcome;

/**
 * Files move with the record (mapping.md): the attachments of one message are copied into Intercom as
 * {@code attachment_files}, at most {@value #PER_PART} per part and each request under
 * {@code attachments.max-request-bytes}: the first files ride on the message itself when it can carry them (not a
 * conversation's opening message, not a contact's reply on a ticket), the rest go in admin notes at the message's
 * second, right after it. What cannot be copied keeps its URL ({@code attachment_urls} on the message when it carries
 * no files, else in a note that lists each URL with its reason) and goes to the reconciliation queue.
 *
 * <p>Each attachment has its own ledger entry ({@code attachment}, thread#message#index), final once the request
 * that carried it landed (delivered = copied, skipped = kept as URL): a re-run, or a retry after a write whose outcome
 * was unknown, never uploads a file twice. Each note of files has its own entry too, keyed by the index of its first
 * file, and is looked up in the thread (its time and text) before it is sent again.
 */
final class MessageAttachments {
    static final int PER_PART = 10;
    /** Room for a request's JSON around the files (names, types, text of the part). */
    private static final long ENVELOPE_BYTES = 4096;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Whether the thread holds a part with this time and text (after a write with an unknown outcome). */
    @FunctionalInterface
    interface Landed {
        boolean there(long createdAt, String text);
    }

    private final IntercomClient client;
    private final Ledger ledger;
    private final AttachmentSource source;
    private final AdminDirectory directory;
    private final RunAccounting accounting;
    private final RunControl run;

    MessageAttachments(IntercomClient client, Ledger ledger, AttachmentSource source, AdminDirectory directory,
                       RunAccounting accounting, RunControl run) {
        this.client = client;
        this.ledger = ledger;
        this.source = source;
        this.directory = directory;
        this.accounting = accounting;
        this.run = run;
    }

    Message of(ThreadPlan plan, String partKey, List<String> urls) {
        return new Message(plan, partKey, urls);
    }

    /** What the message's own request carries: files, or (when it carries none) URLs kept. */
    record OnMessage(List<Integer> files, List<Integer> urls) {
        static final OnMessage NOTHING = new OnMessage(List.of(), List.of());
    }

    /** The attachments of one message, for one attempt at delivering it. */
    final class Message implements AutoCloseable {
        private final ThreadPlan plan;
        private final String partKey;
        private final List<String> urls;
        private final Map<Integer, Object> resolved = new LinkedHashMap<>();
        private final Map<Integer, Outcome> now = new LinkedHashMap<>();
        private final Map<Integer, LedgerRecord> before = new LinkedHashMap<>();

        Message(ThreadPlan plan, String partKey, List<String> urls) {
            this.plan = plan;
            this.partKey = partKey;
            this.urls = urls == null ? List.of() : urls;
            for (int i = 0; i < this.urls.size(); i++) {
                Optional<LedgerRecord> r = ledger.find(key(i));
                if (r.isPresent() && isFinal(r.get())) {
                    before.put(i, r.get());
                }
            }
        }

        boolean any() {
            return !urls.isEmpty();
        }

        private RecordKey key(int i) {
            return new RecordKey(plan.key().system(), "attachment", plan.key().sourceId() + "#" + partKey + "#" + i);
        }

        /** Resolves (finds or downloads) every attachment not copied or kept yet; idempotent within the attempt. */
        private void resolve() {
            for (int i = 0; i < urls.size(); i++) {
                if (!before.containsKey(i) && !now.containsKey(i) && !resolved.containsKey(i)) {
                    Object r = source.resolve(urls.get(i));
                    if (r instanceof Copyable c && requestBytes(c) + ENVELOPE_BYTES > source.policy().maxRequestBytes()) {
                        source.release(c);
                        r = new Kept(c.url(), "file of " + c.size() + " bytes does not fit in one request under "
                                + "attachments.max-request-bytes (" + source.policy().maxRequestBytes() + ")");
                    }
                    resolved.put(i, r);
                }
            }
        }

        /**
         * The message is about to be sent: what its request carries. {@code canCarryFiles} false for a part the API
         * takes no files on; {@code textBytes} the size of the message's own JSON.
         */
        OnMessage forMessage(boolean canCarryFiles, long textBytes) {
            if (urls.isEmpty() || before.size() == urls.size()) {
                return OnMessage.NOTHING;
            }
            resolve();
            List<Integer> files = canCarryFiles ? firstChunk(copyable(), textBytes) : List.of();
            if (!files.isEmpty()) {
                return new OnMessage(files, List.of());
            }
            List<Integer> kept = keptIndexes();
            return new OnMessage(List.of(), kept.subList(0, Math.min(PER_PART, kept.size())));
        }

        /** Puts the message's share on its request body (attachment_urls; the files are added by the client). */
        ObjectNode apply(OnMessage on, ObjectNode body) {
            if (!on.urls().isEmpty()) {
                ArrayNode a = body.putArray("attachment_urls");
                on.urls().forEach(i -> a.add(urls.get(i)));
            }
            return body;
        }

        List<Copyable> files(OnMessage on) {
            return on.files().stream().map(i -> (Copyable) resolved.get(i)).toList();
        }

        /** The message's request landed: what it carried is final. */
        void landed(OnMessage on, String threadId) {
            on.files().forEach(i -> copied(i, threadId));
            on.urls().forEach(this::keptAsUrl);
        }

        /** Every file not on the message goes in notes of up to 10 at {@code createdAt}; then the URLs kept. */
        void sendRest(String path, String threadId, long createdAt, Landed landed) {
            if (before.size() + now.size() == urls.size()) {
                return;
            }
            resolve();
            List<Integer> files = copyable();
            while (!files.isEmpty()) {
                List<Integer> chunk = firstChunk(files, 0);
                if (chunk.isEmpty()) {
                    throw new IllegalStateException("no file fits a request: " + files); // resolve() keeps those as URLs
                }
                String text = "Attachments " + (chunk.get(0) + 1) + "–" + (chunk.get(chunk.size() - 1) + 1) + " of " + urls.size()
                        + " (" + messageName() + ")";
                note(path, threadId, createdAt, landed, "files-" + chunk.get(0), text, chunk, List.of());
                files = copyable();
            }
            List<Integer> kept = keptIndexes();
            for (int from = 0; from < kept.size(); from += PER_PART) {
                List<Integer> chunk = kept.subList(from, Math.min(kept.size(), from + PER_PART));
                // the numbers first: a lookup after an unknown outcome tells two notes of the message apart by their start
                StringBuilder text = new StringBuilder("Attachments " + String.join(", ", chunk.stream().map(i -> String.valueOf(i + 1))
                        .toList()) + " of " + urls.size() + " not copied (" + messageName() + "), kept as links:");
                chunk.forEach(i -> text.append('\n').append(urls.get(i)).append(" (").append(((Kept) resolved.get(i)).reason())
                        .append(')'));
                note(path, threadId, createdAt, landed, "urls-" + chunk.get(0), text.toString(), List.of(), chunk);
            }
        }

        private String messageName() {
            return partKey.equals(ThreadDelivery.OPENING) ? "opening message" : "message " + partKey;
        }

        private void note(String path, String threadId, long createdAt, Landed landed, String suffix, String text,
                          List<Integer> files, List<Integer> kept) {
            RecordKey key = new RecordKey(plan.key().system(), "note", plan.key().sourceId() + "#" + partKey + "-" + suffix);
            Optional<LedgerRecord> known = ledger.find(key);
            OnMessage on = new OnMessage(files, kept);
            if (known.map(LedgerRecord::delivered).orElse(false)
                    || known.isPresent() && landed.there(createdAt, text)) {
                ledger.markDelivered(key, run.runId(), threadId, threadId, "created"); // an earlier attempt's note landed
                landed(on, threadId);
                return;
            }
            ledger.markInFlight(key, run.runId(), threadId, null);
            ObjectNode body = NODES.objectNode().put("message_type", "note").put("type", "admin")
                    .put("admin_id", directory.defaultAdminId()).put("body", text).put("created_at", createdAt)
                    .put("skip_notifications", true);
            apply(on, body);
            long j = ledger.journalIntent(run.runId(), key, "NOTE", path, threadId, null);
            if (files.isEmpty()) {
                client.post(path + "/reply", body);
            } else {
                client.postWithFiles(path + "/reply", body, files(on));
            }
            ledger.journalDone(j, threadId);
            landed(on, threadId);
            ledger.markDelivered(key, run.runId(), threadId, threadId, "created");
        }

        /** Counts every attachment of the message once: copied / kept now, or what an earlier attempt did. */
        void count(List<Runnable> counts, boolean retry) {
            for (int i = 0; i < urls.size(); i++) {
                Outcome o = now.get(i);
                if (o == null) {
                    LedgerRecord r = before.get(i);
                    if (r == null) {
                        continue; // not final: the record failed before its attachments were sent, and counts nothing
                    }
                    boolean earlierAttempt = retry && r.runId().equals(run.runId());
                    o = !earlierAttempt ? Outcome.UNCHANGED
                            : r.status() == LedgerRecord.Status.SKIPPED ? Outcome.SKIPPED : Outcome.CREATED;
                }
                Outcome outcome = o;
                counts.add(() -> {
                    accounting.source("attachment");
                    accounting.outcome("attachment", outcome);
                });
            }
        }

        private void copied(int i, String threadId) {
            ledger.markDelivered(key(i), run.runId(), null, threadId, "created");
            now.put(i, Outcome.CREATED);
        }

        private void keptAsUrl(int i) {
            Kept k = (Kept) resolved.get(i);
            ledger.markSkipped(key(i), run.runId(), k.reason());
            accounting.queue("attachment kept as URL", plan.key() + " " + messageName() + ": " + k.url(), k.reason());
            now.put(i, Outcome.SKIPPED);
        }

        private List<Integer> copyable() {
            List<Integer> out = new ArrayList<>();
            resolved.forEach((i, r) -> {
                if (r instanceof Copyable && !now.containsKey(i)) {
                    out.add(i);
                }
            });
            return out;
        }

        private List<Integer> keptIndexes() {
            List<Integer> out = new ArrayList<>();
            resolved.forEach((i, r) -> {
                if (r instanceof Kept && !now.containsKey(i)) {
                    out.add(i);
                }
            });
            return out;
        }

        /** The longest run of the given files, at most 10, whose request stays under attachments.max-request-bytes. */
        private List<Integer> firstChunk(List<Integer> files, long textBytes) {
            List<Integer> chunk = new ArrayList<>();
            long bytes = ENVELOPE_BYTES + textBytes;
            for (int i : files) {
                long size = requestBytes((Copyable) resolved.get(i));
                if (chunk.size() == PER_PART || (!chunk.isEmpty() && bytes + size > source.policy().maxRequestBytes())) {
                    break;
                }
                if (chunk.isEmpty() && bytes + size > source.policy().maxRequestBytes()) {
                    break; // the message's own text leaves no room: this file goes in a note
                }
                chunk.add(i);
                bytes += size;
            }
            return chunk;
        }

        /** A file's share of a request: its base64 data and its name and type. */
        private long requestBytes(Copyable c) {
            return (c.size() < 0 ? 0 : FilesRequestBody.encodedLength(c.size())) + 256 + 2L * c.name().length();
        }

        /** Downloaded files are removed once the message's requests are done (or failed: the retry fetches again). */
        @Override
        public void close() {
            resolved.values().forEach(r -> {
                if (r instanceof Copyable c) {
                    source.release(c);
                }
            });
        }
    }

    private static boolean isFinal(LedgerRecord r) {
        return r.delivered() || r.status() == LedgerRecord.Status.SKIPPED;
    }
}
