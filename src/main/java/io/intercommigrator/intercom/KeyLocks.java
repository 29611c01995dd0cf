package io.intercommigrator.intercom;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by key: two deliveries of the same record (a retry racing a repeated row, two rows of one contact)
 * never run at the same time, so the second finds the first in the ledger instead of creating the object again.
 * Different keys share a stripe only by chance, and then merely wait for each other.
 */
final class KeyLocks {
    private final ReentrantLock[] stripes;

    KeyLocks(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(Object key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }
}
