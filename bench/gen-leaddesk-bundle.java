// Deterministic generator of a realistic LeadDesk export bundle (export-formats.md, "LeadDesk").
//
//   java bench/gen-leaddesk-bundle.java OUT.zip [SCALE]
//
// SCALE 1 (default): 1,000 contacts, 300 leads, 500 call records, a nested chatbot_export_2026.zip with 200
// sessions (conversations / outcomes / timing / agent CSVs), custom_fields.json (every field type, one unsupported),
// campaigns.json, results_outcomes.json, offices.csv, projects.csv, agents.csv. SCALE 0.1 is the short mode.
// Same arguments → byte-identical ZIP. ';'-separated, Europe/Helsinki local times "YYYY-MM-DD HH:MM:SS", some of
// them inside the 2026-03-29 spring-forward gap and the 2026-10-25 autumn overlap, the others in every other timestamp
// form of export-formats.md (rotating); date fields in every date-only and timestamp form; custom fields with odd
// values of their type (blank, spaces, "1 234,5", "1e3", yes / no, non-ASCII, over 255 characters, no date at all); non-ASCII names; leads sharing
// emails with contacts (updates, not duplicates); people with neither email nor phone (reconciliation queue).
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class GenLeadDeskBundle {
    static final Random R = new Random(20261025L);
    static final ZoneId HEL = ZoneId.of("Europe/Helsinki");
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final String[] FIRST = {"Matti", "Liisa", "Pekka", "Äijö", "Sanna", "Jyrki", "Tuulikki", "Ville", "Päivi", "Jörgen",
            "Åsa", "Björn", "Kerttu", "Eero", "Sofía", "Mária", "Øystein", "Aleksandr", "Siiri", "Ülle", "Jüri", "Noora",
            "Kalle", "Hannu", "Tiina"};
    static final String[] LAST = {"Meikäläinen", "Virtanen", "Järvinen", "Mäkelä", "Hämäläinen", "Kärkkäinen", "Lindqvist",
            "Söderström", "Nieminen", "Öhman", "Tamm", "Kask", "Smirnov", "Østergaard", "Pöyhönen", "Ylä-Kotola", "Åkerlund",
            "Heikkilä", "Rantanen", "Väisänen"};
    static final String[][] PLACES = {{"Helsinki", "00100", "Finland"}, {"Espoo", "02100", "Finland"}, {"Tampere", "33100", "Suomi"},
            {"Oulu", "90100", "Finland"}, {"Stockholm", "111 22", "Sweden"}, {"Göteborg", "411 03", "Sverige"},
            {"Tallinn", "10111", "Estonia"}, {"Oslo", "0150", "Norway"}, {"Toronto", "M5V 2T6", "Canada"}, {"", "", ""}};
    static final String[][] OFFICES = {{"of1", "Helsinki", "Europe/Helsinki", "sip:queue-hel@pbx.example"},
            {"of2", "Tampere", "Europe/Helsinki", "sip:queue-tre@pbx.example"},
            {"of3", "Stockholm", "Europe/Stockholm", "sip:queue-sto@pbx.example"},
            {"of4", "Tallinn", "Europe/Tallinn", "sip:queue-tll@pbx.example"}};
    static final String[][] PROJECTS = {{"p1", "Energia B2C", "active", "Helen Oy", "Europe/Helsinki"},
            {"p2", "Vakuutukset", "active", "LähiTapiola", "Europe/Helsinki"},
            {"p3", "Telco Sverige", "paused", "Telia", "Europe/Stockholm"},
            {"p4", "Lehtitilaukset", "closed", "Sanoma", "Europe/Helsinki"}};
    static final String[][] AGENTS = { // agent_id, username, name, email, role, office, project_ids, employment
            {"a1", "sami", "Sami Soittaja", "sami@callcenter.test", "agent", "Helsinki", "p1|p2", "active"},
            {"a2", "kaisa", "Kaisa Kääriäinen", "kaisa@callcenter.test", "teamleader", "Helsinki", "p1", "active"},
            {"a3", "olli", "Olli Öster", "olli@callcenter.test", "agent", "Tampere", "p2", "active"},
            {"a4", "ebba", "Ebba Åström", "ebba@callcenter.test", "agent", "Stockholm", "p3", "active"},
            {"a5", "marje", "Marje Mägi", "marje@callcenter.test", "agent", "Tallinn", "p1|p4", "active"},
            {"a6", "juha", "Juha Jääskeläinen", "juha@callcenter.test", "manager", "Helsinki", "p1|p2|p3|p4", "active"},
            {"a7", "niina", "Niina Närhi", "niina@callcenter.test", "agent", "Tampere", "p2", "active"},
            {"a8", "ville", "Ville Vähä-Piikkiö", "ville@callcenter.test", "agent", "Helsinki", "p1", "inactive"},
            {"a9", "former", "Entinen Työntekijä", "former@callcenter.test", "agent", "Tampere", "p4", "inactive"}};
    static final String[][] CAMPAIGNS = { // id, name, project, dialer mode
            {"c1", "Kevät-kampanja 2026", "p1", "power"}, {"c2", "Syksyn sähkö", "p1", "predictive"},
            {"c3", "Björn's Vinterkampanj", "p3", "preview"}, {"c4", "Ääni & Valo", "p2", "ai"},
            {"c5", "Lehti – uusinta", "p4", "power"}, {"c6", "Vakuutus 2026/Q3", "p2", "predictive"}};
    static final String[][] RESULTS = {{"r1", "Kauppa"}, {"r2", "Ei kiinnosta"}, {"r3", "Soita uudelleen"},
            {"r4", "Väärä numero"}, {"r5", "Tarjous lähetetty"}, {"r6", "Ei vastannut"}};
    static final String[][] OUTCOMES = {{"o1", "won"}, {"o2", "lost"}, {"o3", "callback"}, {"o4", "no_answer"}};

    static String pick(String[] a) {
        return a[R.nextInt(a.length)];
    }

    static String ascii(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("ø", "o").replace("Ø", "O");
        n = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
        return n.isEmpty() ? "asiakas" : n;
    }

    static String row(Object... cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) b.append(';');
            String c = cells[i] == null ? "" : cells[i].toString();
            if (c.contains(";") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append("\n").toString();
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String fmt(LocalDateTime t) {
        return LOCAL.format(t);
    }

    // ---- every timestamp / date form of export-formats.md (as src/test/.../testing/TimestampForms does)
    static final String[] FORMS = {"leaddesk-local", "iso-offset", "iso-offset-hhmm", "iso-z", "iso-local", "finnish",
            "finnish-short", "unix-seconds", "unix-millis"};

    /** Helsinki local time t in the n-th form (rotating); the same instant whatever the form. */
    static String anyForm(int n, LocalDateTime t) {
        String form = FORMS[Math.floorMod(n, FORMS.length)];
        if (form.equals("leaddesk-local")) return fmt(t); // as written: keeps DST-gap and overlap times
        ZonedDateTime z = ZonedDateTime.ofLocal(t, HEL, null);
        long epoch = z.toEpochSecond();
        boolean local = form.equals("iso-local") || form.startsWith("finnish");
        if (local && !z.getOffset().equals(HEL.getRules().getValidOffsets(z.toLocalDateTime()).get(0))) form = "iso-offset";
        boolean wholeMinute = z.getSecond() == 0;
        return switch (form) {
            case "iso-offset" -> z.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case "iso-offset-hhmm" -> z.withZoneSameInstant(java.time.ZoneOffset.ofHoursMinutes(-3, -30))
                    .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx", Locale.ROOT));
            case "iso-z" -> z.toInstant().toString();
            case "iso-local" -> z.toLocalDateTime().format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT));
            case "finnish" -> z.format(DateTimeFormatter.ofPattern(wholeMinute ? "dd.MM.uuuu HH:mm" : "dd.MM.uuuu HH:mm:ss", Locale.ROOT));
            case "finnish-short" -> z.format(DateTimeFormatter.ofPattern(wholeMinute ? "d.M.uuuu H:mm" : "d.M.uuuu H:mm:ss", Locale.ROOT));
            case "unix-seconds" -> Long.toString(epoch);
            default -> Long.toString(epoch * 1000 + Math.floorMod(n, 1000));
        };
    }

    /** A value of a LeadDesk date field: every date-only form, every timestamp form, and odd values (no date, blank). */
    static String dateField(int n, java.time.LocalDate d) {
        String[] dateOnly = {d.toString(), d.format(DateTimeFormatter.ofPattern("dd.MM.uuuu", Locale.ROOT)),
                d.format(DateTimeFormatter.ofPattern("d.M.uuuu", Locale.ROOT))};
        int k = Math.floorMod(n, dateOnly.length + FORMS.length + ODD_DATES.length);
        if (k < dateOnly.length) return dateOnly[k];
        if (k < dateOnly.length + FORMS.length) return anyForm(k - dateOnly.length, d.atStartOfDay());
        return ODD_DATES[k - dateOnly.length - FORMS.length];
    }

    static final String[] ODD_DATES = {"", "   ", "31.02.2027", "ensi viikolla", "2027-13-01"};
    static final String[] ODD_NUMBERS = {"", "  ", "1 234", "1 234,5", "1e3", "-7", "12,5", "n/a", "1.234,5", "NaN"};
    static final String[] ODD_BOOLEANS = {"yes", "no", "kyllä", "ei", "1", "0", "true", "FALSE", "", "ehkä"};
    static final String[] ODD_TEXTS = {"", "   ", "Ääkköset, åäö – €", "emoji 😊 ja \"lainaus\"", "pitkä ".repeat(60).strip(),
            "日本語のメモ"};

    static String odd(String[] values, int n) {
        return values[Math.floorMod(n, values.length)];
    }

    /** Local Helsinki times, monotonic, mostly far apart, with bursts through both 2026 DST changes. */
    static List<LocalDateTime> schedule(int n) {
        List<LocalDateTime> out = new ArrayList<>();
        int burst = Math.max(4, n / 25);
        LocalDateTime[] bursts = {LocalDateTime.of(2026, 3, 29, 1, 40, 0), LocalDateTime.of(2026, 10, 25, 2, 20, 0)};
        LocalDateTime start = LocalDateTime.of(2026, 1, 5, 8, 0, 0), end = LocalDateTime.of(2026, 10, 31, 18, 0, 0);
        int regular = n - 2 * burst;
        long span = java.time.Duration.between(start, end).getSeconds();
        Set<Long> instants = new HashSet<>();
        for (int i = 0; i < regular; i++) {
            out.add(start.plusSeconds(span * i / regular + R.nextInt(3000)));
        }
        for (LocalDateTime b : bursts) {
            LocalDateTime t = b;
            for (int i = 0; i < burst; i++) {
                t = t.plusSeconds(240 + R.nextInt(200)); // ~5 min apart: a good share falls inside 03:00-04:00
                out.add(t);
            }
        }
        Collections.sort(out);
        List<LocalDateTime> unique = new ArrayList<>();
        for (LocalDateTime t : out) { // a gap time becomes the hour after: keep instants distinct
            while (!instants.add(ZonedDateTime.ofLocal(t, HEL, null).toEpochSecond())) t = t.plusSeconds(1);
            unique.add(t);
        }
        return unique;
    }

    record Person(String contactId, String fname, String lname, String email, String phone) {
    }

    static int n(double scale, int full) {
        return Math.max(1, (int) Math.round(full * scale));
    }

    public static void main(String[] args) throws Exception {
        String out = args[0];
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        int nContacts = n(scale, 1000), nLeads = n(scale, 300), nCalls = n(scale, 500), nSessions = n(scale, 200);
        Map<String, byte[]> files = new LinkedHashMap<>();

        files.put("custom_fields.json", ("[\n"
                + "  {\"field\": \"other1\", \"label\": \"Sopimus päättyy\", \"type\": \"date\"},\n"
                + "  {\"field\": \"other2\", \"label\": \"Vuosikulutus (kWh)\", \"type\": \"number\"},\n"
                + "  {\"field\": \"other3\", \"label\": \"Kiinnostuksen kohteet\", \"type\": \"multiselect\"},\n"
                + "  {\"field\": \"other4\", \"label\": \"Uutiskirje\", \"type\": \"checkbox\"},\n"
                + "  {\"field\": \"other5\", \"label\": \"Asiakasnumero\", \"type\": \"text\"},\n"
                + "  {\"field\": \"other6\", \"label\": \"Keskihinta €/kk\", \"type\": \"number\"},\n"
                + "  {\"field\": \"other7\", \"label\": \"Allekirjoitettu sopimus\", \"type\": \"file\"},\n"
                + "  {\"field\": \"other8\", \"label\": \"Viimeisin yhteydenotto\", \"type\": \"date\"}\n]\n").getBytes(StandardCharsets.UTF_8));

        StringBuilder camp = new StringBuilder("[\n");
        for (int i = 0; i < CAMPAIGNS.length; i++) {
            String[] c = CAMPAIGNS[i];
            camp.append(i == 0 ? "" : ",\n").append("  {\"id\": ").append(json(c[0])).append(", \"name\": ").append(json(c[1]))
                    .append(", \"copy_of\": ").append(i == 5 ? json("c2") : "null").append(", \"project_id\": ").append(json(c[2]))
                    .append(", \"sponsor\": ").append(json(PROJECTS[Integer.parseInt(c[2].substring(1)) - 1][3]))
                    .append(", \"status\": ").append(json(i == 4 ? "archived" : "active"))
                    .append(", \"agent_ids\": [\"a1\", \"a2\", \"a").append(3 + i).append("\"], \"dialer\": {\"mode\": ").append(json(c[3]))
                    .append(", \"dial_ratio\": ").append(c[3].equals("predictive") ? "2.5" : "1")
                    .append(", \"retry_rules\": {\"busy\": 15, \"no_answer\": 120}, \"wrap_up_seconds\": 30, \"rounds\": 3}}");
        }
        files.put("campaigns.json", camp.append("\n]\n").toString().getBytes(StandardCharsets.UTF_8));

        StringBuilder ro = new StringBuilder("{\"results\": [\n");
        for (int i = 0; i < RESULTS.length; i++) {
            ro.append(i == 0 ? "" : ",\n").append("  {\"id\": ").append(json(RESULTS[i][0])).append(", \"name\": ")
                    .append(json(RESULTS[i][1])).append(", \"campaign_id\": ").append(json(CAMPAIGNS[i % CAMPAIGNS.length][0]))
                    .append(", \"is_finalizing\": ").append(i == 0 || i == 1 || i == 3).append("}");
        }
        ro.append("\n], \"outcomes\": [\n");
        for (int i = 0; i < OUTCOMES.length; i++) {
            ro.append(i == 0 ? "" : ",\n").append("  {\"id\": ").append(json(OUTCOMES[i][0])).append(", \"name\": ")
                    .append(json(OUTCOMES[i][1])).append("}");
        }
        files.put("results_outcomes.json", ro.append("\n]}\n").toString().getBytes(StandardCharsets.UTF_8));

        StringBuilder offices = new StringBuilder(row("office_id", "name", "timezone", "voip_routing"));
        for (String[] o : OFFICES) offices.append(row((Object[]) o));
        files.put("offices.csv", offices.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder projects = new StringBuilder(row("project_id", "name", "status", "sponsor", "timezone", "agent_emails"));
        for (String[] p : PROJECTS) {
            List<String> emails = new ArrayList<>();
            for (String[] a : AGENTS) if (a[6].contains(p[0])) emails.add(a[3]);
            projects.append(row(p[0], p[1], p[2], p[3], p[4], String.join("|", emails)));
        }
        files.put("projects.csv", projects.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder agents = new StringBuilder(row("agent_id", "username", "name", "email", "role", "office", "project_ids", "employment"));
        for (String[] a : AGENTS) agents.append(row((Object[]) a));
        files.put("agents.csv", agents.toString().getBytes(StandardCharsets.UTF_8));

        // ---- contacts.csv
        List<Person> people = new ArrayList<>();
        List<Person> reachable = new ArrayList<>();
        StringBuilder contacts = new StringBuilder(row("contact_id", "fname", "lname", "phone", "email", "www", "address", "postcode",
                "city", "country", "company", "title", "comment", "list", "campaign_id", "other1", "other2", "other3", "other4",
                "other5", "other6", "other7", "other8"));
        for (int i = 1; i <= nContacts; i++) {
            String fn = pick(FIRST), ln = pick(LAST);
            String id = String.valueOf(500000 + i);
            String email;
            if (i % 9 == 0) email = "";
            else if (i % 41 == 0 && people.size() > 3 && !people.get(people.size() - 2).email().isEmpty())
                email = people.get(people.size() - 2).email().toUpperCase(Locale.ROOT); // same person listed twice
            else email = ascii(fn) + "." + ascii(ln) + i + "@" + pick(new String[]{"example.fi", "posti.example.fi", "example.se", "example.ee", "example.com"});
            String phone = i % 9 == 0 && i % 27 == 0 ? "" : String.format("+358 %d %07d", 40 + R.nextInt(10), 1000000 + i);
            if (i % 9 == 0 && i % 27 != 0 && R.nextInt(5) == 0) phone = "040 " + (7000000 + i); // local format
            String[] place = PLACES[R.nextInt(PLACES.length)];
            boolean company = R.nextInt(3) == 0;
            LocalDateTime contractEnd = LocalDateTime.of(2026, 1, 1, 0, 0).plusDays(R.nextInt(900));
            String interests = String.join("|", R.nextBoolean() ? List.of("Sähkö", "Aurinkopaneelit") : List.of("Kaasu"));
            contacts.append(row(id, fn, ln, phone, email, company ? "https://www." + ascii(ln) + ".example.fi" : "",
                    place[0].isEmpty() ? "" : pick(new String[]{"Mannerheimintie ", "Hämeenkatu ", "Storgatan ", "Pärnu mnt "}) + (1 + R.nextInt(120)),
                    place[1], place[0], place[2], company ? ln + " Oy" : "", company ? pick(new String[]{"Toimitusjohtaja", "Ostopäällikkö", "CFO"}) : "",
                    R.nextInt(6) == 0 ? "Soittopyyntö klo 16 jälkeen; \"ei aamuisin\"" : "",
                    pick(new String[]{"Kylmät liidit 2026", "Asiakasrekisteri", "Messut – Tampere"}),
                    R.nextInt(5) == 0 ? "" : CAMPAIGNS[R.nextInt(CAMPAIGNS.length)][0],
                    R.nextInt(4) == 0 ? "" : dateField(i, contractEnd.toLocalDate()),
                    i % 4 == 0 ? odd(ODD_NUMBERS, i / 4) : R.nextInt(3) == 0 ? "" : String.valueOf(2000 + R.nextInt(30000)),
                    i % 11 == 0 ? "Sähkö||  Kaasu |" : interests, i % 3 == 0 ? odd(ODD_BOOLEANS, i / 3) : R.nextBoolean() ? "kyllä" : "ei",
                    i % 5 == 0 ? odd(ODD_TEXTS, i / 5) : "AS-" + (10000 + i),
                    i % 6 == 0 ? odd(ODD_NUMBERS, i / 6 + 3) : R.nextInt(3) == 0 ? "" : (20 + R.nextInt(80)) + "," + R.nextInt(100),
                    R.nextInt(4) == 0 ? "https://docs.example.fi/sopimus-" + i + ".pdf" : "",
                    R.nextInt(3) == 0 ? "" : dateField(i + 5, java.time.LocalDate.of(2025, 1, 1).plusDays(i % 365))));
            Person p = new Person(id, fn, ln, email.toLowerCase(Locale.ROOT), phone);
            people.add(p);
            if (!email.isEmpty() || !phone.isEmpty()) reachable.add(p);
        }
        files.put("contacts.csv", contacts.toString().getBytes(StandardCharsets.UTF_8));

        // ---- leads.csv
        String[] statuses = {"new", "contacted", "qualified", "unqualified", "customer"};
        List<LocalDateTime> leadTimes = schedule(nLeads);
        StringBuilder leads = new StringBuilder(row("lead_id", "fname", "lname", "phone", "email", "status", "outcome", "campaign_id",
                "office", "sponsor", "company_id", "created_at"));
        for (int i = 1; i <= nLeads; i++) {
            String fn, ln, email, phone;
            if (i % 5 == 0) { // a lead who is also a contact: same email → the contact is updated
                Person p = reachable.get(R.nextInt(reachable.size()));
                fn = p.fname(); ln = p.lname(); email = p.email(); phone = p.phone();
            } else {
                fn = pick(FIRST); ln = pick(LAST);
                email = i % 7 == 0 ? "" : ascii(fn) + ".liidi" + i + "@example.fi";
                phone = i % 7 == 0 && i % 21 == 0 ? "" : String.format("+358 50 %07d", 2000000 + i);
            }
            boolean linked = i % 3 == 0;
            leads.append(row("L" + (7000 + i), fn, ln, phone, email, pick(statuses), R.nextInt(3) == 0 ? OUTCOMES[R.nextInt(4)][1] : "",
                    R.nextInt(4) == 0 ? "" : CAMPAIGNS[R.nextInt(CAMPAIGNS.length)][0],
                    linked ? OFFICES[R.nextInt(OFFICES.length)][1] : "", linked && R.nextBoolean() ? PROJECTS[R.nextInt(4)][3] : "",
                    i % 10 == 0 ? "Y-" + (2000000 + i) : "", anyForm(i, leadTimes.get(i - 1))));
        }
        files.put("leads.csv", leads.toString().getBytes(StandardCharsets.UTF_8));

        // ---- call_records.csv and the chatbot sessions share one clock: distinct instants per conversation
        List<LocalDateTime> times = schedule(nCalls + nSessions);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) order.add(i);
        Collections.shuffle(order, R);
        StringBuilder calls = new StringBuilder(row("id", "contact_id", "agent_id", "agent_username", "campaign", "campaign_name",
                "direction", "talk_start", "talk_end", "talk_time", "call_ending_reason", "call_ending_reason_name", "outcome",
                "record_file", "comment", "created_at"));
        List<LocalDateTime> callTimes = new ArrayList<>();
        for (int i = 0; i < nCalls; i++) callTimes.add(times.get(order.get(i)));
        Collections.sort(callTimes);
        for (int i = 1; i <= nCalls; i++) {
            Person p = reachable.get(R.nextInt(reachable.size()));
            String[] a = AGENTS[R.nextInt(AGENTS.length)];
            String[] c = CAMPAIGNS[R.nextInt(CAMPAIGNS.length)];
            String[] r = RESULTS[R.nextInt(RESULTS.length)];
            LocalDateTime start = callTimes.get(i - 1);
            boolean answered = !r[0].equals("r6");
            int talk = answered ? 15 + R.nextInt(900) : 0;
            calls.append(row("k" + (900000 + i), p.contactId(), a[0], a[1], c[0], c[1], i % 4 == 0 ? "inbound" : "outbound",
                    anyForm(i, start), anyForm(i + 1, start.plusSeconds(talk)), i % 13 == 0 ? odd(ODD_NUMBERS, i / 13) : talk,
                    r[0], i % 6 == 0 ? "" : r[1], // name missing: looked up by id
                    R.nextInt(2) == 0 ? OUTCOMES[R.nextInt(4)][1] : "",
                    answered ? "https://recordings.leaddesk.example/2026/" + (900000 + i) + ".mp3" : "",
                    R.nextInt(5) == 0 ? "Asiakas pyysi tarjouksen sähköpostilla; soita ensi viikolla" : "",
                    anyForm(i + 2, start.minusSeconds(20))));
        }
        files.put("call_records.csv", calls.toString().getBytes(StandardCharsets.UTF_8));

        // ---- chatbot_export_2026.zip: four CSVs
        String[] intents = {"billing", "laskutus", "sopimuksen_irtisanominen", "muutto", "tarjouspyyntö", "other"};
        String[] botOutcomes = {"resolved", "handed_over", "abandoned", "lead_captured"};
        String[] userLines = {"Hei, tarvitsen apua laskun kanssa", "Muutan ensi kuussa, miten sopimus siirtyy?", "Paljonko maksaa?",
                "Haluan irtisanoa sopimuksen", "Kiitos!", "En ymmärrä laskua; summa on väärä", "Voinko maksaa erissä?", "Hej, jag flyttar"};
        String[] botLines = {"Hei! Olen asiakaspalvelun chatbot. Miten voin auttaa?", "Mikä on asiasi?", "Valitse: 1) Lasku 2) Sopimus 3) Muu",
                "Kerro asiakasnumerosi, kiitos.", "Siirrän sinut asiantuntijalle…", "Kiitos viestistä, mukavaa päivää! 😊"};
        StringBuilder conv = new StringBuilder(row("conversation_id", "message_index", "timestamp", "sender", "message", "contact_email", "contact_phone"));
        StringBuilder outc = new StringBuilder(row("conversation_id", "intent", "outcome", "handed_over"));
        StringBuilder timing = new StringBuilder(row("conversation_id", "started_at", "ended_at", "duration_s", "export_range_start", "export_range_end"));
        StringBuilder agentCsv = new StringBuilder(row("conversation_id", "agent_email", "handover_at"));
        List<LocalDateTime> sessionTimes = new ArrayList<>();
        for (int i = nCalls; i < times.size(); i++) sessionTimes.add(times.get(order.get(i)));
        Collections.sort(sessionTimes);
        for (int s = 1; s <= nSessions; s++) {
            String id = "cb-" + (30000 + s);
            String email = "", phone = "";
            switch (s % 6) {
                case 0, 1 -> { Person p = reachable.get(R.nextInt(reachable.size())); email = p.email(); phone = p.email().isEmpty() ? p.phone() : ""; }
                case 2, 3 -> email = ascii(pick(FIRST)) + ".botti" + s + "@example.fi";
                case 4 -> phone = "+358 44 " + (3000000 + s);
                default -> { } // anonymous visitor: a lead keyed on the session
            }
            boolean handed = s % 4 == 0;
            String outcome = handed ? "handed_over" : botOutcomes[R.nextInt(botOutcomes.length)];
            if (outcome.equals("handed_over") && !handed) outcome = "resolved";
            LocalDateTime t0 = sessionTimes.get(s - 1);
            int count = 4 + R.nextInt(6);
            List<String> msgRows = new ArrayList<>();
            LocalDateTime t = t0;
            LocalDateTime handoverAt = null;
            String agentEmail = AGENTS[R.nextInt(8)][3];
            for (int m = 1; m <= count; m++) {
                String sender = m == 1 ? "user" : handed && m > count - 2 ? "agent" : m % 2 == 0 ? "bot" : "user";
                if (sender.equals("agent") && handoverAt == null) handoverAt = t.plusSeconds(5);
                String text = switch (sender) {
                    case "user" -> pick(userLines);
                    case "bot" -> pick(botLines);
                    default -> "Hei, olen " + agentEmail.substring(0, agentEmail.indexOf('@')) + " asiakaspalvelusta. Katsotaan asiaa.";
                };
                boolean user = sender.equals("user");
                msgRows.add(row(id, m, anyForm(s + m, t), sender, text, user ? email : "", user ? phone : ""));
                t = t.plusSeconds(10 + R.nextInt(90));
            }
            if (s % 7 == 0) Collections.swap(msgRows, 0, 1); // rows not in message_index order
            msgRows.forEach(conv::append);
            outc.append(row(id, intents[R.nextInt(intents.length)], outcome, handed ? (s % 8 == 0 ? "kyllä" : "true") : "false"));
            timing.append(row(id, anyForm(s, t0), anyForm(s + 4, t), java.time.Duration.between(t0, t).getSeconds(), "2024-01-01 00:00:00", "2026-11-01 00:00:00"));
            if (handed) agentCsv.append(row(id, agentEmail, anyForm(s + 7, handoverAt)));
        }
        Map<String, byte[]> bot = new LinkedHashMap<>();
        bot.put("conversations.csv", conv.toString().getBytes(StandardCharsets.UTF_8));
        bot.put("outcomes.csv", outc.toString().getBytes(StandardCharsets.UTF_8));
        bot.put("timing.csv", timing.toString().getBytes(StandardCharsets.UTF_8));
        bot.put("agent.csv", agentCsv.toString().getBytes(StandardCharsets.UTF_8));
        files.put("chatbot_export_2026.zip", zip(bot, ""));

        try (OutputStream os = new FileOutputStream(out)) {
            os.write(zip(files, "leaddesk_export_2026-11-01/"));
        }
        System.out.printf("%s: contacts=%d leads=%d call_records=%d chatbot_sessions=%d%n", out, nContacts, nLeads, nCalls, nSessions);
    }

    static byte[] zip(Map<String, byte[]> files, String folder) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipEntry e = new ZipEntry(folder + f.getKey());
                e.setTime(1793520000000L);
                zip.putNextEntry(e);
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
