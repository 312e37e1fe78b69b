package io.github.ajsessions.cli;

import static io.github.ajsessions.cli.AjFiles.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Role;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile tester tries against the command line: the live file reached another way, locks and
 * read-only files behind a reported success, full disks and closed outputs, world-readable partial
 * files, escape sequences in the file, another {@code $HOME}, URL parameters, special files. Each case
 * runs end to end on a real file and asserts the exit code, the one-line error and what is on disk.
 */
class HostileFilesTest {

    @TempDir
    Path dir;

    final Cli cli = new Cli();

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            new ProcessBuilder("umount", m.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    Path ajFile() throws Exception {
        return AjFiles.populated(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }

    static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** @return the names in {@code dir}, hidden ones included */
    List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Runs the real launcher class in a child JVM, standard output to {@code stdout}. */
    static Cli.Result child(File stdout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(stdout).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Cli.Result(p.exitValue(), "", err);
    }

    /** A small tmpfs at {@code folder}, or the test is skipped where mounting is not allowed. */
    Path tmpfs(String name, String options) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeThat(mounted).as("mounting a tmpfs needs root and CAP_SYS_ADMIN").isTrue();
        mounts.add(0, folder);
        return folder;
    }

    @Nested
    class SameFileMeansSameFile {

        @Test
        void exportOntoTheDatabaseIsRefusedAndLeavesItIntact() throws Exception {
            Path file = ajFile();
            String before = sha256(file);
            Cli.Result r = cli.run("--db", file.toString(), "export", "-o", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).isEqualTo("aj-sessions: export destination " + file + " is the database " + file
                    + " itself; writing it would destroy the live database: choose another path\n");
            assertThat(sha256(file)).isEqualTo(before);
            assertThat(names()).containsExactly("aj.db");
        }

        @Test
        void exportOntoTheRealFileThroughASymlinkedDbIsRefused() throws Exception {
            Path real = ajFile();
            Path link = Files.createSymbolicLink(dir.resolve("link.db"), real);
            String before = sha256(real);
            Cli.Result r = cli.run("--db", link.toString(), "export", "-o", real.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is the database " + link + " itself");
            assertThat(sha256(real)).isEqualTo(before);
        }

        @Test
        void exportOntoAHardLinkOfTheDatabaseIsRefused() throws Exception {
            Path real = ajFile();
            Path hard = Files.createLink(dir.resolve("hard.db"), real);
            String before = sha256(real);
            Cli.Result r = cli.run("--db", real.toString(), "export", "-o", hard.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("export destination " + hard + " is the database " + real + " itself");
            assertThat(sha256(real)).isEqualTo(before);
            assertThat(inode(hard)).isEqualTo(inode(real));
        }

        @Test
        void exportOntoTheDatabaseThroughDotDotOrASymlinkedFolderIsRefused() throws Exception {
            Path real = ajFile();
            Files.createDirectories(dir.resolve("sub"));
            Path linkedFolder = Files.createSymbolicLink(dir.resolve("linked"), dir);
            String before = sha256(real);
            for (String target : List.of(dir + "/sub/../aj.db", dir + "/./aj.db", linkedFolder + "/aj.db")) {
                Cli.Result r = cli.run("--db", real.toString(), "export", "-o", target);
                assertThat(r.code()).as(target).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err()).as(target).contains("itself; writing it would destroy the live database");
            }
            // and the database given through the symlinked folder, the export to its plain path
            Cli.Result r = cli.run("--db", linkedFolder + "/aj.db", "export", "-o", real.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(sha256(real)).isEqualTo(before);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-journal", "-wal", "-shm"})
        void exportOntoASideFileOfTheDatabaseIsRefused(String suffix) throws Exception {
            Path real = ajFile();
            Cli.Result r = cli.run("--db", real.toString(), "export", "-o", real + suffix);
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is the side file " + real + suffix + " of the database " + real);
            assertThat(names()).containsExactly("aj.db");
        }

        @Test
        void backupForceThroughASymlinkedDbOntoTheRealFileIsRefusedWhileAjWrites() throws Exception {
            Path real = ajFile();
            Path link = Files.createSymbolicLink(dir.resolve("link.db"), real);
            Object inodeBefore = inode(real);
            Path stop = dir.resolve("stop");
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LiveWriterChild.class.getName(), real.toString(),
                    stop.toString(), "60").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String report;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).isEqualTo("started");
                Cli.Result r = cli.run("--db", link.toString(), "backup", real.toString(), "--force");
                assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err()).contains("backup destination " + real + " is the database " + link + " itself");
                Files.createFile(stop);
                report = lines.readLine();
            } finally {
                if (!writer.waitFor(60, TimeUnit.SECONDS)) {
                    writer.destroyForcibly();
                }
            }
            // the same inode, and every turn the writer was told it saved is in it
            assertThat(inode(real)).isEqualTo(inodeBefore);
            int written = Integer.parseInt(report.split(" ")[1]);
            try (Connection c = new AjClient(real).connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM messages m JOIN conversations c"
                         + " ON c.id = m.conversation_id WHERE c.session_name = 'live' AND m.content LIKE 'pong %'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(written);
            }
        }

        @Test
        void backupForceOntoAHardLinkOrASymlinkOfTheDatabaseIsRefused() throws Exception {
            Path real = ajFile();
            Path hard = Files.createLink(dir.resolve("hard.db"), real);
            Path soft = Files.createSymbolicLink(dir.resolve("soft.db"), real);
            String before = sha256(real);
            for (Path target : List.of(hard, soft)) {
                Cli.Result r = cli.run("--db", real.toString(), "backup", target.toString(), "--force");
                assertThat(r.code()).as(target.toString()).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err()).as(target.toString()).contains("is the database " + real + " itself");
            }
            assertThat(sha256(real)).isEqualTo(before);
            assertThat(inode(hard)).isEqualTo(inode(real));
            assertThat(Files.isSymbolicLink(soft)).isTrue();
        }

