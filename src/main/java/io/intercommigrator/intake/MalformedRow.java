package io.intercommigrator.intake;

/**
 * A record that could not be parsed; reading goes on with the records after it.
 *
 * @param file   the file name as given by the caller
 * @param line   1-based physical line where the bad record starts
 * @param column 1-based field where the problem was found, 0 when unknown
 * @param reason what is wrong, for the operator
 * @param raw    the raw text of the bad physical line(s), at most 4096 chars plus a truncation note
 */
public record MalformedRow(String file, long line, int column, String reason, String raw) {

    static final int MAX_RAW_CHARS = 4096;

    /** Cuts text to {@link #MAX_RAW_CHARS}, noting how many chars were left out (also those never kept). */
    static String truncateRaw(String text, long charsNotKept) {
        long cut = Math.max(0, text.length() - MAX_RAW_CHARS) + charsNotKept;
        String kept = text.length() > MAX_RAW_CHARS ? text.substring(0, MAX_RAW_CHARS) : text;
        return cut == 0 ? kept : kept + "…(truncated " + cut + " chars)";
    }
}
