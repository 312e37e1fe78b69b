-- aj's schema, as `aj init` creates it (aj >= 0.3.10): same tables, columns, types, defaults and
-- order. One difference: both foreign keys cascade on delete, so that deleting a conversation with
-- sqlite3 also removes its rows (aj itself never deletes). Runs only on an empty file; a file that
-- already has aj's tables is adopted as this version (baseline) and never altered.
CREATE TABLE IF NOT EXISTS awful_configs (
            id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            api_base TEXT NOT NULL,
            api_key TEXT NOT NULL,
            model TEXT NOT NULL,
            context_max_tokens INTEGER NOT NULL,
            assistant_minimum_context_tokens INTEGER NOT NULL,
            stop_words TEXT NOT NULL,
            conversation_id INTEGER,
            FOREIGN KEY (conversation_id) REFERENCES conversations(id) ON DELETE CASCADE
        );
CREATE TABLE IF NOT EXISTS conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            session_name TEXT NOT NULL UNIQUE
        );
CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            dynamic BOOLEAN NOT NULL DEFAULT true,
            conversation_id INTEGER,
            FOREIGN KEY (conversation_id) REFERENCES conversations(id) ON DELETE CASCADE
        );
-- Diesel's bookkeeping, as `diesel migration run` leaves it with aj's single migration, so that
-- the Diesel CLI sees a file it has already migrated.
CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
       version VARCHAR(50) PRIMARY KEY NOT NULL,
       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT OR IGNORE INTO __diesel_schema_migrations (version) VALUES ('20231017221421');
