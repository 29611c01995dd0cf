package io.intercommigrator.intercom;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key: two deliveries of the same record (a retry racing a repeated row, two rows of one contact) never
 * run at the same time, so the second finds the first in the ledger instead of creating the object again. Different
 * keys never wait for each other (the lock is held across the Intercom call, so a shared stripe would cost a whole
 * round trip: with a couple of hundred requests in flight, striping over 256 locks made many of them wait). A key's
 * lock lives only while someone holds or waits for it.
 */
final class KeyLocks {
    private final ConcurrentHashMap<Object, Held> held = new ConcurrentHashMap<>();

    /** Blocks until this thread holds the key's lock (reentrant); {@link Held#unlock()} releases it. */
    Held lock(Object key) {
        Held h = held.compute(key, (k, v) -> {
            Held out = v == null ? new Held(this, k) : v;
            out.users++; // under compute: atomic per key
            return out;
        });
        h.lock.lock();
        return h;
    }

    /** Keys with a live lock (held or waited for). */
    int size() {
        return held.size();
    }

    static final class Held {
        private final KeyLocks owner;
        private final Object key;
        private final ReentrantLock lock = new ReentrantLock();
        private int users;

        private Held(KeyLocks owner, Object key) {
            this.owner = owner;
            this.key = key;
        }

        void unlock() {
            lock.unlock();
            owner.held.computeIfPresent(key, (k, v) -> --v.users == 0 ? null : v);
        }
    }
}
