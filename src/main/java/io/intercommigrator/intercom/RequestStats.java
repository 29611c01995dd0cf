package io.intercommigrator.intercom;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** Counts of Intercom requests for the reconciliation report and metrics. */
public final class RequestStats {
    private final LongAdder sent = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final Map<String, LongAdder> byEndpointAndStatus = new ConcurrentHashMap<>();
    private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();

    void sent(String method, String path, int status) {
        sent.increment();
        String key = method + " " + endpointOf(path) + " " + status;
        LongAdder counter = byEndpointAndStatus.get(key);
        if (counter == null) {
            LongAdder fresh = new LongAdder();
            counter = byEndpointAndStatus.putIfAbsent(key, fresh);
            if (counter == null) {
                counter = fresh;
                keyListeners.forEach(listener -> listener.accept(key));
            }
        }
        counter.increment();
    }

    /** Hands {@code listener} every "POST /contacts 200" key counted so far and each new one when first counted. */
    public void eachEndpointAndStatus(Consumer<String> listener) {
        keyListeners.add(listener);
        byEndpointAndStatus.keySet().forEach(listener);
    }

    /** Requests counted under one "POST /contacts 200" key. */
    public long count(String endpointAndStatus) {
        LongAdder counter = byEndpointAndStatus.get(endpointAndStatus);
        return counter == null ? 0 : counter.sum();
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
