package io.github.ajsessions.bench;

import io.github.ajsessions.api.PostgresSync;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL figures, one run, one side-by-side table (a plain timed program: sync of a million rows is a
 * macro benchmark). Needs a server: {@code AJ_SESSIONS_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}
 * ({@code scripts/dev/postgres.sh}). Run after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.github.ajsessions.bench.PostgresSyncBench [MESSAGES]}
 * (default 1,000,000). Rows:
 * <ul>
 *   <li>sync of MESSAGES messages from a fresh aj.db into an empty schema, against PostgreSQL's {@code COPY}
 *       of the same rows (read from the same file) into the same table of another empty schema;</li>
 *   <li>an incremental sync of 1,000 new messages onto the synced file;</li>
 *   <li>append a turn, and read the last 1,000 messages of a MESSAGES-message session, through the session API
 *       on PostgreSQL against plain JDBC on PostgreSQL doing what the call guarantees (append: one transaction
 *       with the session lookup and both inserts, ids read back; read: the lookup, then the same rows in the
 *       same order, made the same records). The two sides run paired: in one JVM and thread, in blocks that
 *       alternate which side goes first, each side's wall time summed over all blocks, so that load from
 *       elsewhere on the machine falls on both alike.</li>
 * </ul>
 * The start and end lines give the date, time (UTC) and the machine's load average.
 */
public final class PostgresSyncBench {

