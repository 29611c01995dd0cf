package io.intercommigrator.clickdesk;

import java.util.List;
import java.util.Locale;

import io.intercommigrator.mapping.ThreadPlan;

/**
 * Operator rule deciding whether a ClickDesk ticket becomes an Intercom conversation or ticket (mapping.md). Rules
 * are tried in order; the first whose channel and status match (null = any, case-insensitive) gives the target,
 * else {@code fallback}. Targets: "conversation" or "ticket".
 */
public record TicketRouting(List<Rule> rules, String fallback) {

    public TicketRouting {
        rules = List.copyOf(rules);
        kindOf(fallback);
    }

    /** One rule: channel and status (null = any), target "conversation" or "ticket". */
    public record Rule(String channel, String status, String target) {
        public Rule {
            kindOf(target);
        }

        boolean matches(String channel, String status) {
            return (this.channel == null || this.channel.trim().equalsIgnoreCase(channel))
                    && (this.status == null || this.status.trim().equalsIgnoreCase(status));
        }
    }

    /** chat → conversation, email + closed → conversation, everything else → ticket. */
    public static TicketRouting defaults() {
        return new TicketRouting(List.of(new Rule("chat", null, "conversation"), new Rule("email", "closed", "conversation")),
                "ticket");
    }

    /** The rules of mapping.yaml ({@code ticket_routing}, {@code ticket_routing_fallback}), or the defaults. */
    public static TicketRouting of(io.intercommigrator.mapping.MappingConfig.ClickDesk config) {
        return new TicketRouting(config.ticketRouting() == null ? defaults().rules()
                : config.ticketRouting().stream().map(r -> new Rule(r.channel(), r.status(), r.target())).toList(),
                config.ticketRoutingFallback());
    }

    public ThreadPlan.Kind route(String channel, String status) {
        String c = channel == null ? "" : channel.trim();
        String s = status == null ? "" : status.trim();
        for (Rule rule : rules) {
            if (rule.matches(c, s)) {
                return kindOf(rule.target());
            }
        }
        return kindOf(fallback);
    }

    private static ThreadPlan.Kind kindOf(String target) {
        String t = target == null ? "" : target.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "conversation" -> ThreadPlan.Kind.CONVERSATION;
            case "ticket" -> ThreadPlan.Kind.TICKET;
            default -> throw new IllegalArgumentException("ticket routing target must be \"conversation\" or \"ticket\", not \""
                    + target + "\"");
        };
    }
}
