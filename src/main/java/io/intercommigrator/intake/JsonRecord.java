package io.intercommigrator.intake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a JSON export's record array.
 *
 * @param file  the file name as given by the caller
 * @param index 0-based position in the array
 * @param line  1-based line where the entry starts
 * @param node  the entry (always a JSON object)
 */
public record JsonRecord(String file, int index, long line, JsonNode node) {
}
