package io.github.ajsessions.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Concurrent turns through the Spring path: {@value #THREADS} threads append {@value #TURNS_PER_THREAD}
 * turns each through one application's {@code @Transactional} service ({@link SpringTurn}), all started
 * together; then counts the failed calls and reads the file back with plain JDBC: every committed turn
 * present, each as its user row directly followed by its assistant row, each thread's turns in the order it
 * made them, and that foreign keys are on for the application's {@code DataSource}. The same with plain JDBC (one
 * connection per thread, {@code BEGIN IMMEDIATE}, the same busy timeout) as the reference: a failure that
 * both show is SQLite's lock waiting, not the Spring path. Run by {@link BenchMain} in its own JVM (not JMH:
 * the figures are counts; the time per turn and the longest call are context).
 */
final class SpringTurnConcurrency {

    static final int THREADS = 4;
    static final int TURNS_PER_THREAD = 100;

    private SpringTurnConcurrency() {
    }

    /** One turn as thread {@code thread} makes it. */
    interface Turn {
        void append(int thread, String user, String assistant) throws Exception;
    }

    /** Result rows for each conversation length, Spring then JDBC, in {@link BenchMain}'s table format. */
    static List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int length : new int[] {10, 1_000}) {
            rows.add(spring(length));
            rows.add(jdbc(length));
        }
        return rows;
    }

    private static String spring(int length) throws Exception {
        Path dir = Files.createTempDirectory(BenchData.dir(), "spring-concurrency-");
        try {
            String foreignKeys;
            Outcome outcome;
            try (SpringTurn spring = SpringTurn.open(dir, length)) {
                try (Connection c = spring.context().getBean(DataSource.class).getConnection();
                        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                    rs.next();
                    foreignKeys = rs.getInt(1) == 1 ? "foreign keys on" : "FOREIGN KEYS OFF";
                }
                outcome = race((thread, user, assistant) -> spring.appendTurn(user, assistant));
            }
            return outcome.row("Spring @Transactional service, concurrent", length, dir.resolve("aj.db"), foreignKeys);
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    private static String jdbc(int length) throws Exception {
        Path dir = Files.createTempDirectory(BenchData.dir(), "jdbc-concurrency-");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Path file = dir.resolve("aj.db");
            AppendTurnBenchmark.Target.open("jdbc", dir, length).close();
            long conversation;
            try (Connection c = BenchData.jdbc(file); PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM conversations WHERE session_name = ?")) {
                ps.setString(1, AppendTurnBenchmark.SESSION);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    conversation = rs.getLong(1);
                }
            }
            Statement[] statements = new Statement[THREADS];
            PreparedStatement[] inserts = new PreparedStatement[THREADS];
            for (int t = 0; t < THREADS; t++) {
                Connection c = BenchData.jdbc(file);
                open.add(c);
                statements[t] = c.createStatement();
                inserts[t] = c.prepareStatement(
                        "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, 0, ?)");
            }
            Outcome outcome = race((thread, user, assistant) -> {
                Statement st = statements[thread];
                PreparedStatement insert = inserts[thread];
                st.execute("BEGIN IMMEDIATE");
                try {
                    insert.setString(1, "user");
                    insert.setString(2, user);
                    insert.setLong(3, conversation);
                    insert.executeUpdate();
                    insert.setString(1, "assistant");
                    insert.setString(2, assistant);
                    insert.executeUpdate();
                    st.execute("COMMIT");
                } catch (Exception e) {
                    st.execute("ROLLBACK");
                    throw e;
                }
            });
            BenchData.closeAll(open.toArray(AutoCloseable[]::new));
            open.clear();
            return outcome.row("jdbc, concurrent (reference)", length, file, "");
        } finally {
            BenchData.closeAll(open.toArray(AutoCloseable[]::new));
            BenchData.deleteTree(dir);
        }
    }

    /** What a race produced: failed calls, the first failure, the wall time, the longest call. */
    record Outcome(int failures, Throwable firstFailure, long wallNanos, long longestCallNanos) {

        String row(String what, int length, Path file, String more) throws Exception {
            int turns = THREADS * TURNS_PER_THREAD;
            if (firstFailure != null) {
                System.out.println("# SpringTurnConcurrency, " + what + ", length " + length + ": first failure "
                        + firstFailure);
            }
            return String.format(Locale.ROOT, "| SpringTurnConcurrency | length=%d, %d threads × %d turns | %s | %.0f | |"
                    + " us/turn (wall ÷ turns) | %d failures; %s; longest call %.0f ms%s | | |", length, THREADS,
                    TURNS_PER_THREAD, what, wallNanos / 1e3 / turns, failures, readBack(file, length, turns - failures),
                    longestCallNanos / 1e6, more.isEmpty() ? "" : "; " + more);
        }
    }

    /** {@value #THREADS} threads, started together, {@value #TURNS_PER_THREAD} turns each, marked by thread and turn. */
    private static Outcome race(Turn turn) throws Exception {
        String[] user = new String[AppendTurnBenchmark.TURNS];
        String[] assistant = new String[AppendTurnBenchmark.TURNS];
        AppendTurnBenchmark.texts(user, assistant);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        AtomicLong longest = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < TURNS_PER_THREAD; i++) {
                    int k = (thread * TURNS_PER_THREAD + i) & (AppendTurnBenchmark.TURNS - 1);
                    long began = System.nanoTime();
                    try {
                        turn.append(thread, mark(thread, i) + user[k], mark(thread, i) + assistant[k]);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                    long took = System.nanoTime() - began;
                    longest.accumulateAndGet(took, Math::max);
                }
            }, "concurrent-turns-" + t));
        }
        threads.forEach(Thread::start);
        long began = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return new Outcome(failures.get(), firstFailure.get(), System.nanoTime() - began, longest.get());
    }

    private static String mark(int thread, int turn) {
        return "[t" + thread + " #" + turn + "] ";
    }

    /** What the file holds after the seed: {@code expected} turns, whole, each thread's in order. */
    private static String readBack(Path file, int length, int expected) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = BenchData.jdbc(file); PreparedStatement ps = c.prepareStatement("SELECT m.role, m.content"
                + " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.session_name = ? ORDER BY m.id")) {
            ps.setString(1, AppendTurnBenchmark.SESSION);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        if (rows.size() != length + 2 * expected) {
            return String.format(Locale.ROOT, "%d rows after the seed, expected %d: NOT all committed",
                    rows.size() - length, 2 * expected);
        }
        int[] next = new int[THREADS];
        for (int r = length; r < rows.size(); r += 2) {
            String[] q = rows.get(r);
            String[] a = rows.get(r + 1);
            String mark = q[1].substring(0, q[1].indexOf("] ") + 2);
            int thread = mark.charAt(2) - '0';
            int turn = Integer.parseInt(mark.substring(mark.indexOf('#') + 1, mark.length() - 2));
            if (!q[0].equals("user") || !a[0].equals("assistant") || !a[1].startsWith(mark) || turn < next[thread]) {
                return "row " + r + " out of order (" + q[0] + " " + mark + ", then " + a[0] + "): NOT in order";
            }
            next[thread] = turn + 1;
        }
        return String.format(Locale.ROOT, "%d of %d turns committed, each thread's in order, user before assistant",
                (rows.size() - length) / 2, THREADS * TURNS_PER_THREAD);
    }
}
