package io.intercommigrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** The page is self-contained, and the screenshot check of bench/render-report.sh tells a render from a blank. */
class ReconciliationHtmlTest {
    private static final String REPORT = """
            {"run_id":"20260301T100000Z-abcd","mode":"dry-run","source":"clickdesk","started_at":"2026-03-01T10:00:00Z",
             "finished_at":"2026-03-01T10:01:00Z",
             "objects":{"contact":{"source":11,"created":8,"updated":2,"unchanged":0,"skipped":1,"dead_lettered":0},
                        "note":{"source":0,"created":0,"updated":0,"unchanged":0,"skipped":0,"dead_lettered":0}},
             "verification":{"sampled":0,"matched":0,"mismatches":[],"notes":["dry-run: nothing to read back"]},
             "requests":{"sent":0,"rate_limited":0,"retried":0},
             "reconciliation_queue":[{"kind":"skipped contact","subject":"visitors.csv:5","reason":"no <email> & no phone"}]}
            """;

    @Test
    void pageIsSelfContainedWithAScalableChartAndLeftAlignedQueue() throws Exception {
        String html = ReconciliationHtml.render(new ObjectMapper().readTree(REPORT));

        assertThat(RenderedReportCheck.externalReferences(html)).isEmpty();
        assertThat(html).contains("<svg", "viewBox=\"0 0 ", "fill=\"#2e7d32\"", "<table class=\"text\">",
                "no &lt;email&gt; &amp; no phone");
        assertThat(html).contains("<figcaption>contact: 11 source records</figcaption>");
    }

    /** operator-contract.md: "a chart per object type": one figure and bar chart for each type, plus one legend. */
    @Test
    void everyObjectTypeHasItsOwnChart() throws Exception {
        com.fasterxml.jackson.databind.JsonNode report = new ObjectMapper().readTree(REPORT);
        String html = ReconciliationHtml.render(report);

        int types = report.path("objects").size();
        assertThat(html.split("<figure>", -1)).hasSize(types + 1);
        assertThat(html.split("<svg", -1)).as("a chart per type and the legend").hasSize(types + 2);
        report.path("objects").fieldNames().forEachRemaining(type ->
                assertThat(html).contains("aria-label=\"" + type + ": outcome of its source records\""));
        assertThat(html).contains("<title>no records</title>"); // a type without records still gets its (empty) chart
    }

    @Test
    void deadLettersAreGroupedByErrorCodeWithExamples() throws Exception {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode report = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(REPORT);
        report.set("dead_letters", json.readTree("""
                {"folder":"deadletter/R1","by_code":[
                  {"stage":"deliver","status":502,"code":"bad_gateway","count":12,"examples":[
                    {"object":"contact","source_file":"clickdesk/visitors.csv","line":7,"message":"POST /contacts: Bad Gateway"}]},
                  {"stage":"validate","status":0,"code":"invalid_email","count":2,"examples":[
                    {"object":"contact","source_file":"clickdesk/visitors.csv","line":5,"message":"line 5: email <x@@y>"}]}]}
                """));

        String html = ReconciliationHtml.render(report);

        String section = html.substring(html.indexOf("<h2>Dead letters</h2>"), html.indexOf("<h2>Reconciliation queue</h2>"));
        assertThat(section).contains("deadletter/R1/", "bad_gateway", "<td>12</td>", "clickdesk/visitors.csv:7",
                "POST /contacts: Bad Gateway", "invalid_email", "email &lt;x@@y&gt;");
        assertThat(section.indexOf("bad_gateway")).isLessThan(section.indexOf("invalid_email"));
        assertThat(ReconciliationHtml.render(json.readTree(REPORT))).contains("<h2>Dead letters</h2><p>None");
        report.set("handoff_documents", json.readTree("[\"handoff/README.md\", \"handoff/inventory/campaigns.json\"]"));
        assertThat(ReconciliationHtml.render(report)).contains("<a href=\"handoff/inventory/campaigns.json\">inventory/campaigns.json</a>");
    }

    @Test
    void externalAssetsAreFound() {
        assertThat(RenderedReportCheck.externalReferences("<img src=\"https://cdn.example/x.png\">")).hasSize(1);
        assertThat(RenderedReportCheck.externalReferences("<a href='//cdn.example/a'>a</a>")).hasSize(1);
        assertThat(RenderedReportCheck.externalReferences("<style>body{background:url(http://x/y.png)}</style>")).hasSize(1);
        assertThat(RenderedReportCheck.externalReferences("<style>@import \"https://fonts.example/f.css\";</style>")).hasSize(1);
        assertThat(RenderedReportCheck.externalReferences("<script>1</script>")).hasSize(1);
        assertThat(RenderedReportCheck.externalReferences(
                "<a href=\"reconciliation.json\">j</a><a href=\"handoff/\">h</a><img src=\"data:image/png;base64,AA\">")).isEmpty();
    }

    @Test
    void blankScreenshotIsRejected() {
        BufferedImage blank = canvas();

        assertThat(RenderedReportCheck.inspect(blank).problems()).hasSize(4);
    }

    @Test
    void textAndLegendWithoutBarsIsRejected() {
        BufferedImage page = canvas();
        Graphics2D g = page.createGraphics();
        text(g);
        for (int i = 0; i < ReconciliationHtml.COLOURS.length; i++) { // the legend's 10 px squares are no bars
            g.setColor(Color.decode(ReconciliationHtml.COLOURS[i]));
            g.fillRect(140 + 120 * i, 400, 10, 10);
        }
        g.dispose();

        assertThat(RenderedReportCheck.inspect(page).problems()).singleElement().asString().contains("the chart's bars are missing");
    }

    @Test
    void renderedChartPasses() {
        BufferedImage page = canvas();
        Graphics2D g = page.createGraphics();
        text(g);
        g.setColor(Color.decode(ReconciliationHtml.COLOURS[0]));
        g.fillRect(140, 200, 360, 18);
        g.setColor(Color.decode(ReconciliationHtml.COLOURS[1]));
        g.fillRect(500, 200, 90, 18);
        g.dispose();

        RenderedReportCheck.Verdict v = RenderedReportCheck.inspect(page);
        assertThat(v.problems()).isEmpty();
        assertThat(v.barLeft()).isEqualTo(140);
        assertThat(v.barRight()).isEqualTo(589);
    }

    private static BufferedImage canvas() {
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 800, 600);
        g.dispose();
        return image;
    }

    /** Stand-in for headings and table text: dark anti-aliased strokes (no fonts needed on the build machine). */
    private static void text(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x222222));
        for (int row = 0; row < 3; row++) {
            for (int glyph = 0; glyph < 30; glyph++) {
                g.fillOval(20 + glyph * 16, 30 + row * 150, 11, 17);
            }
        }
    }
}
