import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's CPU went, from a JFR recording's execution samples (java bench/jfr-summary.java run.jfr [threads]).
 * Only samples of threads whose name contains {@code threads} count (default "delivery": the pool every record's
 * work runs on).
 * <ul>
 * <li>by owner: each sample goes to the first frame from the top that is not the JDK's: a method of ours (what it
 * does itself and in the JDK, e.g. HashMap or String work), or a library (Camel's routing, Jackson, ...), with the
 * method of ours that called the library;</li>
 * <li>inclusive: the share of samples with a method of ours anywhere on the stack (the cost of everything it calls).</li>
 * </ul>
 * Shares of samples, not times: multiply by the run's CPU seconds per record to get the microseconds.
 */
public class JfrSummary {
    static final String OURS = "io.intercommigrator.";

    public static void main(String[] args) throws Exception {
        String threads = args.length > 1 ? args[1] : "delivery";
        Map<String, Integer> owner = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        int truncated = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().contains(threads)) {
                continue;
            }
            samples++;
            List<String> frames = new ArrayList<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                if (frame.isJavaFrame()) {
                    frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
                }
            }
            owner.merge(owner(frames), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (String f : frames) {
                if (f.startsWith(OURS) && seen.add(f)) {
                    inclusive.merge(f.substring(OURS.length()), 1, Integer::sum);
                }
            }
            truncated += event.getStackTrace().isTruncated() ? 1 : 0;
        }
        System.out.printf("%d samples on threads named *%s*%s%n%nby owner (first frame not the JDK's):%n", samples, threads,
                truncated == 0 ? "" : ", " + truncated + " with their stack cut short (record with a larger stackdepth)");
        print(owner, samples, 0.5, true);
        System.out.printf("%ninclusive (a method of ours anywhere on the stack; shares overlap):%n");
        print(inclusive, samples, 1.0, false);
    }

    static String owner(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String f = frames.get(i);
            if (f.startsWith("java.") || f.startsWith("jdk.") || f.startsWith("sun.")) {
                continue;
            }
            if (f.startsWith(OURS)) {
                return f.substring(OURS.length());
            }
            String library = library(f);
            for (int j = i + 1; j < frames.size(); j++) {
                if (frames.get(j).startsWith(OURS)) {
                    return library + " (from " + frames.get(j).substring(OURS.length()) + ")";
                }
            }
            return library + " (no method of ours on the stack)";
        }
        return "JDK only";
    }

    /** Camel, Jackson, or else the first three parts of the frame's package (e.g. org.h2.mvstore). */
    static String library(String frame) {
        if (frame.startsWith("org.apache.camel.")) {
            return "Camel";
        }
        if (frame.startsWith("com.fasterxml.jackson.")) {
            return "Jackson";
        }
        String[] parts = frame.split("\\.");
        return String.join(".", List.of(parts).subList(0, Math.min(3, parts.length - 2)));
    }

    static void print(Map<String, Integer> counts, int samples, double minPercent, boolean additive) {
        double rest = 0;
        for (var e : counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).toList()) {
            double percent = 100.0 * e.getValue() / Math.max(1, samples);
            if (percent >= minPercent) {
                System.out.printf("%6.1f %%  %s%n", percent, e.getKey());
            } else {
                rest += percent;
            }
        }
        if (additive && rest > 0) {
            System.out.printf("%6.1f %%  (the rest, each under %.1f %%)%n", rest, minPercent);
        }
    }
}
