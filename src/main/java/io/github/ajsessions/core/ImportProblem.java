package io.github.ajsessions.core;

/**
 * One thing in an import that aj cannot live with, found before the database is opened for writing.
 * Neither text ever holds message content or an API key: content is described by its length or the
 * position of the fault, other fields by a short escaped prefix.
 *
 * @param where   the row: e.g. {@code session 'research' (id 1), message #2 (id 99)}
 * @param problem the field and what is wrong with its value, e.g. {@code role 'tool' is not one of system, user,
 *                assistant (aj panics on it)}
 * @param remedy  what an import that allows warnings does about it instead, e.g. {@code session skipped}
 */
public record ImportProblem(String where, String problem, String remedy) {

    /** @return {@code where: problem} */
    public String describe() {
        return where + ": " + problem;
    }

    /** @return {@code where: problem; remedy}, as an import that allows warnings reports it */
    public String describeWithRemedy() {
        return describe() + "; " + remedy;
    }
}
