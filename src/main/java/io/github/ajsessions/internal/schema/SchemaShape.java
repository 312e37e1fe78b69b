package io.github.ajsessions.internal.schema;

import io.github.ajsessions.internal.jdbc.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The structure of aj's three tables in one file, as SQLite reports it ({@code PRAGMA table_info},
 * {@code foreign_key_list}, {@code index_list}): independent of whitespace and of how the DDL was
 * written, so that the three variants found in the wild can be recognised exactly.
 */
final class SchemaShape {

    static final List<String> AJ_TABLES = List.of("awful_configs", "conversations", "messages");
    static final String DIESEL_TABLE = "__diesel_schema_migrations";

    record Column(String name, String type, boolean notNull, String defaultValue, int primaryKeyPosition) {
        String describe() {
            return type + (notNull ? " NOT NULL" : "") + (defaultValue != null ? " DEFAULT " + defaultValue : "")
                    + (primaryKeyPosition > 0 ? " PRIMARY KEY" : "");
        }
    }

    record ForeignKey(String from, String table, String to, String onDelete) {
        String describe() {
            return "REFERENCES " + table + "(" + to + ") ON DELETE " + onDelete;
        }
    }

    record Table(String name, List<Column> columns, List<ForeignKey> foreignKeys, TreeSet<String> uniques,
                 boolean autoincrement) {
    }

    final Map<String, Table> ajTables;
    final boolean dieselTable;
    final List<String> allTables;

    private SchemaShape(Map<String, Table> ajTables, boolean dieselTable, List<String> allTables) {
        this.ajTables = ajTables;
        this.dieselTable = dieselTable;
        this.allTables = allTables;
    }

    static SchemaShape read(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        Map<String, String> sql = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
                sql.put(rs.getString(1), rs.getString(2));
            }
        }
        Map<String, Table> aj = new LinkedHashMap<>();
        for (String name : AJ_TABLES) {
            if (sql.containsKey(name)) {
                aj.put(name, readTable(connection, name, sql.get(name)));
            }
        }
        return new SchemaShape(aj, tables.contains(DIESEL_TABLE), List.copyOf(tables));
    }

    /** The shape that {@code statements} create, read back from a private in-memory database. */
    static SchemaShape ofStatements(List<String> statements) {
        try (Connection memory = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement st = memory.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
            return read(memory);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shape of a bundled schema: " + e.getMessage(), e);
        }
    }

    private static Table readTable(Connection c, String table, String createSql) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA table_info(" + Sql.quote(table) + ")")) {
            while (rs.next()) {
                String dflt = rs.getString("dflt_value");
                columns.add(new Column(rs.getString("name"), rs.getString("type").toUpperCase(Locale.ROOT),
                        rs.getInt("notnull") != 0, dflt == null ? null : dflt.toLowerCase(Locale.ROOT),
                        rs.getInt("pk")));
            }
        }
        List<ForeignKey> fks = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA foreign_key_list(" + Sql.quote(table) + ")")) {
            while (rs.next()) {
                fks.add(new ForeignKey(rs.getString("from"), rs.getString("table"), rs.getString("to"),
                        rs.getString("on_delete").toUpperCase(Locale.ROOT)));
            }
        }
        TreeSet<String> uniques = new TreeSet<>();
        List<String> uniqueIndexes = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA index_list(" + Sql.quote(table) + ")")) {
            while (rs.next()) {
                // 'u': a UNIQUE constraint in the table's DDL; 'pk' and 'c' (CREATE INDEX) are not part of a variant
                if (rs.getInt("unique") != 0 && "u".equals(rs.getString("origin"))) {
                    uniqueIndexes.add(rs.getString("name"));
                }
            }
        }
        for (String index : uniqueIndexes) {
            List<String> cols = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("PRAGMA index_info(" + Sql.quote(index) + ")")) {
                while (rs.next()) {
                    cols.add(rs.getString("name"));
                }
            }
            uniques.add(String.join(",", cols));
        }
        boolean autoincrement = createSql != null && createSql.toUpperCase(Locale.ROOT).contains("AUTOINCREMENT");
        return new Table(table, columns, fks, uniques, autoincrement);
    }

    /** @return every difference of this file's aj tables from {@code expected}, one line each */
    List<String> differencesFrom(SchemaShape expected) {
        List<String> out = new ArrayList<>();
        for (String name : AJ_TABLES) {
            Table want = expected.ajTables.get(name);
            Table have = ajTables.get(name);
            if (have == null) {
                out.add("table " + name + ": missing");
                continue;
            }
            Map<String, Column> haveCols = new LinkedHashMap<>();
            have.columns().forEach(col -> haveCols.put(col.name(), col));
            for (Column w : want.columns()) {
                Column h = haveCols.remove(w.name());
                if (h == null) {
                    out.add(name + "." + w.name() + ": missing (expected " + w.describe() + ")");
                } else if (!h.equals(w)) {
                    out.add(name + "." + w.name() + ": " + h.describe() + ", expected " + w.describe());
                }
            }
            for (Column extra : haveCols.values()) {
                out.add(name + "." + extra.name() + ": column not in aj's schema (" + extra.describe() + ")");
            }
            if (!Objects.equals(have.foreignKeys(), want.foreignKeys())) {
                out.add(name + ": foreign keys " + describe(have.foreignKeys()) + ", expected "
                        + describe(want.foreignKeys()));
            }
            if (!have.uniques().equals(want.uniques())) {
                out.add(name + ": UNIQUE on " + (have.uniques().isEmpty() ? "nothing" : have.uniques())
                        + ", expected " + (want.uniques().isEmpty() ? "nothing" : want.uniques()));
            }
            if (have.autoincrement() != want.autoincrement()) {
                out.add(name + ".id: " + (have.autoincrement() ? "AUTOINCREMENT" : "no AUTOINCREMENT")
                        + ", expected " + (want.autoincrement() ? "AUTOINCREMENT" : "no AUTOINCREMENT"));
            }
        }
        if (dieselTable != expected.dieselTable) {
            out.add("table " + DIESEL_TABLE + ": " + (dieselTable ? "present" : "missing"));
        }
        return out;
    }

    private static String describe(List<ForeignKey> fks) {
        if (fks.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        fks.forEach(fk -> parts.add(fk.from() + " " + fk.describe()));
        return String.join("; ", parts);
    }
}
