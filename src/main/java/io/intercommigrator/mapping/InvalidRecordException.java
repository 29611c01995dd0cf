package io.intercommigrator.mapping;

/** A record that cannot be delivered as it is (bad syntax or a value that fails validation): dead-lettered at once. */
public final class InvalidRecordException extends RuntimeException {
    private final String stage;
    private final String column;

    private final int columnNumber;

    public InvalidRecordException(String stage, String column, String message) {
        this(stage, column, 0, message);
    }

    public InvalidRecordException(String stage, String column, int columnNumber, String message) {
        super(message);
        this.stage = stage;
        this.column = column;
        this.columnNumber = columnNumber;
    }

    /** ", column 3 (email)" – whatever is known of where in the line the problem is. */
    public String locationSuffix() {
        if (columnNumber > 0) {
            return ", column " + columnNumber + (column == null || column.isEmpty() ? "" : " (" + column + ")");
        }
        return column == null || column.isEmpty() ? "" : ", column " + column;
    }

    /** "parse" or "validate". */
    public String stage() {
        return stage;
    }

    public String column() {
        return column;
    }
}
