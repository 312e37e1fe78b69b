-- aj loads a conversation with `WHERE conversation_id = ?` and no index exists in any aj variant:
-- every history load is a full scan. aj's inserts maintain this index like any other.
CREATE INDEX IF NOT EXISTS aj_sessions_messages_conversation_id ON messages (conversation_id, id);
