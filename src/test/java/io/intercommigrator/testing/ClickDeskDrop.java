package io.intercommigrator.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A deterministic ClickDesk export of mixed records for fault and crash suites (and {@code bench/faults.sh}):
 * visitors.csv (about 5 % leads without email, about 2 % repeating an earlier visitor's email in other case),
 * chats.json (each session {@value #MESSAGES_PER_CHAT} messages: visitor, agent, visitor, bot, agent), tickets.csv
 * (channels rotating web / email / chat / phone, so both tickets and conversations), ticket_messages.csv
 * ({@value #MESSAGES_PER_TICKET} per ticket) and tags.csv (visitor, chat and ticket rows).
 * Every text is unique, every thread has its own created_at, so duplicates and order can be checked exactly. Every
 * timestamp is written in one of the forms of export-formats.md, rotating ({@link TimestampForms}), and visitors.csv
 * carries {@link #ODD_COLUMNS} with odd values of every custom field type.
 *
 * <p>Standalone: {@code java -cp target/test-classes:<test classpath> io.intercommigrator.testing.ClickDeskDrop
 * DIR VISITORS CHATS TICKETS TAGS [SEED]} writes the five files into DIR and prints the source counts.
 */
public final class ClickDeskDrop {
    public static final int MESSAGES_PER_CHAT = 5;
    public static final int MESSAGES_PER_TICKET = 2;
    /** The agents of the export; the fake Intercom needs them as admins so every agent message has its author. */
    public static final List<String> AGENTS = List.of("agent1@acme.test", "agent2@acme.test", "agent3@acme.test");
    public static final String TEAM = "Support";

    private static final long CHAT_EPOCH = 1_700_000_000L;
    private static final long TICKET_EPOCH = 1_710_000_000L;

    /** How many records of each kind the drop holds. */
    public record Size(int visitors, int chats, int tickets, int tags) {
        public int chatMessages() {
            return chats * MESSAGES_PER_CHAT;
        }

        public int ticketMessages() {
            return tickets * MESSAGES_PER_TICKET;
        }

        /** Rows and sessions in the files: the "records" of the drop. */
        public int records() {
            return visitors + chats + tickets + ticketMessages() + tags;
        }
    }

    private ClickDeskDrop() {
    }

    public static String visitorId(int i) {
        return "v" + i;
    }

    /** Null for a lead (every 20th visitor); every 50th visitor repeats visitor i-1's email in upper case. */
    public static String visitorEmail(int i) {
        if (i % 20 == 0) {
            return null;
        }
        if (i % 50 == 1 && i > 1 && (i - 1) % 20 != 0) {
            return ("visitor" + (i - 1) + "@Example.com").toUpperCase(java.util.Locale.ROOT);
        }
        return "visitor" + i + "@example.com";
    }

    /** The zone ClickDesk local times are read in (clickdesk.time-zone, default UTC). */
    public static final java.time.ZoneId ZONE = java.time.ZoneOffset.UTC;

    /** first_seen of visitor i (Unix seconds), written in a rotating timestamp form. */
    public static long visitorFirstSeen(int i) {
        return 1_690_000_000L + i;
    }

    /**
     * Extra visitors.csv columns with odd values of every custom field type (empty, spaces, "1 234,5", "1e3", yes / no,
     * non-ASCII, longer than Intercom takes): candidate attributes, typed when a test maps them ({@link #ODD_COLUMNS_MAPPING}).
     */
    public static final List<String> ODD_COLUMNS = List.of("seats", "renewal", "vip", "note");

    /** The mapping.yaml value of {@code clickdesk.extra_columns} that types {@link #ODD_COLUMNS}. */
    public static final String ODD_COLUMNS_MAPPING = "{seats: {attribute: cd_seats, type: float}, renewal: {attribute: cd_renewal,"
            + " type: date}, vip: {attribute: cd_vip, type: boolean}, note: {attribute: cd_note, type: string}}";

    /** The odd values of visitor i's {@link #ODD_COLUMNS}, as CSV cells. */
    static String oddValues(int i) {
        return String.join(",", csv(TimestampForms.odd(TimestampForms.ODD_NUMBERS, i)),
                csv(TimestampForms.dateFieldValue(i, java.time.LocalDate.of(2027, 1, 1).plusDays(i % 365), ZONE)),
                csv(TimestampForms.odd(TimestampForms.ODD_BOOLEANS, i)), csv(TimestampForms.odd(TimestampForms.ODD_TEXTS, i)));
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    public static String chatId(int j) {
        return "c" + j;
    }

    public static String ticketId(int j) {
        return "t" + j;
    }

    /** Text of message {@code m} of chat {@code j}: unique across the drop. */
    public static String chatText(int j, int m) {
        return "chat " + j + " message " + m + " " + WORDS[(j * 7 + m) % WORDS.length];
    }

    /** created_at (Unix seconds) of chat {@code j}; its messages follow a minute apart. */
    public static long chatStart(int j) {
        return CHAT_EPOCH + j * 3_600L;
    }

    /** A chat's visitor: every 10th chat comes from a visitor not in visitors.csv (w<j>), else a visitor with email. */
    static int chatVisitor(int j, int visitors) {
        int i = 1 + Math.floorMod(j * 37, visitors);
        while (visitorEmail(i) == null || !visitorEmail(i).equals(visitorEmail(i).toLowerCase(java.util.Locale.ROOT))) {
            i = i % visitors + 1;
        }
        return i;
    }

    public static Size write(Path dir, Size size, long seed) {
        try {
            Files.createDirectories(dir);
            Random random = new Random(seed);
            writeVisitors(dir.resolve("visitors.csv"), size, random);
            writeChats(dir.resolve("chats.json"), size, random);
            writeTickets(dir, size);
            writeTags(dir.resolve("tags.csv"), size);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeVisitors(Path file, Size size, Random random) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("visitor_id,name,email,phone,tags,city,country,country_code,browser,os,first_seen,last_seen,"
                    + String.join(",", ODD_COLUMNS) + "\n");
            for (int i = 1; i <= size.visitors(); i++) {
                String email = visitorEmail(i);
                String tags = i % 3 == 0 ? "vip|newsletter" : "newsletter";
                w.write(String.format(java.util.Locale.ROOT, "%s,Visitor %d,%s,+1 555 %07d,%s,Austin,United States,US,%s,Linux,%s,%s,%s%n",
                        visitorId(i), i, email == null ? "" : email, i, tags, random.nextBoolean() ? "Firefox" : "Chrome",
                        TimestampForms.form(i, visitorFirstSeen(i), ZONE), TimestampForms.form(i + 3, visitorFirstSeen(i) + 86_400L, ZONE),
                        oddValues(i)));
            }
        }
    }

    private static void writeChats(Path file, Size size, Random random) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("session");
            for (int j = 1; j <= size.chats(); j++) {
                boolean newVisitor = j % 10 == 0;
                int v = chatVisitor(j, size.visitors());
                String visitor = newVisitor ? "w" + j : visitorId(v);
                String email = newVisitor ? "walkin" + j + "@example.org" : visitorEmail(v);
                String agent = AGENTS.get(j % AGENTS.size());
                long start = chatStart(j);
                g.writeStartObject();
                g.writeStringField("chat_id", chatId(j));
                g.writeStringField("visitor_id", visitor);
                g.writeStringField("name", newVisitor ? "Walk-in " + j : "Visitor " + v);
                g.writeStringField("email", email);
                g.writeStringField("agent_id", "Agent " + (j % AGENTS.size() + 1));
                g.writeStringField("agent_email", agent);
                g.writeStringField("department", TEAM);
                g.writeStringField("start_time", Long.toString(start * 1000));
                g.writeStringField("status", "closed");
                g.writeStringField("user_rate", Integer.toString(1 + random.nextInt(5)));
                g.writeArrayFieldStart("tags");
                g.writeString(j % 2 == 0 ? "billing" : "support");
                g.writeEndArray();
                g.writeArrayFieldStart("messages");
                String[] from = {"visitor", "agent", "visitor", "bot", "agent"};
                for (int m = 0; m < MESSAGES_PER_CHAT; m++) {
                    g.writeStartObject();
                    g.writeStringField("time", TimestampForms.form(j + m, start + 60L * m, ZONE));
                    g.writeStringField("from", from[m]);
                    g.writeStringField("sender_name", from[m].equals("agent") ? "Agent" : from[m].equals("bot") ? "Bot" : "Visitor");
                    if (from[m].equals("agent")) {
                        g.writeStringField("sender_email", agent);
                    }
                    g.writeStringField("text", chatText(j, m));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static final String[][] CHANNELS = {{"web", "open"}, {"email", "closed"}, {"chat", "closed"}, {"phone", "pending"}};

    /** True when the default routing makes ticket j an Intercom ticket (web / phone), false for a conversation. */
    public static boolean ticketIsTicket(int j) {
        String channel = CHANNELS[j % CHANNELS.length][0];
        return channel.equals("web") || channel.equals("phone");
    }

    public static long ticketCreated(int j) {
        return TICKET_EPOCH + j * 7_200L;
    }

    public static String ticketMessageText(int j, int k) {
        return "ticket " + j + " message " + k + " " + WORDS[(j * 3 + k) % WORDS.length];
    }

    private static void writeTickets(Path dir, Size size) throws IOException {
        try (BufferedWriter t = Files.newBufferedWriter(dir.resolve("tickets.csv"), StandardCharsets.UTF_8);
             BufferedWriter m = Files.newBufferedWriter(dir.resolve("ticket_messages.csv"), StandardCharsets.UTF_8)) {
            t.write("ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags\n");
            m.write("ticket_id,message_id,author_type,author_email,body,created_at,attachments\n");
            for (int j = 1; j <= size.tickets(); j++) {
                int v = chatVisitor(j * 3 + 1, size.visitors());
                String[] channel = CHANNELS[j % CHANNELS.length];
                String agent = AGENTS.get(j % AGENTS.size());
                long created = ticketCreated(j);
                t.write(String.format(java.util.Locale.ROOT, "%s,Subject %d,Ticket %d body,%s,medium,%s,%s,%s,%s,Visitor %d,%s,%s,,%s%n",
                        ticketId(j), j, j, channel[1], channel[0], TEAM, agent, visitorId(v), v, visitorEmail(v),
                        TimestampForms.form(j, created, ZONE), j % 5 == 0 ? "escalated" : ""));
                for (int k = 1; k <= MESSAGES_PER_TICKET; k++) {
                    boolean fromAgent = k % 2 == 1;
                    m.write(String.format(java.util.Locale.ROOT, "%s,m%d_%d,%s,%s,%s,%s,%n", ticketId(j), j, k,
                            fromAgent ? "agent" : "visitor", fromAgent ? agent : visitorEmail(v), ticketMessageText(j, k),
                            TimestampForms.form(j + k, created + 600L * k, ZONE)));
                }
            }
        }
    }

    /** The rows of tags.csv: tag, object_type, object_id (a third each on visitors, chats and tickets; repeats allowed). */
    public static List<String[]> tagRows(Size size) {
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < size.tags(); r++) {
            int pick = Math.floorMod(r * 7_919 + 13, 1_000_003);
            rows.add(switch (r % 3) {
                case 0 -> new String[]{"imported", "visitor", visitorId(1 + pick % size.visitors())};
                case 1 -> new String[]{"urgent", "chat", chatId(1 + pick % size.chats())};
                default -> new String[]{"escalated", "ticket", ticketId(1 + pick % size.tickets())};
            });
        }
        return rows;
    }

    private static void writeTags(Path file, Size size) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("tag,object_type,object_id\n");
            for (String[] row : tagRows(size)) {
                w.write(String.join(",", row) + "\n");
            }
        }
    }

    private static final String[] WORDS = {"invoice", "password", "refund", "shipping", "upgrade", "login", "export",
            "billing", "cancel", "discount", "delivery", "account"};

    /** Expected chat message texts of chat j, in order (the first opens the conversation). */
    public static List<String> chatTexts(int j) {
        List<String> out = new ArrayList<>();
        for (int m = 0; m < MESSAGES_PER_CHAT; m++) {
            out.add(chatText(j, m));
        }
        return out;
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: ClickDeskDrop DIR VISITORS CHATS TICKETS TAGS [SEED]");
            System.exit(2);
        }
        Size size = new Size(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]));
        write(Path.of(args[0]), size, args.length > 5 ? Long.parseLong(args[5]) : 7L);
        System.out.printf("visitors=%d chats=%d chat_messages=%d tickets=%d ticket_messages=%d tags=%d records=%d%n",
                size.visitors(), size.chats(), size.chatMessages(), size.tickets(), size.ticketMessages(), size.tags(),
                size.records());
    }
}
