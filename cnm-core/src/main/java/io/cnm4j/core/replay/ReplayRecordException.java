package io.cnm4j.core.replay;

/**
 * A replay line that is not a complete, valid record: not JSON, a missing or unknown field, a
 * number out of range, an address of the other family. Names the line and the problem; the
 * problem may quote the line's content (recorded addresses and names).
 */
public final class ReplayRecordException extends IllegalArgumentException {
    private final long lineNumber;
    private final String problem;

    public ReplayRecordException(long lineNumber, String problem) {
        super("replay line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
        this.problem = problem;
    }

    /** The 1-based number of the rejected line in its file or list. */
    public long lineNumber() {
        return lineNumber;
    }

    /** What is wrong with the line. */
    public String problem() {
        return problem;
    }
}