    private PostgresSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        String base = System.getenv("AJ_SESSIONS_TEST_PG_URL");
        String user = System.getenv("AJ_SESSIONS_TEST_PG_USER");
        String password = System.getenv("AJ_SESSIONS_TEST_PG_PASSWORD");
        if (base == null) {
            throw new IllegalStateException("AJ_SESSIONS_TEST_PG_URL is not set (scripts/dev/postgres.sh)");
        }
        System.out.printf(Locale.ROOT, "%s UTC, %,d messages, load average at the start: %s%n",
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0), messages, loadAverage());
        Path folder = Files.createTempDirectory("aj-pg-bench");
        Path file = folder.resolve("aj.db");
        List<String> schemas = new ArrayList<>();
        try {
            try (SessionStore store = SessionStore.open(file)) {
                List<MessageRecord> rows = new ArrayList<>(messages);
                rows.add(new MessageRecord(0, null, Role.SYSTEM, Preamble.DEFAULT_SYSTEM_PROMPT, false));
                rows.add(new MessageRecord(0, null, Role.USER, "brain", false));
                rows.add(new MessageRecord(0, null, Role.ASSISTANT, "Ok", false));
                for (int i = 3; i < messages; i++) {
                    rows.add(new MessageRecord(0, null, i % 2 == 1 ? Role.USER : Role.ASSISTANT,
                            BenchTexts.class.getSimpleName() + " message " + i + " lorem ipsum dolor sit amet", false));
                }
                store.bulk().importMessages("big", rows);
            }
            String syncSchema = schema(base, user, password, schemas);
            String syncUrl = base + "?currentSchema=" + syncSchema + "&user=" + user + "&password=" + password;
            long t0 = System.nanoTime();
            PostgresSync.sync(StoreConfig.forFile(file), syncUrl, false, false, null);
            double sync = seconds(t0);

            String copySchema = schema(base, user, password, schemas);
            String copyUrl = base + "?currentSchema=" + copySchema + "&user=" + user + "&password=" + password;
            SessionStore.open(StoreConfig.builder().database(copyUrl).build()).close(); // the same tables
            t0 = System.nanoTime();
            copy(file, copyUrl, user, password);
            double copy = seconds(t0);

            try (SessionStore store = SessionStore.open(file)) {
                for (int i = 0; i < 500; i++) {
                    store.appendTurn("big", "new q " + i, "new a " + i);
                }
            }
            t0 = System.nanoTime();
            PostgresSync.SyncResult inc = PostgresSync.sync(StoreConfig.forFile(file), syncUrl, false, false, null);
            double incremental = seconds(t0);

            double[] append = appendPaired(syncUrl);
            double[] read = readPaired(syncUrl);
            System.out.printf(Locale.ROOT, "| row | aj-sessions | baseline | ratio |%n|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| sync %,d messages (rows/s) | %,.0f (%.1f s) | COPY %,.0f (%.1f s) | %.2fx |%n",
                    messages, messages / sync, sync, messages / copy, copy, copy / sync);
            System.out.printf(Locale.ROOT, "| incremental sync of %,d new messages | %.3f s | target < 1 s | |%n",
                    inc.messages(), incremental);
            System.out.printf(Locale.ROOT, "| append a turn (µs, %,d paired) | %.0f | JDBC %.0f | %.2fx |%n",
                    (int) append[2], append[0], append[1], append[0] / append[1]);
            System.out.printf(Locale.ROOT, "| read last 1,000 of %,d (µs, %,d paired) | %.0f | JDBC %.0f | %.2fx |%n",
                    messages, (int) read[2], read[0], read[1], read[0] / read[1]);
            System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
        } finally {
            try (Connection c = DriverManager.getConnection(base, user, password); Statement st = c.createStatement()) {
                for (String s : schemas) {
                    st.execute("DROP SCHEMA " + s + " CASCADE");
                }
            }
            for (Path p : List.of(file, folder)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String schema(String base, String user, String password, List<String> schemas) throws Exception {
        String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        }
        schemas.add(name);
        return name;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The limit: the same rows, read from the file in one pass, sent with COPY in chunks of 100,000. */
    private static void copy(Path file, String url, String user, String password) throws Exception {
        try (Connection lite = DriverManager.getConnection("jdbc:sqlite:" + file);
             Connection pg = DriverManager.getConnection(url);
             Statement st = lite.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, role, content, dynamic FROM messages ORDER BY id")) {
            try (Statement s = pg.createStatement()) {
                s.execute("INSERT INTO conversations (session_name, origin_id, origin_aj_id) VALUES ('big', 'copy', 1)");
            }
            long conversation;
            try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT max(id) FROM conversations")) {
                r.next();
                conversation = r.getLong(1);
            }
            StringBuilder chunk = new StringBuilder();
            int n = 0;
            while (rs.next()) {
                chunk.append(rs.getString(2)).append('\t').append(escape(rs.getString(3))).append('\t')
                        .append(rs.getInt(4) != 0 ? 't' : 'f').append('\t').append(conversation).append("\tcopy\t")
                        .append(rs.getLong(1)).append('\n');
                if (++n % 100_000 == 0) {
                    send(pg, chunk);
                }
            }
            send(pg, chunk);
        }
    }

    private static void send(Connection pg, StringBuilder chunk) throws Exception {
        if (chunk.length() == 0) {
            return;
        }
        pg.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY messages (role, content, dynamic, conversation_id,"
                + " origin_id, origin_aj_id) FROM STDIN", new StringReader(chunk.toString()));
        chunk.setLength(0);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** Blocks of each side per paired row; each block runs one side {@code block} times in a row. */
    private static final int BLOCKS = 80;

    /** One operation of one side of a paired row. */
    @FunctionalInterface
    private interface Op {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code warmup} operations of each side, then {@value #BLOCKS} blocks of {@code block} operations of
     * each, in one JVM, on one thread, alternating which side goes first; the server and the machine's load
     * are the same for both within a block.
     *
     * @return µs per operation: the session API, plain JDBC; and how many operations each side ran
     */
    private static double[] paired(int warmup, int block, Op api, Op jdbc) throws Exception {
        for (int i = 0; i < warmup; i++) {
            api.run(i);
            jdbc.run(i);
        }
        long apiNanos = 0;
        long jdbcNanos = 0;
        int n = warmup;
        for (int b = 0; b < BLOCKS; b++) {
            for (int round = 0; round < 2; round++) {
                boolean isApi = (round == 0) == (b % 2 == 0);
                Op op = isApi ? api : jdbc;
                long t0 = System.nanoTime();
                for (int k = 0; k < block; k++) {
                    op.run(n + k);
                }
                long took = System.nanoTime() - t0;
                if (isApi) {
                    apiNanos += took;
                } else {
                    jdbcNanos += took;
                }
            }
            n += block;
        }
        int ops = BLOCKS * block;
        return new double[] {apiNanos / 1e3 / ops, jdbcNanos / 1e3 / ops, ops};
    }

    /**
     * Append a turn: {@link SessionStore#appendTurn} against what it guarantees done with plain JDBC on one open
     * connection: one transaction with the session lookup and both inserts (ids read back), atomic.
     */
    private static double[] appendPaired(String url) throws Exception {
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(url).build());
             Connection c = DriverManager.getConnection(url)) {
            store.findOrCreateSession("append", Preamble.defaults());
            return paired(300, 25, i -> store.appendTurn("append", "q " + i, "a " + i),
                    i -> jdbcTurn(c, "append", "q " + i, "a " + i));
        }
    }

    /** The session's id, looked up as the store does (the oldest conversation of that name). */
    private static long sessionId(Connection c, String session) throws SQLException {
        try (PreparedStatement find = c.prepareStatement("SELECT id, session_name FROM conversations"
                + " WHERE session_name = ? ORDER BY id LIMIT 1")) {
            find.setString(1, session);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no session " + session);
                }
                return rs.getLong(1);
            }
        }
    }

    private static List<MessageRecord> jdbcTurn(Connection c, String session, String q, String a) throws Exception {
        c.setAutoCommit(false);
        try {
            long id = sessionId(c, session);
            List<MessageRecord> out = new ArrayList<>(2);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO messages (id, conversation_id, role, content,"
                    + " dynamic) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                for (MessageRecord row : List.of(new MessageRecord(0, id, Role.USER, q, false),
                        new MessageRecord(0, id, Role.ASSISTANT, a, false))) {
                    ins.setNull(1, java.sql.Types.INTEGER);
                    ins.setLong(2, id);
                    ins.setString(3, row.role().dbValue());
                    ins.setString(4, row.content());
                    ins.setBoolean(5, false);
                    try (ResultSet rs = ins.executeQuery()) {
                        rs.next();
                        out.add(row.withId(rs.getLong(1)));
                    }
                }
            }
            c.commit();
            return out;
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Read the last 1,000 messages of "big": {@link SessionStore#lastMessages} against plain JDBC on one open
     * connection doing the same: the lookup, then the newest 1,000 rows, each made a {@link MessageRecord}, in id
     * order.
     */
    private static double[] readPaired(String url) throws Exception {
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(url).build());
             Connection c = DriverManager.getConnection(url)) {
            List<MessageRecord> viaApi = store.lastMessages("big", 1_000);
            if (!viaApi.equals(jdbcRead(c, "big", 1_000)) || viaApi.size() != 1_000) {
                throw new IllegalStateException("the two reads differ");
            }
            return paired(30, 5, i -> store.lastMessages("big", 1_000), i -> jdbcRead(c, "big", 1_000));
        }
    }

    private static List<MessageRecord> jdbcRead(Connection c, String session, int count) throws Exception {
        long id = sessionId(c, session);
        List<MessageRecord> out = new ArrayList<>(count);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, conversation_id, role, content, dynamic FROM messages"
                + " WHERE conversation_id = ? ORDER BY id DESC LIMIT ?")) {
            ps.setLong(1, id);
            ps.setInt(2, count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long conversation = rs.getLong(2);
                    out.add(new MessageRecord(rs.getLong(1), rs.wasNull() ? null : conversation,
                            Role.fromDbValue(rs.getString(3)), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
