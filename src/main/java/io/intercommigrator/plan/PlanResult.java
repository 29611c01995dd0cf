package io.intercommigrator.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code plan} found in the inbox.
 *
 * @param objects           object type → counts; the six reconciliation types first (always present), then the
 *                          definition files (agent, department, campaign, …) that were found
 * @param problems          one line per refused or unknown file and per row that will not move (capped per file)
 * @param apiCalls          estimated Intercom requests (model in {@link Planner})
 * @param estimatedDuration apiCalls at the configured requests per minute
 * @param proposedYaml      the text for {@code config/mapping.proposed.yaml}
 */
public record PlanResult(Map<String, ObjectPlan> objects, List<String> problems, long apiCalls, Duration estimatedDuration,
                         String proposedYaml, Attachments attachments) {

    public PlanResult(Map<String, ObjectPlan> objects, List<String> problems, long apiCalls, Duration estimatedDuration,
                      String proposedYaml) {
        this(objects, problems, apiCalls, estimatedDuration, proposedYaml, Attachments.NONE);
    }

    /**
     * The messages' attachments: shipped in an {@code attachments/} folder of the inbox or a bundle (and their total
     * size), to be downloaded during the run (nothing is downloaded by plan), and those that cannot be copied at all
     * (not shipped, not an http(s) URL).
     */
    public record Attachments(long shipped, long shippedBytes, long toDownload, long notCopyable) {
        public static final Attachments NONE = new Attachments(0, 0, 0, 0);

        public long total() {
            return shipped + toDownload + notCopyable;
        }
    }

    public PlanResult {
        objects = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(objects));
        problems = List.copyOf(problems);
    }

    /**
     * Counts of one object type, as the reconciliation report will count its source.
     *
     * @param records every record read, those below included
     * @param skipped records that go to the reconciliation queue (e.g. a LeadDesk contact with neither email nor phone)
     * @param invalid records that cannot be read or mapped (malformed row, invalid email, bad timestamp …): dead letters
     */
    public record ObjectPlan(long records, long skipped, long invalid) {
    }
}