        @Test
        void backupOntoADanglingSymlinkToTheDatabasesWalIsRefused() throws Exception {
            Path real = ajFile();
            Path link = Files.createSymbolicLink(dir.resolve("innocent.db"), dir.resolve("aj.db-wal"));
            Cli.Result r = cli.run("--db", real.toString(), "backup", link.toString(), "--force");
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is the side file " + real + "-wal of the database " + real);
            assertThat(names()).containsExactly("aj.db", "innocent.db");
            assertThat(dir.resolve("aj.db-wal")).doesNotExist();
        }

        @Test
        void backupForceIntoTheDatabasesOwnFolderIsRefused() throws Exception {
            Path real = ajFile();
            Cli.Result r = cli.run("--db", real.toString(), "backup", dir.toString(), "--force");
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("backup destination " + real + " is the database");
            assertThat(names()).containsExactly("aj.db");
        }

        @Test
        void backupOntoTheJournalNameOfAHardLinkedDatabaseIsRefused() throws Exception {
            // hard.db is aj.db under another name: aj.db-journal written here would be rolled into aj.db as a hot
            // journal the next time aj opens it
            Path real = ajFile();
            Path hard = Files.createLink(dir.resolve("hard.db"), real);
            Cli.Result r = cli.run("--db", hard.toString(), "backup", real + "-journal");
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is the side file " + real + "-journal of " + real
                    + ", which is the database " + hard + " under another name");
            assertThat(names()).containsExactly("aj.db", "hard.db");
        }
    }

    @Nested
    class NoFalseSuccess {

        @Test
        void resetWhileAnotherConnectionHoldsAReadFailsWithExitFourAndChangesNothing() throws Exception {
            Path file = ajFile();
            List<String> rows = AjFiles.rows(file);
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                reader.setAutoCommit(false);
                try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM messages")) {
                    rs.next();
                }
                Cli.Result r = cli.run("--db", file.toString(), "--busy-timeout", "100", "reset", "--yes",
                        "--no-backup");
                assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.LOCKED);
                assertThat(r.out()).doesNotContain("empty");
                assertThat(r.err()).contains("is locked by another process");
                reader.rollback();
            }
            assertThat(AjFiles.rows(file)).isEqualTo(rows);
        }

        @Test
        void resetWhileAnotherWriterHoldsAnExclusiveLockFailsWithExitFour() throws Exception {
            Path file = ajFile();
            List<String> rows = AjFiles.rows(file);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("BEGIN EXCLUSIVE");
                Cli.Result r = cli.run("--db", file.toString(), "--busy-timeout", "100", "reset", "--yes");
                assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.LOCKED);
                assertThat(r.out()).doesNotContain("reset ");
                st.execute("ROLLBACK");
            }
            assertThat(AjFiles.rows(file)).isEqualTo(rows);
        }

        @Test
        void resetOfAReadOnlyUrlIsRefusedWithExitThree() throws Exception {
            Path file = ajFile();
            String before = sha256(file);
            Cli.Result r = cli.run("--db", "file:" + file + "?mode=ro", "reset", "--yes");
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo("aj-sessions: database " + file + " was given read-only (mode=ro): reset"
                    + " writes to it and was refused\n");
            assertThat(sha256(file)).isEqualTo(before);
            assertThat(names()).containsExactly("aj.db");
        }

        @Test
        void resetOfAFileOnAReadOnlyFileSystemFailsWithExitThreeAndChangesNothing() throws Exception {
            Path folder = tmpfs("rofs", "size=4m");
            Path file = AjFiles.populated(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            List<String> rows = AjFiles.rows(file);
            Process remount = new ProcessBuilder("mount", "-o", "remount,ro", folder.toString()).start();
            assertThat(remount.waitFor(30, TimeUnit.SECONDS) && remount.exitValue() == 0).isTrue();
            Cli.Result withBackup = cli.run("--db", file.toString(), "reset", "--yes");
            assertThat(withBackup.code()).as(withBackup.err()).isEqualTo(ExitCodes.FILE);
            assertThat(withBackup.err()).isEqualTo("aj-sessions: folder not writable: " + folder + "\n");
            Cli.Result noBackup = cli.run("--db", file.toString(), "reset", "--yes", "--no-backup");
            assertThat(noBackup.code()).as(noBackup.err()).isEqualTo(ExitCodes.FILE);
            assertThat(noBackup.out()).isEmpty();
            // reset builds the fresh schema beside the file before it copies it in
            assertThat(noBackup.err()).isEqualTo("aj-sessions: folder not writable: " + folder + "\n");
            assertThat(AjFiles.rows(file)).isEqualTo(rows);
        }

        @Test
        void aFailingStandardOutputGivesExitThreeAndTheReason() throws Exception {
            Path file = ajFile();
            Main.FailureRecorder full = new Main.FailureRecorder(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            });
            StringWriter err = new StringWriter();
            int code = AjSessionsCommand.execute(new String[] {"--db", file.toString(), "export"},
                    new PrintWriter(new OutputStreamWriter(full, StandardCharsets.UTF_8)), new PrintWriter(err),
                    full::failure);
            assertThat(code).isEqualTo(ExitCodes.FILE);
            assertThat(err.toString()).isEqualTo("aj-sessions: write failed on standard output: no space left on"
                    + " device; the output is incomplete\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"export", "sessions", "where"})
        void writingToDevFullExitsNonZero(String command) throws Exception {
            Path file = ajFile();
            Cli.Result r = child(new File("/dev/full"), "--db", file.toString(), command);
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo("aj-sessions: write failed on standard output: no space left on device;"
                    + " the output is incomplete\n");
        }
    }

    @Nested
    class OwnerOnlyFromTheFirstByte {

        @Test
        void anExportReplacesAWorldReadableFileWithAnOwnerOnlyOne() throws Exception {
            Path file = ajFile();
            Path out = Files.writeString(dir.resolve("out.json"), "old");
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r--r--"));
            Cli.Result r = cli.run("--db", file.toString(), "export", "--include-secrets", "-o", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(mode(out)).isEqualTo("rw-------");
            assertThat(Files.readString(out)).contains(CANARY);
            assertThat(names()).containsExactly("aj.db", "out.json");
        }

        @Test
        void theBackupsPartialFileIsOwnerOnlyWhileItIsWritten() throws Exception {
            Path file = ajFile();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                // several backup steps (1024 pages of 4 KiB each)
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', "
                        + "hex(randomblob(6000000)), 0, 1)");
            }
            Path dest = dir.resolve("b.db");
            List<String> modesSeen = new ArrayList<>();
            try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                    .schemaMode(StoreConfig.SchemaMode.READ_ONLY).build())) {
                store.maintenance().backup(dest, false, (done, total) -> {
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path p : (Iterable<Path>) files::iterator) {
                            if (p.getFileName().toString().startsWith(".b.db.part-")) {
                                modesSeen.add(p.getFileName() + " " + mode(p));
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            assertThat(modesSeen).isNotEmpty().allSatisfy(m -> assertThat(m).endsWith(" rw-------"));
            assertThat(mode(dest)).isEqualTo("rw-------");
            assertThat(names()).containsExactly("aj.db", "b.db");
        }

        @Test
        void aBackupKilledWithSigkillLeavesAnOwnerOnlyPartialFileThatTheNextBackupRemoves() throws Exception {
            Path file = ajFile();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', "
                        + "hex(randomblob(6000000)), 0, 1)");
            }
            Path dest = dir.resolve("b.db");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), BackupKillChild.class.getName(), file.toString(),
                    dest.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Path partial = dir.resolve(".b.db.part-" + child.pid());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).isEqualTo("started");
                assertThat(mode(partial)).isEqualTo("rw-------");
            } finally {
                child.destroyForcibly(); // SIGKILL: no finally block of the child runs
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(partial).exists();
            assertThat(dest).doesNotExist();
            Cli.Result r = cli.run("--db", file.toString(), "backup", dest.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("removed " + partial + ", left by a backup that was killed");
            assertThat(names()).containsExactly("aj.db", "b.db");
            assertThat(AjFiles.rows(dest)).isEqualTo(AjFiles.rows(file));
        }

        @Test
        void partialFilesOfKilledBackupsAreRemovedAndNamedOthersAreLeftAlone() throws Exception {
            Path file = ajFile();
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor(30, TimeUnit.SECONDS);
            Process alive = new ProcessBuilder("sleep", "60").start();
            try {
                Path dead = Files.writeString(dir.resolve(".b.db.part-" + gone.pid()), CANARY);
                Path deadJournal = Files.writeString(dir.resolve(".b.db.part-" + gone.pid() + "-journal"), "j");
                Path running = Files.writeString(dir.resolve(".b.db.part-" + alive.pid()), "x");
                Path unrelated = Files.writeString(dir.resolve(".c.db.part-" + gone.pid()), "x");
                Cli.Result r = cli.run("--db", file.toString(), "backup", dir.resolve("b.db").toString());
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(r.err()).contains("removed " + dead + ", left by a backup that was killed")
                        .contains("removed " + deadJournal);
                assertThat(dead).doesNotExist();
                assertThat(deadJournal).doesNotExist();
                assertThat(running).exists();
                assertThat(unrelated).exists();
                assertThat(mode(dir.resolve("b.db"))).isEqualTo("rw-------");
            } finally {
                alive.destroyForcibly();
            }
        }

        @Test
        void aBackupThatFailsLeavesNoPartialFile() throws Exception {
            Path junk = Files.writeString(dir.resolve("junk.db"), "this is not a database, but long enough ".repeat(4));
            Cli.Result r = cli.run("--db", junk.toString(), "backup", dir.resolve("b.db").toString());
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(names()).containsExactly("junk.db");
        }

        @Test
        void initThroughADanglingSymlinkCreatesTheTargetOwnerOnlyAndKeepsTheLink() throws Exception {
            Path target = dir.resolve("target.db");
            Path link = Files.createSymbolicLink(dir.resolve("link.db"), target);
            Cli.Result r = cli.run("--db", link.toString(), "init");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(mode(target)).isEqualTo("rw-------");
            assertThat(cli.run("--db", target.toString(), "tables").out()).contains("conversations");
        }

        @Test
        void demoAndImportThroughADanglingSymlinkCreateTheTargetOwnerOnly() throws Exception {
            Path demoTarget = dir.resolve("demo-target.db");
            Path demoLink = Files.createSymbolicLink(dir.resolve("demo-link.db"), demoTarget);
            assertThat(cli.run("--db", demoLink.toString(), "demo").code()).isZero();
            assertThat(mode(demoTarget)).isEqualTo("rw-------");

            Path export = dir.resolve("e.json");
            assertThat(cli.run("--db", demoTarget.toString(), "export", "-o", export.toString()).code()).isZero();
            Path importTarget = dir.resolve("import-target.db");
            Path importLink = Files.createSymbolicLink(dir.resolve("import-link.db"), importTarget);
            Cli.Result r = cli.run("--db", importLink.toString(), "import", export.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(mode(importTarget)).isEqualTo("rw-------");
            assertThat(Files.isSymbolicLink(importLink)).isTrue();
        }

        @Test
        void partialFilesOfKilledResetsAreRemovedByTheNextReset() throws Exception {
            Path file = ajFile();
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor(30, TimeUnit.SECONDS);
            Path fresh = Files.writeString(dir.resolve(".aj.db.reset.part-" + gone.pid()), "x");
            Path backup = Files.writeString(dir.resolve(".aj.db.before-reset-20260101-120000.part-" + gone.pid()),
                    CANARY);
            Path other = Files.writeString(dir.resolve(".other.db.reset.part-" + gone.pid()), "x");
            Cli.Result r = cli.run("--db", file.toString(), "reset", "--yes", "--no-backup");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("removed " + fresh + ", left by a reset that was killed")
                    .contains("removed " + backup);
            assertThat(fresh).doesNotExist();
            assertThat(backup).doesNotExist();
            assertThat(other).exists();
        }

        @Test
        void resetsOwnBackupIsOwnerOnly() throws Exception {
            Path file = ajFile();
            assertThat(cli.run("--db", file.toString(), "reset", "--yes").code()).isZero();
            try (Stream<Path> files = Files.list(dir)) {
                Path backup = files.filter(p -> p.getFileName().toString().startsWith("aj.db.before-reset-"))
                        .findFirst().orElseThrow();
                assertThat(mode(backup)).isEqualTo("rw-------");
            }
            assertThat(names()).hasSize(2);
        }
    }

    @Nested
    class TextFromTheFileIsEscaped {

        static final String HOSTILE = "a\u001b]52;c;ZXZpbA==\u0007b\u001b[2Jc\u009bd\u007fe\rf";
        static final String ESCAPED = "a\\e]52;c;ZXZpbA==\\x07b\\e[2Jc\\u009bd\\x7fe\\rf";

        Path hostileFile() throws Exception {
            Path file = ajFile();
            AjClient aj = new AjClient(file);
            aj.turn("evil\u001b[31m", "line one\nline\ttwo " + HOSTILE, "fine");
            aj.recordConfig(aj.findOrCreateSession("evil\u001b[31m"), "http://x", "k", "model\u001b]0;title\u0007",
                    1, 1, List.of());
            return file;
        }

        @Test
        void showEscapesControlsButKeepsNewlinesAndTabs() throws Exception {
            Path file = hostileFile();
            Cli.Result r = cli.run("--db", file.toString(), "show", "evil\u001b[31m");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
                    .contains("session evil\\e[31m").contains("line one\n").contains("line\ttwo " + ESCAPED);
        }

        @Test
        void tailSessionsAndSearchEscapeNamesSnippetsAndModels() throws Exception {
            Path file = hostileFile();
            for (String[] args : List.of(new String[] {"tail"}, new String[] {"sessions"},
                    new String[] {"search", "line"})) {
                List<String> all = new ArrayList<>(List.of("--db", file.toString()));
                all.addAll(List.of(args));
                Cli.Result r = cli.run(all.toArray(String[]::new));
                assertThat(r.code()).as(args[0] + r.err()).isZero();
                assertThat(r.out()).as(args[0]).doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")
                        .contains("evil\\e[31m");
            }
            assertThat(cli.run("--db", file.toString(), "sessions").out()).contains("model\\e]0;title\\x07");
        }

        @Test
        void markdownIsEscapedAndJsonKeepsTheExactText() throws Exception {
            Path file = hostileFile();
            Cli.Result md = cli.run("--db", file.toString(), "export", "evil\u001b[31m", "--format", "markdown");
            assertThat(md.out()).doesNotContain("\u001b").contains("# Session `evil\\e[31m`").contains(ESCAPED);
            Path mdFile = dir.resolve("x.md");
            cli.run("--db", file.toString(), "export", "--format", "markdown", "-o", mdFile.toString());
            assertThat(Files.readString(mdFile)).doesNotContain("\u001b").contains(ESCAPED);
            // JSON escapes control characters itself, and must round-trip the text exactly
            Cli.Result json = cli.run("--db", file.toString(), "export", "evil\u001b[31m");
            assertThat(json.out()).doesNotContain("\u001b");
            assertThat(new ObjectMapper().readTree(json.out()).findValuesAsText("content"))
                    .contains("line one\nline\ttwo " + HOSTILE);
        }

        @Test
        void anErrorNamingAHostileSessionIsEscaped() throws Exception {
            Path file = ajFile();
            Cli.Result r = cli.run("--db", file.toString(), "show", "x\u001b[2J\u001b]52;c;AAAA\u0007");
            assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err()).doesNotContain("\u001b").contains("x\\e[2J\\e]52;c;AAAA\\x07");
        }

        @Test
        void theEscapingFunctionCoversEachClass() {
            assertThat(TerminalText.content("plain é 名前 🙂 \\e")).isEqualTo("plain é 名前 🙂 \\e");
            assertThat(TerminalText.content("a\nb\tc")).isEqualTo("a\nb\tc");
            assertThat(TerminalText.line("a\nb\tc")).isEqualTo("a\\nb\\tc");
            assertThat(TerminalText.line("\u0000\u0001\u001b\u007f\u0080\u009f")).isEqualTo(
                    "\\x00\\x01\\e\\x7f\\u0080\\u009f");
            // bidirectional overrides and line separators reorder or break what the terminal shows
            assertThat(TerminalText.line("\u202eabc\u2066\u2028")).isEqualTo("\\u202eabc\\u2066\\u2028");
            assertThat(TerminalText.line(null)).isNull();
        }
    }

    @Nested
    class FoundAsAjFindsIt {

        @Test
        void whereFollowsHomeFromTheEnvironment() throws Exception {
            Map<String, String> original = BaseCommand.environment;
            BaseCommand.environment = Map.of("HOME", dir.toString());
            try {
                Cli.Result r = cli.run("where", "--json");
                assertThat(new ObjectMapper().readTree(r.out()).get("file").asText())
                        .isEqualTo(dir.resolve(".config/aj/aj.db").toString());
                Path ajDir = Files.createDirectories(dir.resolve(".config/aj"));
                Path elsewhere = dir.resolve("elsewhere.db");
                Files.writeString(ajDir.resolve("config.yaml"), "session_db_url: " + elsewhere + "\n");
                assertThat(cli.run("where").out()).startsWith(elsewhere.toString()).contains("session_db_url in "
                        + ajDir.resolve("config.yaml"));
            } finally {
                BaseCommand.environment = original;
            }
        }
    }

    @Nested
    class UrlParametersAreHonoured {

        @Test
        void modeRoRefusesDeleteAndKeepsTheSession() throws Exception {
            Path file = ajFile();
            String before = sha256(file);
            Cli.Result r = cli.run("--db", "file:" + file + "?mode=ro", "delete", "research");
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo("aj-sessions: database " + file + " was given read-only (mode=ro): delete"
                    + " writes to it and was refused\n");
            assertThat(sha256(file)).isEqualTo(before);
            assertThat(cli.run("--db", "file:" + file + "?mode=ro", "sessions").out()).contains("research");
        }

        @Test
        void modeRoInAjsConfigIsHonoured() throws Exception {
            Path file = ajFile();
            Path config = Files.writeString(dir.resolve("config.yaml"), "session_db_url: \"file:" + file
                    + "?mode=ro\"\n");
            for (String command : List.of("delete", "vacuum", "import", "migrate", "search")) {
                List<String> args = new ArrayList<>(List.of("--aj-config", config.toString(), command));
                if (command.equals("delete")) {
                    args.add("research");
                } else if (command.equals("import")) {
                    args.add(dir.resolve("none.json").toString());
                } else if (command.equals("search")) {
                    args.add("WAL");
                }
                Cli.Result r = cli.run(args.toArray(String[]::new));
                assertThat(r.code()).as(command).isEqualTo(ExitCodes.FILE);
                assertThat(r.err()).as(command).contains("was given read-only (mode=ro)");
            }
            assertThat(AjFiles.rows(file)).hasSize(17);
        }

        @Test
        void theLibraryOpensAModeRoUrlReadOnlyAndRefusesWrites() throws Exception {
            Path file = ajFile();
            String before = sha256(file);
            try (SessionStore store = SessionStore.open(StoreConfig.builder().database("file:" + file + "?mode=ro")
                    .build())) {
                assertThat(store.history("research")).hasSize(7);
                assertThatThrownBy(() -> store.appendMessage("research", Role.USER, "x"))
                        .isInstanceOf(DatabaseFileException.class)
                        .extracting(e -> ((DatabaseFileException) e).problem())
                        .isEqualTo(DatabaseFileException.Problem.READ_ONLY);
            }
            assertThat(sha256(file)).isEqualTo(before);
        }

        @Test
        void unknownParametersAreRefusedByName() throws Exception {
            Path file = ajFile();
            Cli.Result r = cli.run("--db", "file:" + file + "?mode=ro&nolock=1", "sessions");
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("has URL parameters this module does not honour: nolock=1");
            Cli.Result jdbc = cli.run("--db", "jdbc:sqlite:" + file + "?foreign_keys=off", "delete", "research");
            assertThat(jdbc.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(jdbc.err()).contains("sqlite-jdbc settings this module does not honour: foreign_keys=off");
            assertThat(AjFiles.rows(file)).hasSize(17);
        }

        @Test
        void modeRwDoesNotCreateAMissingFile() {
            Path missing = dir.resolve("missing.db");
            Cli.Result r = cli.run("--db", "file:" + missing + "?mode=rw", "init");
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).contains("does not exist (the URL's mode=rw does not create it)");
            assertThat(missing).doesNotExist();
        }
    }

    @Nested
    class ErrorsNameTheCause {

        @Test
        void aBackupOntoAFullDiskSaysDiskFullAndLeavesNoPartialFile() throws Exception {
            Path file = ajFile();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', "
                        + "hex(randomblob(200000)), 0, 1)");
            }
            Path small = tmpfs("small", "size=64k");
            Cli.Result r = cli.run("--db", file.toString(), "backup", small.resolve("b.db").toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).contains("disk full writing " + small.resolve("b.db"));
            try (Stream<Path> left = Files.list(small)) {
                assertThat(left).isEmpty();
            }
        }

        @Test
        void aBackupIntoAReadOnlyFolderSaysFolderNotWritable() throws Exception {
            Path file = ajFile();
            Path ro = tmpfs("ro", "size=1m,ro");
            Cli.Result r = cli.run("--db", file.toString(), "backup", ro.resolve("b.db").toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo("aj-sessions: folder not writable: " + ro + "\n");
        }

        @Test
        void anExportOntoAFullDiskSaysDiskFull() throws Exception {
            Path file = ajFile();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', "
                        + "hex(randomblob(200000)), 0, 1)");
            }
            Path small = tmpfs("small", "size=64k");
            Cli.Result r = cli.run("--db", file.toString(), "export", "-o", small.resolve("e.json").toString());
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo("aj-sessions: disk full writing " + small.resolve("e.json") + "\n");
            try (Stream<Path> left = Files.list(small)) {
                assertThat(left).isEmpty();
            }
        }

        @Test
        void aBackupOfAFileThatIsNotSqliteSaysSo() throws Exception {
            Path junk = Files.writeString(dir.resolve("junk.db"), "SQLite format 2? no: ".repeat(20));
            Cli.Result r = cli.run("--db", junk.toString(), "backup", dir.resolve("b.db").toString());
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).contains("is not a SQLite database").doesNotContain("code 26");
        }

        @Test
        void aFailedImportIntoAMissingDbLeavesNoFileBehind() throws Exception {
            Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\": [1, 2");
            Path db = dir.resolve("new.db");
            Cli.Result r = cli.run("--db", db.toString(), "import", bad.toString());
            assertThat(r.code()).isNotZero();
            assertThat(names()).containsExactly("bad.json");
            Cli.Result missing = cli.run("--db", db.toString(), "import", dir.resolve("none.json").toString());
            assertThat(missing.code()).isEqualTo(ExitCodes.FILE);
            assertThat(names()).containsExactly("bad.json");
            // through a dangling symbolic link: the link stays, its target is not left behind
            Path link = Files.createSymbolicLink(dir.resolve("link.db"), dir.resolve("target.db"));
            assertThat(cli.run("--db", link.toString(), "import", bad.toString()).code()).isNotZero();
            assertThat(names()).containsExactly("bad.json", "link.db");
            assertThat(Files.isSymbolicLink(link)).isTrue();
        }

        @Test
        @Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard: before the fix, SQLite blocked on the FIFO
        void aFifoAsDbIsRefusedAtOnce() throws Exception {
            Path fifo = dir.resolve("fifo.db");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
            for (String[] args : List.of(new String[] {"sessions"}, new String[] {"init"},
                    new String[] {"reset", "--yes"}, new String[] {"export"})) {
                List<String> all = new ArrayList<>(List.of("--db", fifo.toString()));
                all.addAll(List.of(args));
                Cli.Result r = cli.run(all.toArray(String[]::new));
                assertThat(r.code()).as(args[0]).isEqualTo(ExitCodes.FILE);
                assertThat(r.err()).as(args[0]).isEqualTo("aj-sessions: database path " + fifo + " is not a regular"
                        + " file (a FIFO); aj's database is a plain file\n");
            }
            assertThat(names()).containsExactly("fifo.db");
        }

        @Test
        void devNullAsDbIsRefusedAndNoJournalIsCreatedBesideIt() {
            boolean journalBefore = Files.exists(Path.of("/dev/null-journal"));
            for (String[] args : List.of(new String[] {"reset", "--yes"}, new String[] {"init"},
                    new String[] {"sessions"}, new String[] {"backup", dir.resolve("b.db").toString()})) {
                List<String> all = new ArrayList<>(List.of("--db", "/dev/null"));
                all.addAll(List.of(args));
                Cli.Result r = cli.run(all.toArray(String[]::new));
                assertThat(r.code()).as(args[0]).isEqualTo(ExitCodes.FILE);
                assertThat(r.err()).as(args[0]).isEqualTo("aj-sessions: database path /dev/null is not a regular file"
                        + " (a character device); aj's database is a plain file\n");
            }
            assertThat(Files.exists(Path.of("/dev/null-journal"))).isEqualTo(journalBefore);
            assertThat(dir.resolve("b.db")).doesNotExist();
        }
    }
}
