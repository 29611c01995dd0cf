package io.intercommigrator.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/**
 * Checks a headless-browser screenshot of reconciliation.html (bench/render-report.sh) and the page itself: the page
 * loads nothing from elsewhere, and the picture is not blank: enough colours and dark text, and the chart's bars
 * (the colours of {@link ReconciliationHtml#COLOURS}) drawn over a real area. Exits 1 with the reasons otherwise.
 *
 * <p>{@code java -cp target/test-classes:… io.intercommigrator.report.RenderedReportCheck PAGE.html SHOT.png}
 */
public final class RenderedReportCheck {
    /** src/href/xlink:href/action/poster values, and CSS url(…) and @import targets. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?i)(?:\\b(?:src|href|xlink:href|action|poster|srcset)\\s*=\\s*[\"']?([^\"'\\s>]*))|url\\(\\s*[\"']?([^\"')]*)|@import\\s+[\"']?([^\"';\\s]*)");
    private static final Pattern EXTERNAL = Pattern.compile("(?i)^(?:[a-z][a-z0-9+.-]*:|//)");

    static final int MIN_COLOURS = 16;
    static final double MIN_INK = 0.005;
    static final double MAX_INK = 0.95;
    static final int MIN_TEXT_PIXELS = 1500;
    static final int MIN_BAR_PIXELS = 800;
    static final int MIN_BAR_SPAN = 40;
    /** A bar is a run of at least this many pixels of one chart colour in a row; the legend's squares are 10 px. */
    static final int MIN_RUN = 14;

    private RenderedReportCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: RenderedReportCheck PAGE.html SHOT.png");
            System.exit(2);
        }
        List<String> problems = new ArrayList<>(externalReferences(Files.readString(Path.of(args[0]))));
        BufferedImage image = ImageIO.read(Path.of(args[1]).toFile());
        if (image == null) {
            problems.add(args[1] + " is not an image ImageIO can read");
        } else {
            Verdict v = inspect(image);
            System.out.println(args[1] + ": " + v.summary());
            problems.addAll(v.problems());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("render-report: " + p));
            System.exit(1);
        }
        System.out.println("render-report: " + args[0] + " is self-contained and renders (chart, text, colours)");
    }

    /** Every reference in the page that would load or lead to another origin (http:, https:, //host, file:, …). */
    static List<String> externalReferences(String html) {
        List<String> found = new ArrayList<>();
        // the SVG namespace is an identifier, never fetched
        String page = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        Matcher m = REFERENCE.matcher(page);
        while (m.find()) {
            String target = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            if (target != null && !target.isEmpty() && EXTERNAL.matcher(target).find() && !target.toLowerCase(Locale.ROOT).startsWith("data:")) {
                found.add("external reference in the page: " + m.group().trim());
            }
        }
        if (page.matches("(?is).*<(?:script|link|iframe|object|embed)\\b.*")) {
            found.add("the page has a script, link, iframe, object or embed element; it must be one self-contained page");
        }
        return found;
    }

    record Verdict(int width, int height, int colours, double ink, int textPixels, int barPixels, int barLeft, int barRight,
                   int barTop, int barBottom, List<String> problems) {
        String summary() {
            String where = barPixels == 0 ? "" : String.format(Locale.ROOT, " in x %d-%d y %d-%d", barLeft, barRight, barTop, barBottom);
            return String.format(Locale.ROOT, "%dx%d, %d colours, %.1f%% non-white, %d dark text pixels, %d chart-bar pixels%s",
                    width, height, colours, ink * 100, textPixels, barPixels, where);
        }
    }

    static Verdict inspect(BufferedImage image) {
        int[] palette = new int[ReconciliationHtml.COLOURS.length];
        for (int i = 0; i < palette.length; i++) {
            palette[i] = Integer.parseInt(ReconciliationHtml.COLOURS[i].substring(1), 16);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        int text = 0;
        int bars = 0;
        int left = w;
        int right = -1;
        int top = h;
        int bottom = -1;
        for (int y = 0; y < h; y++) {
            int runColour = -1;
            int runStart = 0;
            for (int x = 0; x <= w; x++) {
                int rgb = x < w ? image.getRGB(x, y) & 0xffffff : -1;
                int chart = -1;
                if (x < w) {
                    if (colours.size() < 100_000) {
                        colours.add(rgb);
                    }
                    int r = rgb >> 16 & 0xff;
                    int g = rgb >> 8 & 0xff;
                    int b = rgb & 0xff;
                    if (r < 245 || g < 245 || b < 245) {
                        ink++;
                    }
                    if (r + g + b < 3 * 90) {
                        text++;
                    }
                    chart = paletteIndex(palette, r, g, b);
                }
                if (chart != runColour) {
                    if (runColour >= 0 && x - runStart >= MIN_RUN) { // a run of one chart colour ends here: a bar's row
                        bars += x - runStart;
                        left = Math.min(left, runStart);
                        right = Math.max(right, x - 1);
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                    }
                    runColour = chart;
                    runStart = x;
                }
            }
        }
        double inkShare = (double) ink / ((long) w * h);
        List<String> problems = new ArrayList<>();
        if (colours.size() < MIN_COLOURS) {
            problems.add("only " + colours.size() + " distinct colours (at least " + MIN_COLOURS + " expected): blank or broken render");
        }
        if (inkShare < MIN_INK || inkShare > MAX_INK) {
            problems.add(String.format(Locale.ROOT, "%.2f%% of the pixels are not white (expected %.1f%%-%.0f%%)", inkShare * 100,
                    MIN_INK * 100, MAX_INK * 100));
        }
        if (text < MIN_TEXT_PIXELS) {
            problems.add("only " + text + " dark pixels: the headings and tables did not render");
        }
        if (bars < MIN_BAR_PIXELS || right - left < MIN_BAR_SPAN) {
            problems.add("the chart's bars are missing: " + bars + " pixels of the chart colours (at least " + MIN_BAR_PIXELS
                    + " expected, spanning " + MIN_BAR_SPAN + "+ px)");
        }
        return new Verdict(w, h, colours.size(), inkShare, text, bars, left, right, top, bottom, problems);
    }

    /** Which chart colour the pixel is (anti-aliasing and colour management may move a channel a little), -1 none. */
    private static int paletteIndex(int[] palette, int r, int g, int b) {
        for (int i = 0; i < palette.length; i++) {
            int p = palette[i];
            if (Math.abs(r - (p >> 16 & 0xff)) <= 8 && Math.abs(g - (p >> 8 & 0xff)) <= 8 && Math.abs(b - (p & 0xff)) <= 8) {
                return i;
            }
        }
        return -1;
    }
}
