package io.intercommigrator.intercom;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of Intercom requests for the reconciliation report and metrics. */
public final class RequestStats {
    private final LongAdder sent = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final Map<String, LongAdder> byEndpointAndStatus = new ConcurrentHashMap<>();

    void sent(String method, String path, int status) {
        sent.increment();
        byEndpointAndStatus.computeIfAbsent(method + " " + endpointOf(path) + " " + status, k -> new LongAdder()).increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    public void retried() {
        retried.increment();
    }

    public long sent() {
        return sent.sum();
    }

    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    public long retriedCount() {
        return retried.sum();
    }

    /** "POST /contacts 200" → count, with ids folded to {id} so the key set stays small. */
    public Map<String, Long> byEndpointAndStatus() {
        Map<String, Long> out = new TreeMap<>();
        byEndpointAndStatus.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static String endpointOf(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return p.replaceAll("/(?=[^/]*\\d)[^/]+", "/{id}");
    }
}
