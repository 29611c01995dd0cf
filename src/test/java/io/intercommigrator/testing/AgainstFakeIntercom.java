package io.intercommigrator.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;

/**
 * The set-up most end-to-end tests share: a fresh home folder, a local Intercom-like server accepting
 * {@link #token()}, and a migrator harness pointed at it live (map confirmed, GDPR guard acknowledged). A test adjusts
 * the server or the harness by overriding {@link #configure(FakeIntercom.Builder)} / {@link #configure(MigratorHarness)}.
 */
public abstract class AgainstFakeIntercom {
    @TempDir
    protected Path home;
    protected FakeIntercom intercom;
    protected MigratorHarness migrator;

    /** The token the server accepts and the migrator sends. */
    protected abstract String token();

    /** The server before it starts: 1,000 calls per 10-second window unless a test says otherwise. */
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server;
    }

    protected MigratorHarness configure(MigratorHarness harness) {
        return harness;
    }

    @BeforeEach
    final void startFakeIntercom() {
        intercom = configure(FakeIntercom.builder().token(token()).limitPer10s(1000)).build().start();
        migrator = configure(new MigratorHarness(home).live(intercom.baseUrl(), token()));
    }

    @AfterEach
    final void stopFakeIntercom() {
        intercom.close();
    }
}
