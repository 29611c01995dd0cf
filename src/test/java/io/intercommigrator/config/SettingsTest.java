package io.intercommigrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

class SettingsTest {
    @TempDir
    Path home;

    @Test
    void plainHttpIsRefusedForANonLoopbackHost() {
        MigratorHarness migrator = new MigratorHarness(home).set("migration.mode", "live")
                .set("intercom.base-url", "http://api.example.com").token("t");
        Result run = migrator.once();
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(run.stderr()).contains("http:// is allowed only for a loopback host");
        assertThat(home.resolve("reports")).doesNotExist();
    }

    @Test
    void loopbackHostsAreRecognised() {
        assertThat(Settings.isLoopback("127.0.0.1")).isTrue();
        assertThat(Settings.isLoopback("127.8.9.10")).isTrue();
        assertThat(Settings.isLoopback("localhost")).isTrue();
        assertThat(Settings.isLoopback("[::1]")).isTrue();
        assertThat(Settings.isLoopback("10.0.0.1")).isFalse();
        assertThat(Settings.isLoopback("localhost.example.com")).isFalse();
    }

    @Test
    void badValuesExitWithCode2AndOneLine() {
        MigratorHarness migrator = new MigratorHarness(home).set("migration.mode", "wet-run");
        Result run = migrator.once();
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(run.stderr().strip()).isEqualTo("migration.mode must be dry-run or live, not 'wet-run'");
        Result region = new MigratorHarness(home.resolve("r")).set("intercom.region", "mars").once();
        assertThat(region.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
    }

    @Test
    void environmentVariablesOverrideTheFileTheCamelMainWay() {
        assertThat(Settings.envName("migration.inbox-dir")).isEqualTo("MIGRATION_INBOX_DIR");
        assertThat(Settings.envName("intercom.rate-limit-per-minute")).isEqualTo("INTERCOM_RATE_LIMIT_PER_MINUTE");
    }

    @Test
    void aSampleNeedsAPositiveNumberOfRecords() {
        Result none = new MigratorHarness(home.resolve("zero")).once("--sample", "0");
        assertThat(none.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(none.stderr()).contains("--sample needs the number of records of each kind");
        Result word = new MigratorHarness(home.resolve("word")).once("--sample", "some");
        assertThat(word.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
    }

    @Test
    void rollbackWithoutATokenIsABadConfiguration() {
        Result rollback = new MigratorHarness(home.resolve("rb")).run(java.util.List.of("rollback"));
        assertThat(rollback.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(rollback.stderr()).contains("rollback talks to Intercom: set INTERCOM_ACCESS_TOKEN");
    }
}
