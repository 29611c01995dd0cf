package io.intercommigrator.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.intercommigrator.testing.ClickDeskDrop.Size;

/**
 * Where every source record of a {@link ClickDeskDrop} stands in a migrator home's ledger (work/ledger.mv.db, read
 * after the migrator has exited) and dead letters: delivered, skipped, dead-lettered, still in flight (an unknown
 * outcome nobody resolved), or missing (no trace at all: lost). Counted per kind of record, tags included (tags.csv
 * rows, visitor tags and thread tags).
 *
 * <p>Standalone (bench/): {@code LedgerAudit HOME VISITORS CHATS TICKETS TAGS} prints one line per kind.
 */
public final class LedgerAudit {
    /** One kind of record: how many the drop holds, and what became of them. */
    public record Count(long expected, long delivered, long skipped, long dead, long inFlight, long missing) {
    }

    private LedgerAudit() {
    }

    /** kind → "object_type/source_id" ledger keys of every source record of the drop. */
    public static Map<String, Set<String>> expectedKeys(Size size) {
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (String kind : List.of("contact", "conversation", "ticket", "conversation_part", "tag")) {
            keys.put(kind, new LinkedHashSet<>());
        }
        for (int i = 1; i <= size.visitors(); i++) {
            String v = ClickDeskDrop.visitorId(i);
            keys.get("contact").add("contact/" + v);
            keys.get("tag").add("tag/" + v + "|newsletter");
            if (i % 3 == 0) {
                keys.get("tag").add("tag/" + v + "|vip");
            }
        }
        for (int j = 1; j <= size.chats(); j++) {
            String c = ClickDeskDrop.chatId(j);
            keys.get("conversation").add("conversation/" + c);
            for (int m = 1; m < ClickDeskDrop.MESSAGES_PER_CHAT; m++) {
                keys.get("conversation_part").add("conversation_part/" + c + "#" + m);
            }
            keys.get("tag").add("tag/conversation:" + c + "|" + (j % 2 == 0 ? "billing" : "support"));
        }
        for (int j = 1; j <= size.tickets(); j++) {
            String t = ClickDeskDrop.ticketId(j);
            String type = ClickDeskDrop.ticketIsTicket(j) ? "ticket" : "conversation";
            keys.get("ticket").add(type + "/" + t);
            for (int k = 1; k <= ClickDeskDrop.MESSAGES_PER_TICKET; k++) {
                keys.get("conversation_part").add("conversation_part/" + t + "#m" + j + "_" + k);
            }
            if (j % 5 == 0) {
                keys.get("tag").add("tag/" + type + ":" + t + "|escalated");
            }
        }
        for (String[] row : ClickDeskDrop.tagRows(size)) {
            keys.get("tag").add(tagRowKey(row[0], row[1], row[2]));
        }
        return keys;
    }

    private static String tagRowKey(String tag, String objectType, String objectId) {
        String target = switch (objectType) {
            case "visitor" -> "contact";
            case "chat" -> "conversation";
            default -> "ticket";
        };
        return "tag/" + target + ":" + objectId + "|" + tag.trim().toLowerCase(Locale.ROOT);
    }

    /** Keys the home's dead letters name (a record dead-lettered before its first write has no ledger row). */
    static Set<String> deadLetterKeys(List<JsonNode> deadLetters) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode d : deadLetters) {
            String file = d.path("source_file").asText();
            JsonNode r = d.path("source_record");
            if (file.endsWith("visitors.csv")) {
                out.add("contact/" + r.path("visitor_id").asText());
            } else if (file.endsWith("chats.json")) {
                out.add("conversation/" + r.path("chat_id").asText());
            } else if (file.endsWith("ticket_messages.csv")) {
                out.add("conversation_part/" + r.path("ticket_id").asText() + "#" + r.path("message_id").asText());
            } else if (file.endsWith("tickets.csv")) {
                out.add("ticket/" + r.path("ticket_id").asText());
                out.add("conversation/" + r.path("ticket_id").asText());
            } else if (file.endsWith("tags.csv")) {
                out.add(tagRowKey(r.path("tag").asText(), r.path("object_type").asText(), r.path("object_id").asText()));
            }
        }
        return out;
    }

    /** The audit of a home whose migrator has exited (the ledger file is opened read-only). */
    public static Map<String, Count> of(MigratorHarness home, Size size) {
        return of(home.home(), size, home.deadLetters());
    }

    static Map<String, Count> of(Path home, Size size, List<JsonNode> deadLetters) {
        Map<String, String> status = new HashMap<>();
        String url = "jdbc:h2:file:" + home.resolve("work/ledger").toAbsolutePath() + ";ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT object_type, source_id, status FROM record WHERE system = 'clickdesk'")) {
            while (rs.next()) {
                status.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger of " + home, e);
        }
        Set<String> dead = deadLetterKeys(deadLetters);
        Map<String, Count> out = new LinkedHashMap<>();
        expectedKeys(size).forEach((kind, keys) -> {
            long delivered = 0, skipped = 0, deadLettered = 0, inFlight = 0, missing = 0;
            for (String key : keys) {
                String st = status.get(key);
                if ("DELIVERED".equals(st)) {
                    delivered++;
                } else if ("SKIPPED".equals(st)) {
                    skipped++;
                } else if ("DEAD".equals(st) || dead.contains(key)) {
                    deadLettered++;
                } else if ("IN_FLIGHT".equals(st)) {
                    inFlight++;
                } else {
                    missing++;
                }
            }
            out.put(kind, new Count(keys.size(), delivered, skipped, deadLettered, inFlight, missing));
        });
        return out;
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: LedgerAudit HOME VISITORS CHATS TICKETS TAGS");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Size size = new Size(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]));
        List<JsonNode> deadLetters = MigratorHarness.deadLettersIn(home);
        System.out.printf("%-18s %9s %9s %8s %6s %9s %8s%n", "ledger", "expected", "delivered", "skipped", "dead", "in_flight",
                "missing");
        of(home, size, deadLetters).forEach((kind, c) -> System.out.printf("%-18s %9d %9d %8d %6d %9d %8d%n", kind,
                c.expected(), c.delivered(), c.skipped(), c.dead(), c.inFlight(), c.missing()));
    }
}
