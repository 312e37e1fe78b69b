package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * The file cannot be used as a database: missing, not SQLite, corrupt, read-only, unopenable. The CLI
 * exits with code 3 (the file).
 */
public final class DatabaseFileException extends AjSessionsException {

    /** What is wrong with the file. */
    public enum Problem {
        /** The file or its folder does not exist. */
        NOT_FOUND,
        /** The path is a folder. */
        IS_A_DIRECTORY,
        /** The file is not a SQLite database (SQLITE_NOTADB). */
        NOT_A_DATABASE,
        /** The database is damaged or truncated (SQLITE_CORRUPT). */
        CORRUPT,
        /** SQLite could not open it (SQLITE_CANTOPEN: permissions, a missing folder). */
        CANNOT_OPEN,
        /** A write was refused because the file or its folder is read-only (SQLITE_READONLY). */
        READ_ONLY,
        /** An I/O error or a full disk (SQLITE_IOERR, SQLITE_FULL). */
        IO_ERROR
    }

    private final Problem problem;

    /** @param message one line naming the file and the problem */
    public DatabaseFileException(Path database, Problem problem, String message, Throwable cause) {
        super(database, message, cause);
        this.problem = problem;
    }

    /** @return what is wrong */
    public Problem problem() {
        return problem;
    }
}
