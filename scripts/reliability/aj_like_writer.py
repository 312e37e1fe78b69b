#!/usr/bin/env python3
"""Writes to an aj.db exactly the way aj (v1.0.0, Diesel) does, and counts what fails.

Per turn, each step on a NEW connection with NO busy timeout (timeout=0), as aj does:
  1. find-or-create the session: BEGIN (deferred); SELECT by exact name; INSERT if absent; COMMIT
  2. config snapshot: BEGIN (deferred); SELECT the conversation's FIRST awful_configs row; INSERT a
     snapshot when it differs on aj's five fields; COMMIT
  3. read the conversation: SELECT ... FROM messages WHERE conversation_id = ? (no ORDER BY); when
     empty, write aj's preamble (three single-statement inserts)
  4. INSERT the user row (single statement, auto-commit)
  5. INSERT the assistant row (single statement, auto-commit)
A step failing with SQLITE_BUSY ("database is locked") ends the turn, as it ends aj's (a failed
assistant insert leaves the user row without its reply, as aj does when it swallows that error).

Every row aj got an acknowledgement for is listed in the JSON report on stdout, so that the caller can
check it is in the file exactly once. Bounded by --turns and --seconds.

Usage: aj_like_writer.py DB --sessions a,b --turns N --seconds S [--pause-ms P] [--tag T]
"""
import argparse
import json
import sqlite3
import sys
import time

ROLES = ("system", "user", "assistant")
SYSTEM_PROMPT = "You are a helpful assistant."
BRAIN = ("Below is a JSON representation of our conversation leading up to this point. "
         "Please only respond to this message with \"Ok.\"\n"
         "{\"about\":\"This JSON object is a representation of our conversation leading up to this point."
         " This object represents your brain.\",\"memories\":[],\"sessionStart\":true}")
CONFIG = ("http://localhost:11434/v1", "aj-like-writer-key", "aj-model", 8192, 2048, "<|im_end|>")


class Busy(Exception):
    pass


def connect(db):
    # timeout=0: no busy timeout, as aj; isolation_level=None: we issue BEGIN/COMMIT ourselves
    c = sqlite3.connect(db, timeout=0, isolation_level=None)
    c.execute("PRAGMA foreign_keys = ON")  # aj's bundled SQLite enforces foreign keys
    return c


def run(db, step, fn, stats):
    t0 = time.perf_counter()
    c = None
    try:
        c = connect(db)
        result = fn(c)
        stats["ok"][step] = stats["ok"].get(step, 0) + 1
        return result
    except sqlite3.OperationalError as e:
        text = str(e)
        if "locked" in text or "busy" in text:
            stats["busy"][step] = stats["busy"].get(step, 0) + 1
            if c is not None and c.in_transaction:
                try:
                    c.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise Busy(step)
        raise
    finally:
        stats["longest_step_ms"] = max(stats["longest_step_ms"], (time.perf_counter() - t0) * 1000)
        if c is not None:
            c.close()


def find_or_create(name):
    def fn(c):
        c.execute("BEGIN")
        row = c.execute("SELECT id FROM conversations WHERE session_name = ?", (name,)).fetchone()
        if row is None:
            cid = c.execute("INSERT INTO conversations (session_name) VALUES (?)", (name,)).lastrowid
        else:
            cid = row[0]
        c.execute("COMMIT")
        return cid
    return fn


def config_snapshot(cid):
    def fn(c):
        c.execute("BEGIN")
        first = c.execute("SELECT api_base, api_key, model, context_max_tokens, assistant_minimum_context_tokens"
                          " FROM awful_configs WHERE conversation_id = ? ORDER BY id LIMIT 1", (cid,)).fetchone()
        inserted = None
        if first is None or tuple(first) != CONFIG[:5]:
            inserted = c.execute("INSERT INTO awful_configs (api_base, api_key, model, context_max_tokens,"
                                 " assistant_minimum_context_tokens, stop_words, conversation_id)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?)", CONFIG + (cid,)).lastrowid
        c.execute("COMMIT")
        return inserted
    return fn


def read_messages(cid):
    def fn(c):
        rows = c.execute("SELECT id, role, content, dynamic, conversation_id FROM messages"
                         " WHERE conversation_id = ?", (cid,)).fetchall()
        for r in rows:
            if r[1] not in ROLES:
                raise RuntimeError("aj would panic: message %d has role %r" % (r[0], r[1]))
        return rows
    return fn


def insert(cid, role, content):
    def fn(c):
        return c.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, 0, ?)",
                         (role, content, cid)).lastrowid
    return fn


def main():
    p = argparse.ArgumentParser()
    p.add_argument("db")
    p.add_argument("--sessions", default="aj")
    p.add_argument("--turns", type=int, default=100)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--pause-ms", type=float, default=0)
    p.add_argument("--tag", default="aj")
    a = p.parse_args()
    sessions = a.sessions.split(",")
    stats = {"ok": {}, "busy": {}, "turns": 0, "turns_complete": 0, "turns_failed": 0,
             "user_without_reply": 0, "longest_step_ms": 0.0, "acked": [], "preamble_rows": 0,
             "snapshots": 0, "panics": []}
    deadline = time.monotonic() + a.seconds
    turn = 0
    while turn < a.turns and time.monotonic() < deadline:
        session = sessions[turn % len(sessions)]
        turn += 1
        stats["turns"] += 1
        user_id = None
        try:
            cid = run(a.db, "find_or_create", find_or_create(session), stats)
            if run(a.db, "config_snapshot", config_snapshot(cid), stats) is not None:
                stats["snapshots"] += 1
            try:
                rows = run(a.db, "read_messages", read_messages(cid), stats)
            except RuntimeError as e:
                stats["panics"].append(str(e))
                break
            if not rows:
                for role, content in (("system", SYSTEM_PROMPT), ("user", BRAIN), ("assistant", "Ok")):
                    rid = run(a.db, "insert_preamble", insert(cid, role, content), stats)
                    stats["acked"].append([rid, cid, role, content])
                    stats["preamble_rows"] += 1
            text = "%s-%d" % (a.tag, turn)
            user_id = run(a.db, "insert_user", insert(cid, "user", "Q " + text), stats)
            stats["acked"].append([user_id, cid, "user", "Q " + text])
            aid = run(a.db, "insert_assistant", insert(cid, "assistant", "A " + text), stats)
            stats["acked"].append([aid, cid, "assistant", "A " + text])
            stats["turns_complete"] += 1
        except Busy:
            stats["turns_failed"] += 1
            if user_id is not None:
                stats["user_without_reply"] += 1
        if a.pause_ms > 0:
            time.sleep(a.pause_ms / 1000.0)
    stats["operations"] = sum(stats["ok"].values()) + sum(stats["busy"].values())
    stats["busy_total"] = sum(stats["busy"].values())
    stats["sqlite_version"] = sqlite3.sqlite_version
    json.dump(stats, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
