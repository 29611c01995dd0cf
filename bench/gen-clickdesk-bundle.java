// Deterministic generator of a realistic ClickDesk export bundle (export-formats.md, "ClickDesk").
//
//   java bench/gen-clickdesk-bundle.java OUT.zip [SCALE]
//
// SCALE 1 (default): 600 visitors, 360 chats (5-12 messages each), 150 tickets with ticket_messages, 60 offline
// messages, 40 social threads, 80 VoIP calls, 25 canned responses, ~250 tags.csv rows, 12 agents, 5 departments.
// SCALE 0.1 is the short mode. Same arguments → byte-identical ZIP (fixed seed, fixed entry times).
// Non-ASCII names and texts, quoted commas / quotes / newlines, every timestamp form of export-formats.md (rotating,
// the same instant in each), visitors.csv extra columns with odd values (seats, renewal, vip, note), visitors without email
// (leads), case-variant duplicate emails, chats of visitors missing from visitors.csv, attachments (one part with
// more than 10), tickets on every channel and status so both routing targets occur, formula-like canned replies.
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class GenClickDeskBundle {
    static final Random R = new Random(20260301L);
    static final String[] FIRST = {"Anna", "Jürgen", "José", "Zoë", "Łukasz", "Ayşe", "Søren", "Anaïs", "Björk", "Đorđe",
            "Małgorzata", "Nguyễn", "Chloé", "François", "Ólafur", "Åsa", "Håkon", "Iñaki", "Renée", "Matti", "Ольга",
            "Dmitrij", "Çağla", "Mónica", "Kateřina", "Grzegorz", "Sébastien", "Ingrid", "Kenji", "Ana-María"};
    static final String[] LAST = {"Müller", "Groß", "Álvarez", "Ødegård", "Wójcik", "Yılmaz", "Kierkegård", "Lefèvre",
            "Guðmundsdóttir", "Petrović", "Żak", "Văn An", "Dubois", "Château", "Sigurðsson", "Ström", "Nordmann",
            "Ibáñez", "O'Connor", "Meikäläinen", "Смирнова", "Schröder", "Öztürk", "Peña", "Dvořáková", "Brzęczyszczykiewicz",
            "Fontaine", "Bjørnstad", "田中", "de la Cruz"};
    static final String[][] PLACES = {{"Berlin", "Germany", "DE"}, {"München", "Deutschland", "DE"}, {"Zürich", "Switzerland", "CH"},
            {"São Paulo", "Brazil", "BR"}, {"Montréal", "Canada", "CA"}, {"Kraków", "Poland", "PL"}, {"İstanbul", "Turkey", "TR"},
            {"Reykjavík", "Iceland", "IS"}, {"Tōkyō", "Japan", "JP"}, {"Helsinki", "Finland", "FI"}, {"Oslo", "Norway", "NO"},
            {"New York", "United States", "US"}, {"Ciudad de México", "Mexico", "MX"}, {"", "", ""}};
    static final String[] BROWSERS = {"Chrome", "Firefox", "Safari", "Edge", "Samsung Internet"};
    static final String[] OSES = {"Windows 11", "macOS 14", "Android 14", "iOS 17", "Ubuntu 24.04"};
    static final String[] VISITOR_TAGS = {"vip", "newsletter", "Premium-Kunde", "rückruf", "beta tester", "b2b", "früher Kunde"};
    static final String[] CHAT_TAGS = {"billing", "shipping", "Rückerstattung", "bug", "feature request", "pricing", "urgent"};
    static final String[] DEPARTMENTS = {"Support", "Sales", "Billing", "Technik", "Atención al cliente"};
    static final String[][] AGENTS = {
            {"a1", "Sam Support", "sam@acme.test", "admin", "Support|Technik"},
            {"a2", "Jörg Köhler", "joerg@acme.test", "agent", "Support"},
            {"a3", "Lucía Fernández", "lucia@acme.test", "agent", "Atención al cliente|Sales"},
            {"a4", "Mikko Häkkinen", "mikko@acme.test", "agent", "Technik"},
            {"a5", "Chloé Martin", "chloe@acme.test", "agent", "Billing"},
            {"a6", "Émile Zola", "emile@acme.test", "admin", "Sales"},
            {"a7", "Agnieszka Łuczak", "agnieszka@acme.test", "agent", "Support|Billing"},
            {"a8", "Thảo Nguyễn", "thao@acme.test", "agent", "Support"},
            {"a9", "Ren Sato", "ren@acme.test", "agent", "Technik"},
            {"a10", "Pål Østby", "paal@acme.test", "agent", "Sales"},
            {"a11", "Ghost Former", "ghost@acme.test", "agent", "Sales"},     // left the company: no Intercom admin
            {"a12", "Temp Holiday", "temp@acme.test", "agent", "Billing"}};    // ditto
    static final String[] VISITOR_LINES = {"Hallo, meine Rechnung stimmt nicht.", "¿Dónde está mi pedido?",
            "Hei, tarvitsen apua laskun kanssa.", "The app crashes when I upload a file, \"error 42\".",
            "Bonjour, je n'arrive pas à me connecter 😕", "Kann ich den Tarif wechseln?", "Dziękuję za szybką odpowiedź!",
            "Is there a discount for NGOs?", "Mein Passwort-Reset-Link ist abgelaufen.", "Thanks, that worked 👍",
            "Jeg får ikke tilsendt kvitteringen.", "Can you call me back tomorrow, 10:00 CET?", "Ok, danke schön!",
            "Und was kostet das pro Jahr?", "Sipariş numaram 4711."};
    static final String[] AGENT_LINES = {"Hi %s, thanks for reaching out! Let me check.", "Hallo %s, ich schaue sofort nach.",
            "Hola %s, ya lo reviso.", "Could you send me your order number, please?", "I have refunded the difference (12,50 €).",
            "The fix is live now; please reload the page.", "Ich habe Ihnen einen neuen Link geschickt.",
            "Is there anything else I can help with?", "Merci %s, c'est corrigé.", "I'll escalate this to our 2nd level team."};
    static final String[] BOT_LINES = {"Hi! I'm the ClickDesk bot. What can I help with?", "An agent will be with you shortly.",
            "Please choose: 1) Billing 2) Technical 3) Other", "Our opening hours are Mo–Fr 08:00–18:00 (CET).",
            "I didn't understand that. Connecting you to a human…"};

    static long clock = 1735689600L; // 2025-01-01T00:00:00Z; every thread starts at a distinct, later second

    static long nextStart() {
        clock += 300 + R.nextInt(2400);
        return clock;
    }

    static String pick(String[] a) {
        return a[R.nextInt(a.length)];
    }

    static String ascii(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("ø", "o").replace("Ø", "O").replace("ß", "ss").replace("ł", "l").replace("Ł", "L")
                .replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("æ", "ae").replace("ı", "i");
        n = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
        return n.isEmpty() ? "kunde" : n;
    }

    static String csv(Object... cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) b.append(',');
            String c = cells[i] == null ? "" : cells[i].toString();
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append("\r\n").toString();
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> { if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch)); else b.append(ch); }
            }
        }
        return b.append('"').toString();
    }

    static String iso(long s) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC));
    }

    static String isoOffset(long s, int hours) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.ofHours(hours)));
    }

    static String local(long s) { // ClickDesk local times are UTC (clickdesk.time-zone)
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC));
    }

    static String finnish(long s) {
        return DateTimeFormatter.ofPattern("d.M.yyyy H:mm").format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC));
    }

    // ---- every timestamp form of export-formats.md (as src/test/.../testing/TimestampForms does); local = UTC here
    static final String[] FORMS = {"iso-offset", "iso-offset-hhmm", "iso-z", "iso-local", "leaddesk-local", "finnish",
            "finnish-short", "unix-seconds", "unix-millis"};

    /** Unix seconds s in the n-th form (rotating): the same instant whatever the form. */
    static String anyForm(int n, long s) {
        java.time.OffsetDateTime utc = Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC);
        boolean wholeMinute = utc.getSecond() == 0;
        return switch (FORMS[Math.floorMod(n, FORMS.length)]) {
            case "iso-offset" -> isoOffset(s, 2);
            case "iso-offset-hhmm" -> Instant.ofEpochSecond(s).atOffset(ZoneOffset.ofHoursMinutes(-3, -30))
                    .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx", Locale.ROOT));
            case "iso-z" -> Instant.ofEpochSecond(s).toString();
            case "iso-local" -> utc.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT));
            case "leaddesk-local" -> local(s);
            case "finnish" -> utc.format(DateTimeFormatter.ofPattern(wholeMinute ? "dd.MM.uuuu HH:mm" : "dd.MM.uuuu HH:mm:ss", Locale.ROOT));
            case "finnish-short" -> utc.format(DateTimeFormatter.ofPattern(wholeMinute ? "d.M.uuuu H:mm" : "d.M.uuuu H:mm:ss", Locale.ROOT));
            case "unix-seconds" -> Long.toString(s);
            default -> Long.toString(s * 1000 + Math.floorMod(n, 1000));
        };
    }

    static final String[] ODD_NUMBERS = {"", "  ", "1 234", "1 234,5", "1e3", "-7", "12,5", "n/a", "1.234,5", "NaN", "42"};
    static final String[] ODD_BOOLEANS = {"yes", "no", "true", "FALSE", "1", "0", "", "maybe"};
    static final String[] ODD_TEXTS = {"", "   ", "Ääkköset, åäö – €", "emoji 😊 and \"quotes\"", "long ".repeat(70).strip(), "日本語のメモ"};

    /** A value of a date column: date-only forms, every timestamp form, and values that are no date. */
    static String dateValue(int n, java.time.LocalDate d) {
        String[] all = {d.toString(), d.format(DateTimeFormatter.ofPattern("dd.MM.uuuu", Locale.ROOT)),
                d.format(DateTimeFormatter.ofPattern("d.M.uuuu", Locale.ROOT)), anyForm(n, d.atStartOfDay(ZoneOffset.UTC).toEpochSecond()),
                "", "31.02.2027", "next week"};
        return all[Math.floorMod(n, all.length)];
    }

    static String odd(String[] values, int n) {
        return values[Math.floorMod(n, values.length)];
    }

    record Visitor(String id, String name, String email, String phone) {
    }

    static int n(double scale, int full) {
        return Math.max(1, (int) Math.round(full * scale));
    }

    public static void main(String[] args) throws Exception {
        String out = args[0];
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        int nVisitors = n(scale, 600), nChats = n(scale, 360), nTickets = n(scale, 150), nOffline = n(scale, 60);
        int nSocial = n(scale, 40), nVoip = n(scale, 80), nCanned = n(scale, 25), nTags = n(scale, 250);
        Map<String, String> files = new LinkedHashMap<>();

        // ---- agents.csv, departments.csv
        StringBuilder agents = new StringBuilder(csv("agent_id", "name", "email", "role", "departments"));
        for (String[] a : AGENTS) agents.append(csv((Object[]) a));
        files.put("agents.csv", agents.toString());
        StringBuilder deps = new StringBuilder(csv("department_id", "name"));
        for (int i = 0; i < DEPARTMENTS.length; i++) deps.append(csv("d" + (i + 1), DEPARTMENTS[i]));
        files.put("departments.csv", deps.toString());

        // ---- visitors.csv
        List<Visitor> visitors = new ArrayList<>();
        StringBuilder v = new StringBuilder(csv("visitor_id", "name", "email", "phone", "tags", "social_source", "city",
                "country", "country_code", "browser", "os", "first_seen", "last_seen", "company", "seats", "renewal", "vip", "note"));
        for (int i = 1; i <= nVisitors; i++) {
            String first = pick(FIRST), last = pick(LAST);
            String name = first + " " + last;
            String email;
            if (i % 13 == 0) {
                email = ""; // no email → lead
            } else if (i % 29 == 0 && visitors.size() > 5) {
                // the same person twice in the export, email in other case and with spaces → merged
                Visitor earlier = visitors.get(R.nextInt(visitors.size() - 1));
                email = earlier.email().isEmpty() ? ascii(first) + "." + i + "@example.com"
                        : " " + earlier.email().toUpperCase(Locale.ROOT) + " ";
            } else {
                email = ascii(first) + "." + ascii(last) + "." + i + "@" + pick(new String[]{"example.com", "example.de",
                        "beispiel.de", "example.fi", "correo.example.es", "example.co.jp"});
            }
            String phone = R.nextInt(3) == 0 ? "" : String.format("+%d %d %07d", 30 + R.nextInt(30), 10 + R.nextInt(80), i);
            List<String> tags = new ArrayList<>();
            for (String t : VISITOR_TAGS) if (R.nextInt(6) == 0) tags.add(t);
            String social = switch (R.nextInt(8)) { case 0 -> "facebook"; case 1 -> "twitter"; default -> ""; };
            String[] place = PLACES[R.nextInt(PLACES.length)];
            long firstSeen = 1704067200L + R.nextInt(30_000_000);
            long lastSeen = firstSeen + R.nextInt(5_000_000);
            String fs = anyForm(i, firstSeen); // every timestamp form, rotating
            String ls = anyForm(i + 4, lastSeen);
            String company = R.nextInt(4) == 0 ? "Müller & Söhne GmbH, Zweigstelle " + (i % 7) : "";
            v.append(csv("v" + i, name, email, phone, String.join("|", tags), social, place[0], place[1], place[2],
                    pick(BROWSERS), pick(OSES), fs, ls, company, odd(ODD_NUMBERS, i), dateValue(i, java.time.LocalDate.of(2027, 1, 1)
                            .plusDays(i % 365)), odd(ODD_BOOLEANS, i), odd(ODD_TEXTS, i)));
            visitors.add(new Visitor("v" + i, name, email.trim(), phone));
        }
        files.put("visitors.csv", v.toString());

        // ---- chats.json
        List<String> chatIds = new ArrayList<>();
        Map<String, String> chatVisitor = new LinkedHashMap<>();
        StringBuilder chats = new StringBuilder("{\"session\": [\n");
        for (int i = 1; i <= nChats; i++) {
            Visitor vis;
            if (i % 10 == 0) { // a visitor who is not in visitors.csv: upserted from the chat
                String first = pick(FIRST), last = pick(LAST);
                vis = new Visitor("vx" + i, first + " " + last, ascii(first) + ".chat" + i + "@example.org", "");
            } else {
                vis = visitors.get(R.nextInt(visitors.size()));
            }
            String[] agent = AGENTS[R.nextInt(AGENTS.length)];
            String dept = agent[4].split("\\|")[0];
            long start = nextStart();
            String chatId = "c" + (100000 + i);
            chatIds.add(chatId);
            chatVisitor.put(chatId, vis.id());
            int count = 5 + R.nextInt(8);
            StringBuilder msgs = new StringBuilder();
            long t = start;
            String visitorFirst = vis.name().split(" ")[0];
            for (int m = 0; m < count; m++) {
                String from;
                if (m == 0) from = i % 9 == 0 ? "bot" : "visitor";           // proactive bot greetings open some chats
                else if (m == 1 && i % 4 == 0) from = "bot";
                else from = R.nextInt(2) == 0 ? "visitor" : "agent";
                String text = switch (from) {
                    case "visitor" -> pick(VISITOR_LINES);
                    case "agent" -> String.format(pick(AGENT_LINES), visitorFirst);
                    default -> pick(BOT_LINES);
                };
                if (R.nextInt(15) == 0) text += "\nZeile 2: mit Umbruch, \"Zitat\" und Komma";
                List<String> att = new ArrayList<>();
                if (R.nextInt(12) == 0) {
                    int k = 1 + R.nextInt(2);
                    for (int a = 0; a < k; a++) att.add("https://files.clickdesk.example/" + chatId + "/Bildschirmfoto-" + m + "-" + a + ".png");
                }
                if (i == 7 && m == count - 1) { // one part with more attachments than Intercom takes on a part
                    from = "visitor";
                    for (int a = 0; a < 12; a++) att.add("https://files.clickdesk.example/" + chatId + "/scan-" + a + ".pdf");
                }
                t += 5 + R.nextInt(240);
                msgs.append(m == 0 ? "" : ",\n").append("      {\"time\": \"").append(anyForm(i + m, t)).append("\", \"from\": \"")
                        .append(from).append("\", \"sender_name\": ").append(json(switch (from) {
                            case "visitor" -> vis.name();
                            case "agent" -> agent[1];
                            default -> "ClickBot";
                        }));
                if (from.equals("agent")) msgs.append(", \"sender_email\": ").append(json(agent[2]));
                msgs.append(", \"text\": ").append(json(text));
                if (!att.isEmpty()) {
                    msgs.append(", \"attachments\": [");
                    for (int a = 0; a < att.size(); a++) msgs.append(a == 0 ? "" : ", ").append(json(att.get(a)));
                    msgs.append("]");
                }
                msgs.append("}");
            }
            String[] place = PLACES[R.nextInt(PLACES.length)];
            String visitorInfo = "{\"city\":" + json(place[0]) + ",\"country\":" + json(place[1])
                    + ",\"url\":\"https://acme.test/pricing?ref=" + i + "\",\"referrer\":\"https://www.google.com/\",\"browser\":"
                    + json(pick(BROWSERS)) + ",\"os\":" + json(pick(OSES)) + "}";
            List<String> tags = new ArrayList<>();
            for (String tg : CHAT_TAGS) if (R.nextInt(7) == 0) tags.add(tg);
            StringBuilder tagJson = new StringBuilder("[");
            for (int k = 0; k < tags.size(); k++) tagJson.append(k == 0 ? "" : ", ").append(json(tags.get(k)));
            tagJson.append("]");
            chats.append(i == 1 ? "" : ",\n").append("  {\"chat_id\": ").append(json(chatId))
                    .append(", \"visitor_id\": ").append(json(vis.id())).append(", \"name\": ").append(json(vis.name()))
                    .append(", \"email\": ").append(json(vis.email()))
                    .append(", \"agent_id\": ").append(json(agent[1])).append(", \"agent_email\": ").append(json(agent[2]))
                    .append(", \"department\": ").append(json(dept))
                    .append(", \"start_time\": \"").append(start * 1000).append("\", \"end_time\": \"").append(t * 1000)
                    .append("\", \"duration\": \"").append((t - start) * 1000).append("\", \"status\": ")
                    .append(json(i % 17 == 0 ? "missed" : "closed")).append(", \"chat_type\": ")
                    .append(json(i % 9 == 0 ? "proactive" : "chat")).append(", \"user_rate\": ")
                    .append(i % 5 == 0 ? json("") : json(String.valueOf(1 + R.nextInt(5))))
                    .append(", \"visitor_info\": ").append(json(visitorInfo))
                    .append(", \"tags\": ").append(tagJson).append(",\n    \"messages\": [\n").append(msgs).append("\n    ]}");
        }
        chats.append("\n]}\n");
        files.put("chats.json", chats.toString());

        // ---- tickets.csv + ticket_messages.csv (every channel × status, so both routing targets occur)
        String[] channels = {"email", "web", "chat", "phone"};
        String[] statuses = {"open", "pending", "closed"};
        String[] priorities = {"low", "medium", "high", "urgent"};
        String[] subjects = {"Rechnung falsch", "Lieferung verspätet", "Login funktioniert nicht", "Kündigung zum Monatsende",
                "Factura duplicada", "Datenexport (DSGVO)", "Passwort zurücksetzen", "Upgrade auf Pro", "Fehlermeldung \"500\"",
                "Laskussa virhe"};
        List<String> ticketIds = new ArrayList<>();
        StringBuilder tickets = new StringBuilder(csv("ticket_id", "subject", "body", "status", "priority", "channel", "department",
                "agent_email", "visitor_id", "visitor_name", "visitor_email", "created_at", "updated_at", "tags"));
        StringBuilder tmsgs = new StringBuilder(csv("ticket_id", "message_id", "author_type", "author_email", "body", "created_at",
                "attachments"));
        int messageSeq = 1;
        for (int i = 1; i <= nTickets; i++) {
            String channel = channels[i % channels.length];
            String status = statuses[(i / channels.length) % statuses.length];
            Visitor vis = i % 11 == 0 ? null : visitors.get(R.nextInt(visitors.size()));
            String[] agent = AGENTS[R.nextInt(AGENTS.length)];
            long created = nextStart();
            String id = "t" + (5000 + i);
            ticketIds.add(id);
            String subject = pick(subjects);
            String body = "Guten Tag,\nich habe folgendes Problem: " + subject.toLowerCase(Locale.ROOT)
                    + ". Bestellnummer " + (40000 + i) + ", Betrag 1.234,56 €.\nViele Grüße";
            String visitorName = vis != null ? vis.name() : "Anonyme Anfrage " + i;
            String visitorEmail = vis != null ? vis.email() : "anfrage" + i + "@example.net";
            String createdText = anyForm(i, created);
            String tagCell = R.nextInt(3) == 0 ? "billing|Rückerstattung" : R.nextInt(2) == 0 ? "urgent" : "";
            tickets.append(csv(id, subject, body, status, priorities[R.nextInt(4)], channel, pick(DEPARTMENTS), agent[2],
                    vis != null ? vis.id() : "", visitorName, visitorEmail, createdText, iso(created + 86400), tagCell));
            int k = 1 + R.nextInt(4);
            long t = created;
            for (int m = 0; m < k; m++) {
                t += 600 + R.nextInt(20000);
                boolean fromAgent = m % 2 == 0;
                String att = R.nextInt(7) == 0 ? "https://files.clickdesk.example/" + id + "/Rechnung_" + m + ".pdf|https://files.clickdesk.example/"
                        + id + "/Foto " + m + ".jpg" : "";
                tmsgs.append(csv(id, "m" + (messageSeq++), fromAgent ? "agent" : "visitor", fromAgent ? agent[2] : visitorEmail,
                        fromAgent ? String.format(pick(AGENT_LINES), visitorName.split(" ")[0]) : pick(VISITOR_LINES),
                        anyForm(i + m, t), att));
            }
        }
        files.put("tickets.csv", tickets.toString());
        files.put("ticket_messages.csv", tmsgs.toString());

        // ---- offline_messages.csv
        StringBuilder off = new StringBuilder(csv("message_id", "visitor_id", "name", "email", "phone", "department", "message",
                "visitor_url", "created_at"));
        for (int i = 1; i <= nOffline; i++) {
            Visitor vis = i % 3 == 0 ? null : visitors.get(R.nextInt(visitors.size()));
            String first = pick(FIRST), last = pick(LAST);
            String name = vis != null ? vis.name() : first + " " + last;
            String email = vis != null ? vis.email() : ascii(first) + ".offline" + i + "@example.no";
            long created = nextStart();
            off.append(csv("o" + i, vis != null ? vis.id() : "", name, email, vis != null ? vis.phone() : "",
                    pick(DEPARTMENTS), "Bitte rufen Sie mich zurück, " + name + ".\n" + pick(VISITOR_LINES),
                    "https://acme.test/" + pick(new String[]{"preise", "kontakt", "hilfe/faq", "checkout?step=2"}), anyForm(i, created)));
        }
        files.put("offline_messages.csv", off.toString());

        // ---- social_messages.csv (rows of one thread interleaved with others, as exported by time)
        List<String[]> socialRows = new ArrayList<>();
        for (int i = 1; i <= nSocial; i++) {
            String network = i % 3 == 0 ? "twitter" : "facebook";
            String first = pick(FIRST), last = pick(LAST);
            boolean withEmail = i % 4 != 0;
            Visitor vis = withEmail && i % 2 == 0 ? visitors.get(R.nextInt(visitors.size())) : null;
            String name = vis != null ? vis.name() : first + " " + last;
            String email = !withEmail ? "" : vis != null ? vis.email() : ascii(first) + ".social" + i + "@example.com";
            String handle = network.equals("twitter") ? "@" + ascii(first).replace(".", "_") + i : ascii(first) + "." + ascii(last) + "." + i;
            String[] agent = AGENTS[R.nextInt(10)];
            long t = nextStart();
            int k = 2 + R.nextInt(4);
            for (int m = 0; m < k; m++) {
                boolean fromAgent = m % 2 == 1;
                t += 60 + R.nextInt(3600);
                socialRows.add(new String[]{"s" + i, network, handle, fromAgent ? agent[1] : name, fromAgent ? "" : email,
                        fromAgent ? "agent" : "visitor", fromAgent ? agent[2] : "",
                        fromAgent ? String.format(pick(AGENT_LINES), name.split(" ")[0]) : pick(VISITOR_LINES), iso(t),
                        anyForm(i + m, t)});
            }
        }
        socialRows.sort((a, b) -> a[8].compareTo(b[8])); // by time (ISO UTC sorts as time), then written in any form
        StringBuilder social = new StringBuilder(csv("thread_id", "network", "handle", "name", "email", "author_type", "agent_email",
                "text", "created_at"));
        for (String[] r : socialRows) social.append(csv(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[9]));
        files.put("social_messages.csv", social.toString());

        // ---- voip_calls.csv
        StringBuilder voip = new StringBuilder(csv("call_id", "visitor_id", "phone", "agent_email", "direction", "started_at",
                "duration_seconds", "recording_url", "notes"));
        List<String> chatVisitors = new ArrayList<>(chatVisitor.values());
        for (int i = 1; i <= nVoip; i++) {
            String visitorId;
            String phone;
            if (i % 2 == 0) { // a visitor with a migrated chat: the note goes on that conversation
                visitorId = chatVisitors.get(R.nextInt(chatVisitors.size()));
                phone = "+49 30 " + (1000000 + i);
            } else if (i % 5 == 0) { // unknown caller
                visitorId = "";
                phone = "+1 212 555 " + String.format("%04d", i);
            } else {
                Visitor vis = visitors.get(R.nextInt(visitors.size()));
                visitorId = vis.id();
                phone = vis.phone().isEmpty() ? "+41 44 " + (2000000 + i) : vis.phone();
            }
            long t = nextStart();
            voip.append(csv("p" + i, visitorId, phone, AGENTS[R.nextInt(AGENTS.length)][2], i % 3 == 0 ? "outbound" : "inbound",
                    anyForm(i, t), 20 + R.nextInt(1500),
                    "https://rec.clickdesk.example/calls/p" + i + ".mp3", i % 4 == 0 ? "Rückruf wegen Rechnung, Kunde zufrieden" : ""));
        }
        files.put("voip_calls.csv", voip.toString());

        // ---- canned_responses.csv (some cells look like formulas)
        StringBuilder canned = new StringBuilder(csv("response_id", "title", "shortcut", "category", "message"));
        String[] cannedText = {"Vielen Dank für Ihre Nachricht! Wir melden uns innerhalb von 24 h.", "=HYPERLINK(\"https://evil.example\",\"klick\")",
                "+49 30 123456 – unsere Hotline", "-10% Rabatt mit Code SOMMER", "@channel bitte übernehmen",
                "Hola, gracias por escribirnos.\nSaludos, el equipo", "Kiitos yhteydenotosta!"};
        for (int i = 1; i <= nCanned; i++) {
            canned.append(csv("r" + i, "Antwort " + i + " – " + pick(new String[]{"Begrüßung", "Rückerstattung", "Öffnungszeiten", "Versand"}),
                    "/r" + i, pick(new String[]{"General", "Billing", "Técnico"}), cannedText[i % cannedText.length]));
        }
        files.put("canned_responses.csv", canned.toString());

        // ---- tags.csv (visitor / chat / ticket objects that exist; some names only differ in case)
        StringBuilder tags = new StringBuilder(csv("tag", "object_type", "object_id"));
        String[] tagNames = {"VIP", "vip", "Stammkunde", "Größe-L", "niño", "churn-risk", "escalated", "Rückruf", "urgent", "NPS 10"};
        for (int i = 1; i <= nTags; i++) {
            switch (i % 3) {
                case 0 -> tags.append(csv(tagNames[R.nextInt(tagNames.length)], "visitor", visitors.get(R.nextInt(visitors.size())).id()));
                case 1 -> tags.append(csv(tagNames[R.nextInt(tagNames.length)], "chat", chatIds.get(R.nextInt(chatIds.size()))));
                default -> tags.append(csv(tagNames[R.nextInt(tagNames.length)], "ticket", ticketIds.get(R.nextInt(ticketIds.size()))));
            }
        }
        files.put("tags.csv", tags.toString());

        writeZip(out, files, "acme_clickdesk_export_2026-03-01/");
        System.out.printf("%s: visitors=%d chats=%d tickets=%d offline=%d social_threads=%d voip=%d canned=%d tag_rows=%d%n",
                out, nVisitors, nChats, nTickets, nOffline, nSocial, nVoip, nCanned, nTags);
    }

    static void writeZip(String out, Map<String, String> files, String folder) throws Exception {
        try (OutputStream os = new FileOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            ZipEntry mac = new ZipEntry("__MACOSX/" + folder + "._visitors.csv");
            mac.setTime(1772323200000L);
            zip.putNextEntry(mac);
            zip.closeEntry();
            for (Map.Entry<String, String> f : files.entrySet()) {
                ZipEntry e = new ZipEntry(folder + f.getKey());
                e.setTime(1772323200000L);
                zip.putNextEntry(e);
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
