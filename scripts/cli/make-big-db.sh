#!/bin/sh
# Makes the start-up benchmark file of persistence-notes.md (section cli): an aj-init file (as `aj init` makes
# it, no index on messages.conversation_id) with 100 sessions of 1,000 messages and one config snapshot each.
# Usage: scripts/cli/make-big-db.sh /tmp/big.db   (needs the sqlite3 command)
set -eu
db="${1:?usage: $0 FILE}"
[ ! -e "$db" ] || { echo "$db exists already" >&2; exit 1; }
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
sqlite3 "$db" < "$here/../../src/main/resources/io/github/ajsessions/variants/aj-init.sql"
sqlite3 "$db" "
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100)
  INSERT INTO conversations (session_name) SELECT 'session-' || i FROM s;
WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 99999)
  INSERT INTO messages (role, content, dynamic, conversation_id)
  SELECT CASE WHEN i % 1000 = 0 THEN 'system' WHEN i % 2 = 1 THEN 'user' ELSE 'assistant' END,
         'message ' || i || ' lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor'
           || ' incididunt ut labore et dolore magna aliqua.', 0, (i / 1000) + 1 FROM m;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100)
  INSERT INTO awful_configs (api_base, api_key, model, context_max_tokens, assistant_minimum_context_tokens,
                             stop_words, conversation_id)
  SELECT 'http://localhost/v1', 'sk-bench', 'model-' || i, 8192, 1024, '', i FROM s;"
chmod 600 "$db"
echo "$db: $(sqlite3 "$db" 'SELECT count(*) FROM messages') messages"
