package io.cnm4j.core.replay;

/**
 * A replay line that is not a complete, valid record: not JSON, a missing or unknown field, a
 * number out of range, an address of the other family. Names the line and the problem; the
 * problem may quote the line's content (recorded addresses and names).
 */
public final class ReplayRecordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The line's number. */
    private final long lineNumber;
    /** What is wrong with it. */
    private final String problem;

    /**
     * A rejected line.
     *
     * @param lineNumber the 1-based number of the line in its file or list
     * @param problem what is wrong with it
     */
    public ReplayRecordException(long lineNumber, String problem) {
        super("replay line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
        this.problem = problem;
    }

    /** {@return the 1-based number of the rejected line in its file or list} */
    public long lineNumber() {
        return lineNumber;
    }

    /** {@return what is wrong with the line} */
    public String problem() {
        return problem;
    }
}
