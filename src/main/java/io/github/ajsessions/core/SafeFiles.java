package io.github.ajsessions.core;

import io.github.ajsessions.core.DatabaseFileException.Problem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules every file the module writes obeys: it is never the live database (or one of its side
 * files) reached another way, it is owner-only from its first byte, and a partial file of a run that
 * was killed is found and removed by the next one.
 */
public final class SafeFiles {

    /** The side files SQLite keeps next to a database. */
    public static final List<String> SIDE_FILE_SUFFIXES = List.of("-journal", "-wal", "-shm");

    /** How many symbolic links are followed before giving up (Linux's own limit is 40). */
    private static final int MAX_LINKS = 40;

    private SafeFiles() {
    }

    /**
     * Refuses a path the module is about to write when it is the database or one of its side files,
     * compared by identity: links (symbolic and hard) resolved, relative paths, {@code ./} and
     * {@code ..} included.
     *
     * @param target   the file about to be written (it may not exist yet)
     * @param database the live database
     * @param what     what the target is, for the message, e.g. {@code "export destination"}
     * @throws IllegalArgumentException naming both paths when they are the same file
     */
    public static void refuseLiveFile(Path target, Path database, String what) {
        String conflict = liveFileConflict(target, database);
        if (conflict != null) {
            throw new IllegalArgumentException(what + " " + target + " is " + conflict
                    + "; writing it would destroy the live database: choose another path");
        }
    }

    /**
     * @return {@code null} when writing {@code target} cannot touch {@code database}, else what it is,
     *         e.g. {@code "the database /x/aj.db itself"} or {@code "the side file /x/aj.db-wal of the database"}
     */
    public static String liveFileConflict(Path target, Path database) {
        Path t = writtenPath(target);
        List<Path> databases = new ArrayList<>();
        databases.add(database.toAbsolutePath().normalize());
        Path realDatabase = writtenPath(database);
        if (!databases.contains(realDatabase)) {
            databases.add(realDatabase);
        }
        for (Path db : databases) {
            if (t.equals(db) || sameExistingFile(t, db)) {
                return "the database " + database + " itself";
            }
            for (String suffix : SIDE_FILE_SUFFIXES) {
                Path side = db.resolveSibling(db.getFileName() + suffix);
                if (t.equals(side) || sameExistingFile(t, side)) {
                    return "the side file " + side + " of the database " + database;
                }
            }
        }
        // X-journal where X is the database under another name (a hard link): SQLite opening X would take the
        // file written here for X's hot journal and roll it into the database
        String name = t.getFileName() == null ? "" : t.getFileName().toString();
        for (String suffix : SIDE_FILE_SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                Path base = t.resolveSibling(name.substring(0, name.length() - suffix.length()));
                if (sameExistingFile(base, database)) {
                    return "the side file " + t + " of " + base + ", which is the database " + database
                            + " under another name";
                }
            }
        }
        return null;
    }

    private static boolean sameExistingFile(Path a, Path b) {
        try {
            // device and inode: a hard link is the same file under another name
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /**
     * @return the path a write to {@code path} lands on: absolute, its symbolic links followed (a
     *         dangling one to its missing target), its folder's links resolved
     */
    public static Path writtenPath(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            try {
                p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
            } catch (IOException unreadable) {
                break;
            }
        }
        try {
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            Path parent = p.getParent();
            if (parent != null && Files.exists(parent)) {
                return parent.toRealPath().resolve(p.getFileName());
            }
        } catch (IOException unreadable) {
            // compared as it is
        }
        return p;
    }

    /**
     * Creates {@code file}, which must not exist, owner-only ({@code rw-------}) from its first byte:
     * the permissions are part of the creation, not set after it.
     *
     * @throws IOException {@link java.nio.file.FileAlreadyExistsException} when it exists (a symbolic link included)
     */
    public static void createOwnerOnly(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.getFileStore(parent).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    /** @return the name of this process's partial file for {@code target}: {@code .NAME.part-PID} beside it */
    public static Path partialFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part-" + ProcessHandle.current().pid());
    }

    /**
     * Removes the partial files ({@link #partialFile}) of {@code target} left by runs that were killed: those
     * whose process id is no longer alive, with their SQLite side files.
     *
     * @return the files removed
     */
    public static List<Path> removeDeadPartialFiles(Path target) {
        return removeDeadPartialFiles(target.toAbsolutePath().getParent(), Pattern.quote(target.getFileName().toString()));
    }

    /**
     * As {@link #removeDeadPartialFiles(Path)}, for every target in {@code folder} whose name matches
     * {@code targetNameRegex} (for names that carry a time, such as reset's backups).
     */
    public static List<Path> removeDeadPartialFiles(Path folder, String targetNameRegex) {
        Pattern name = Pattern.compile(Pattern.quote(".") + "(?:" + targetNameRegex + ")" + Pattern.quote(".part-")
                + "(\\d{1,19})(-journal|-wal|-shm)?");
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException tooLong) {
                    continue;
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    try {
                        Files.deleteIfExists(p);
                        removed.add(p);
                    } catch (IOException ignored) {
                        // another run may have removed it first
                    }
                }
            }
        } catch (IOException unreadable) {
            // the folder cannot be listed: the write itself will report why
        }
        return removed;
    }

    /**
     * @return a failure to write {@code target} in plain words: "folder not writable: /x", "disk full
     *         writing /x/f", else the system's reason
     */
    public static DatabaseFileException writeFailure(Path target, IOException e) {
        Path parent = target.toAbsolutePath().getParent();
        String reason = String.valueOf(e instanceof FileSystemException fse ? fse.getReason() : e.getMessage());
        if (e instanceof AccessDeniedException || reason.toLowerCase(Locale.ROOT).contains("read-only file system")) {
            return new DatabaseFileException(target, Problem.READ_ONLY, "folder not writable: " + parent, e);
        }
        if (reason.toLowerCase(Locale.ROOT).contains("no space left")) {
            return new DatabaseFileException(target, Problem.IO_ERROR, "disk full writing " + target, e);
        }
        return new DatabaseFileException(target, Problem.IO_ERROR, "cannot write " + target + ": " + reason, e);
    }

    /** Deletes {@code file} and its SQLite side files, ignoring failures: a file of this process's own. */
    public static void deleteWithSideFiles(Path file) {
        List<String> names = new ArrayList<>(List.of(""));
        names.addAll(SIDE_FILE_SUFFIXES);
        for (String suffix : names) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
