package io.intercommigrator.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs independent calls a few at a time and returns when every one has ended: the sends that close a phase (a file's
 * waiting tag batches, the conversations closed at the end of a batch), which one after another would leave most of
 * the rate limit's window unused while each waits for its answer. The HTTP client's in-flight limit and rate governor
 * still decide how many go out at once; {@code threads} only bounds how many can wait.
 * <p>
 * Every item is run even when one fails. Then the first failure is thrown, a stopped run's
 * {@link RunControl.RunAbortedException} before any other. An interrupted caller cancels the calls still running
 * and returns with its interrupt flag set.
 */
public final class Concurrently {
    private Concurrently() {
    }

    public static <T> void forEach(String threadName, int threads, Collection<T> items, Consumer<? super T> action) {
        if (items.size() <= 1 || threads <= 1) {
            items.forEach(action);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>(items.size());
            for (T item : items) {
                running.add(pool.submit(() -> action.accept(item)));
            }
            RuntimeException failure = null;
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = first(failure, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the caller is being stopped: the calls left are cancelled
                    return;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static RuntimeException first(RuntimeException sofar, Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        RuntimeException e = cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        if (sofar == null || (e instanceof RunControl.RunAbortedException && !(sofar instanceof RunControl.RunAbortedException))) {
            return e;
        }
        sofar.addSuppressed(e);
        return sofar;
    }
}
