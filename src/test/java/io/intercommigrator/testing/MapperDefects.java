package io.intercommigrator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.WorkItem;

/**
 * Mapping defects a test puts into a home folder's routes (a step right after a mapper): what the mapper made of a
 * record is altered before it is delivered, so Intercom holds exactly what was sent, and only a comparison with the
 * source record can tell. Each method is one defect a real mapper could have.
 */
public final class MapperDefects {

    /** A charset defect: the contact's name loses its accents ("Anna Müller" → "Anna Muller"). */
    public void nameLosesAccents(WorkItem item) {
        if (item.plan() instanceof ContactPlan plan && plan.payload().hasNonNull("name")) {
            String folded = Normalizer.normalize(plan.payload().path("name").asText(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
            plan.payload().put("name", folded);
        }
    }

    /** A time zone defect: the thread and every part one hour late. */
    public void threadOneHourLate(WorkItem item) {
        if (item.plan() instanceof ThreadPlan p) {
            List<ThreadPlan.PartPlan> parts = p.parts().stream().map(x -> new ThreadPlan.PartPlan(x.partKey(), x.author(),
                    x.adminEmail(), x.adminName(), x.note(), x.body(), x.createdAt() + 3600, x.attachmentUrls())).toList();
            item.plan(new ThreadPlan(p.key(), p.kind(), p.contact(), p.createdAt() + 3600, p.body(), p.attachmentUrls(), p.subject(),
                    p.ticketTypeName(), p.ticketAttributes(), p.attributes(), p.attributeTypes(), p.assigneeEmail(), p.teamName(),
                    parts, p.tags(), p.state(), p.leftOff()));
        }
    }

    /** A lookup defect: the call's disposition and outcome swapped. */
    public void dispositionAndOutcomeSwapped(WorkItem item) {
        if (item.plan() instanceof ThreadPlan p && p.attributes().containsKey("ld_disposition")) {
            Map<String, Object> attributes = new LinkedHashMap<>(p.attributes());
            attributes.put("ld_outcome", attributes.get("ld_disposition"));
            attributes.put("ld_disposition", p.attributes().get("ld_outcome"));
            item.plan(new ThreadPlan(p.key(), p.kind(), p.contact(), p.createdAt(), p.body(), p.attachmentUrls(), p.subject(),
                    p.ticketTypeName(), p.ticketAttributes(), attributes, p.attributeTypes(), p.assigneeEmail(), p.teamName(),
                    p.parts(), p.tags(), p.state(), p.leftOff()));
        }
    }

    /**
     * An ordering defect: the parts' times taken in reverse (the first part gets the last one's time, …), so Intercom,
     * which lists parts by created_at, shows the thread newest first.
     */
    public void partTimesReversed(WorkItem item) {
        if (item.plan() instanceof ThreadPlan p) {
            List<ThreadPlan.PartPlan> in = p.parts();
            List<ThreadPlan.PartPlan> parts = new java.util.ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                ThreadPlan.PartPlan x = in.get(i);
                parts.add(new ThreadPlan.PartPlan(x.partKey(), x.author(), x.adminEmail(), x.adminName(), x.note(), x.body(),
                        in.get(in.size() - 1 - i).createdAt(), x.attachmentUrls()));
            }
            item.plan(new ThreadPlan(p.key(), p.kind(), p.contact(), p.createdAt(), p.body(), p.attachmentUrls(), p.subject(),
                    p.ticketTypeName(), p.ticketAttributes(), p.attributes(), p.attributeTypes(), p.assigneeEmail(), p.teamName(),
                    parts, p.tags(), p.state(), p.leftOff()));
        }
    }

    /** A unit defect: a VoIP call's duration in seconds read as minutes ("1:35 (95 s)" → "95:00 (5700 s)"). */
    public void callDurationAsMinutes(WorkItem item) {
        if (item.plan() instanceof ThreadPlan p) {
            List<ThreadPlan.PartPlan> parts = p.parts().stream().map(x -> {
                java.util.regex.Matcher d = java.util.regex.Pattern.compile("Duration: \\d+:\\d{2} \\((\\d+) s\\)").matcher(x.body());
                String body = !d.find() ? x.body() : x.body().substring(0, d.start()) + "Duration: " + d.group(1) + ":00 ("
                        + Long.parseLong(d.group(1)) * 60 + " s)" + x.body().substring(d.end());
                return new ThreadPlan.PartPlan(x.partKey(), x.author(), x.adminEmail(), x.adminName(), x.note(), body, x.createdAt(),
                        x.attachmentUrls());
            }).toList();
            item.plan(new ThreadPlan(p.key(), p.kind(), p.contact(), p.createdAt(), p.body(), p.attachmentUrls(), p.subject(),
                    p.ticketTypeName(), p.ticketAttributes(), p.attributes(), p.attributeTypes(), p.assigneeEmail(), p.teamName(),
                    parts, p.tags(), p.state(), p.leftOff()));
        }
    }

    /** A lookup defect: a ticket message's author read the wrong way round (visitor → agent, agent → visitor). */
    public void messageAuthorSwapped(WorkItem item) {
        if (item.plan() instanceof io.intercommigrator.mapping.PartAddition a) {
            ThreadPlan.PartPlan x = a.part();
            boolean contact = x.author() == ThreadPlan.Author.CONTACT;
            item.plan(new io.intercommigrator.mapping.PartAddition(a.threadKeys(), new ThreadPlan.PartPlan(x.partKey(),
                    contact ? ThreadPlan.Author.ADMIN : ThreadPlan.Author.CONTACT, contact ? null : x.adminEmail(), x.adminName(),
                    x.note(), x.body(), x.createdAt(), x.attachmentUrls()), null));
        }
    }

    /** A date read in UTC where the source's zone (Europe/Helsinki) was meant: every date custom attribute shifted. */
    public void datesReadInUtc(WorkItem item) {
        if (item.plan() instanceof ContactPlan plan && plan.payload().path("custom_attributes") instanceof ObjectNode custom) {
            plan.attributeTypes().forEach((name, type) -> {
                JsonNode v = custom.path(name);
                if ("date".equals(type) && v.isNumber()) {
                    custom.put(name, v.asLong() + 3 * 3600);
                }
            });
        }
    }

    /**
     * Puts {@code defect} into {@code routes} right after the step that calls {@code ref}'s {@code method} (the
     * mapper), e.g. {@code inject(home.resolve("routes/clickdesk.camel.yaml"), "clickdeskThreads", "chat", "threadOneHourLate")}.
     */
    public static void inject(Path routes, String ref, String method, String defect) throws java.io.IOException {
        String yaml = Files.readString(routes);
        String step = "            ref: " + ref + "\n            method: " + method + "\n";
        if (!yaml.contains(step)) {
            throw new IllegalStateException("no step " + ref + "." + method + " in " + routes);
        }
        Files.writeString(routes, yaml.replace(step, step + "        - bean:\n            beanType: " + MapperDefects.class.getName()
                + "\n            method: " + defect + "\n"));
    }
}
