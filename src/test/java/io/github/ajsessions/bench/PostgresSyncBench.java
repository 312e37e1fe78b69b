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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL figures, one run, side by side (a plain timed program: sync of a million rows is a
 * macro benchmark). Needs a server: {@code AJ_SESSIONS_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}
 * ({@code scripts/dev/postgres.sh}). Run after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.github.ajsessions.bench.PostgresSyncBench [MESSAGES]}
 * (default 1,000,000). Rows:
 * <ul>
 *   <li>sync of MESSAGES messages from a fresh aj.db into an empty schema, against PostgreSQL's {@code COPY}
 *       of the same rows (read from the same file) into the same table of another empty schema;</li>
 *   <li>an incremental sync of 1,000 new messages onto the synced file;</li>
 *   <li>append a turn, and read the last 1,000 messages of a MESSAGES-message session, through the session API
 *       on PostgreSQL against plain JDBC on PostgreSQL (same statements' effect, same server).</li>
 * </ul>
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

            // twice, the best of each: the server may still be vacuuming and checkpointing after the bulk writes
            double[] append = append(syncUrl, user, password);
            double[] again = append(syncUrl, user, password);
            append = new double[] {Math.min(append[0], again[0]), Math.min(append[1], again[1])};
            double[] read = read(syncUrl, user, password);
            double[] read2 = read(syncUrl, user, password);
            read = new double[] {Math.min(read[0], read2[0]), Math.min(read[1], read2[1])};
            System.out.printf(Locale.ROOT, "| row | aj-sessions | baseline | ratio |%n|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| sync %,d messages (rows/s) | %,.0f | COPY %,.0f | %.2fx |%n", messages,
                    messages / sync, messages / copy, copy / sync);
            System.out.printf(Locale.ROOT, "| incremental sync of %,d new messages | %.3f s | target < 1 s | |%n",
                    inc.messages(), incremental);
            System.out.printf(Locale.ROOT, "| append a turn (µs) | %.0f | JDBC %.0f | %.2fx |%n", append[0], append[1],
                    append[0] / append[1]);
            System.out.printf(Locale.ROOT, "| read last 1,000 of %,d (µs) | %.0f | JDBC %.0f | %.2fx |%n", messages,
                    read[0], read[1], read[0] / read[1]);
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

    /** @return µs per turn: the session API, plain JDBC (lookup + two INSERT … RETURNING in one transaction) */
    private static double[] append(String url, String user, String password) throws Exception {
        int turns = 2_000;
        double api;
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(url).build())) {
            store.findOrCreateSession("append", Preamble.defaults());
            for (int i = 0; i < 200; i++) {
                store.appendTurn("append", "warm", "up");
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < turns; i++) {
                store.appendTurn("append", "q", "a");
            }
            api = (System.nanoTime() - t0) / 1e3 / turns;
        }
        double jdbc;
        try (Connection c = DriverManager.getConnection(url)) {
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                int n = round == 0 ? 200 : turns;
                for (int i = 0; i < n; i++) {
                    c.setAutoCommit(false);
                    long id;
                    try (PreparedStatement find = c.prepareStatement("SELECT id FROM conversations WHERE session_name = ?"
                            + " ORDER BY id LIMIT 1")) {
                        find.setString(1, "append");
                        try (ResultSet rs = find.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO messages (role, content, dynamic,"
                            + " conversation_id) VALUES (?, ?, false, ?) RETURNING id")) {
                        for (String role : List.of("user", "assistant")) {
                            ins.setString(1, role);
                            ins.setString(2, "x");
                            ins.setLong(3, id);
                            try (ResultSet rs = ins.executeQuery()) {
                                rs.next();
                            }
                        }
                    }
                    c.commit();
                    c.setAutoCommit(true);
                }
                jdbc = (System.nanoTime() - t0) / 1e3 / n;
                if (round == 1) {
                    return new double[] {api, jdbc};
                }
            }
        }
        throw new AssertionError();
    }

    /** @return µs per read of the last 1,000 messages of "big": the session API, plain JDBC */
    private static double[] read(String url, String user, String password) throws Exception {
        int reads = 200;
        double api;
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(url).build())) {
            for (int i = 0; i < 20; i++) {
                store.lastMessages("big", 1_000);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                store.lastMessages("big", 1_000);
            }
            api = (System.nanoTime() - t0) / 1e3 / reads;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            double jdbc = 0;
            for (int round = 0; round < 2; round++) {
                int n = round == 0 ? 20 : reads;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    List<String> out = new ArrayList<>(1_000);
                    long id;
                    try (PreparedStatement find = c.prepareStatement("SELECT id FROM conversations WHERE session_name = ?"
                            + " ORDER BY id LIMIT 1")) {
                        find.setString(1, "big");
                        try (ResultSet rs = find.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.conversation_id, m.role, m.content,"
                            + " m.dynamic FROM messages m WHERE m.conversation_id = ? ORDER BY m.id DESC LIMIT 1000")) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(rs.getString(4));
                            }
                        }
                    }
                }
                jdbc = (System.nanoTime() - t0) / 1e3 / n;
            }
            return new double[] {api, jdbc};
        }
    }
}
