package io.intercommigrator.intake;

import java.nio.file.Path;

/**
 * One file extracted from a drop archive.
 *
 * @param entryName the entry's name inside the archive, sub-folders included ('/' separated)
 * @param file      where it was written, inside the extraction folder
 * @param size      decompressed bytes written
 */
public record UnpackedEntry(String entryName, Path file, long size) {
}
