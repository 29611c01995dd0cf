package io.intercommigrator.intake;

import io.intercommigrator.mapping.MappingConfig;

/**
 * How every CSV reader of a run reads its files: the intake.* options ({@code intake.fallback-charset},
 * {@code intake.max-record-bytes}, {@code intake.max-record-lines}) with the column aliases the field map gives each
 * file name ({@code column_aliases} of config/mapping.yaml).
 */
public record CsvReading(CsvOptions base, MappingConfig mapping) {

    /** The built-in options and no aliases (tests, tools that read without a configuration). */
    public static CsvReading defaults() {
        return new CsvReading(CsvOptions.defaults(), new MappingConfig(false, null, false, null, null, null, null, null, null));
    }

    /** The options for one export file, by its base name (e.g. {@code social_messages.csv}). */
    public CsvOptions forFile(String baseName) {
        return base.withColumnAliases(mapping.aliasesFor(baseName));
    }
}
