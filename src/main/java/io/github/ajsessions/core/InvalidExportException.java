package io.github.ajsessions.core;

import java.nio.file.Path;
import java.util.List;

/**
 * An import was refused as a whole, before the database was opened for writing: the input is not a
 * well-formed export (the message gives the line and column and a fixed description, never a token of
 * the input), or it holds rows aj cannot live with ({@link #problems()}, each naming the row, the
 * field and the value). The CLI exits with code 3.
 */
public final class InvalidExportException extends AjSessionsException {

    /** At most this many problems are spelled out in the message; {@link #problems()} has all of them. */
    public static final int PROBLEMS_IN_MESSAGE = 5;

    private final transient List<ImportProblem> problems;
    private final String headline;

    /**
     * @param database the file that was to receive the import, or {@code null} when not known yet
     * @param headline one line: what was refused and why
     * @param problems the rows aj cannot live with; empty for a malformed input
     */
    public InvalidExportException(Path database, String headline, List<ImportProblem> problems) {
        super(database, message(headline, problems), null);
        this.headline = headline;
        this.problems = List.copyOf(problems);
    }

    private static String message(String headline, List<ImportProblem> problems) {
        if (problems.isEmpty()) {
            return headline;
        }
        StringBuilder b = new StringBuilder(headline).append(": ");
        for (int i = 0; i < Math.min(PROBLEMS_IN_MESSAGE, problems.size()); i++) {
            b.append(i == 0 ? "" : "; ").append(problems.get(i).describe());
        }
        if (problems.size() > PROBLEMS_IN_MESSAGE) {
            b.append("; and ").append(problems.size() - PROBLEMS_IN_MESSAGE).append(" more");
        }
        return b.toString();
    }

    /** @return the one-line headline without the problems */
    public String headline() {
        return headline;
    }

    /** @return every problem found, in the order of the input; empty for a malformed input */
    public List<ImportProblem> problems() {
        return problems;
    }
}
