/**
 * The schema, as a list that only grows. Each entry moves the database from
 * version `index` to `index + 1` (tracked in `PRAGMA user_version`).
 * Never edit or reorder a shipped migration: add a new one.
 */
export interface Migration {
  /** What it does, for logs and errors. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'conversations and messages',
    sql: `
      CREATE TABLE conversations (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        model       TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversations_updated_at ON conversations (updated_at DESC);

      CREATE TABLE messages (
        id               TEXT PRIMARY KEY,
        conversation_id  TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        -- order inside the conversation; timestamps can tie
        seq              INTEGER NOT NULL,
        role             TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text             TEXT NOT NULL,
        model            TEXT,
        status           TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'aborted', 'error')),
        created_at       INTEGER NOT NULL,
        usage_json       TEXT,
        error_json       TEXT,
        latency_ms       INTEGER,
        ttft_ms          INTEGER,
        UNIQUE (conversation_id, seq)
      ) STRICT;
      -- startup recovery looks for rows a crash left mid-stream
      CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
    `,
  },
  {
    name: 'calls',
    sql: `
      CREATE TABLE calls (
        id                    TEXT PRIMARY KEY,
        request_id            TEXT NOT NULL,
        attempt               INTEGER NOT NULL,
        fallback_depth        INTEGER NOT NULL,
        conversation_id       TEXT REFERENCES conversations (id) ON DELETE SET NULL,
        provider              TEXT NOT NULL,
        model                 TEXT NOT NULL,
        deployment            TEXT,
        -- token counts are NULL when the provider did not say, never 0
        input_tokens          INTEGER,
        input_no_cache        INTEGER,
        input_cache_read      INTEGER,
        input_cache_write     INTEGER,
        output_tokens         INTEGER,
        output_text           INTEGER,
        output_reasoning      INTEGER,
        cost_usd              REAL,
        latency_ms            INTEGER,
        ttft_ms               INTEGER,
        outcome               TEXT NOT NULL CHECK (outcome IN ('success', 'error', 'aborted', 'cache_hit')),
        error_kind            TEXT,
        error_message         TEXT,
        started_at            INTEGER NOT NULL,
        ended_at              INTEGER,
        client                TEXT
      ) STRICT;
      -- dashboard queries: a time range, then grouped by provider and model
      CREATE INDEX calls_started_at ON calls (started_at);
      CREATE INDEX calls_provider_model ON calls (provider, model, started_at);
      CREATE INDEX calls_request ON calls (request_id);
      CREATE INDEX calls_conversation ON calls (conversation_id) WHERE conversation_id IS NOT NULL;
    `,
  },
  {
    // A call row is now written when the attempt starts, so a crash mid-stream cannot lose it.
    // Until it ends its outcome is unknown: NULL. SQLite cannot drop a NOT NULL in place, so the
    // table is rebuilt (nothing references calls, so foreign keys are not in the way).
    name: 'calls: rows in flight (outcome NULL until the call ends)',
    sql: `
      CREATE TABLE calls_v3 (
        id                    TEXT PRIMARY KEY,
        request_id            TEXT NOT NULL,
        attempt               INTEGER NOT NULL,
        fallback_depth        INTEGER NOT NULL,
        conversation_id       TEXT REFERENCES conversations (id) ON DELETE SET NULL,
        provider              TEXT NOT NULL,
        model                 TEXT NOT NULL,
        deployment            TEXT,
        -- token counts are NULL when the provider did not say, never 0
        input_tokens          INTEGER,
        input_no_cache        INTEGER,
        input_cache_read      INTEGER,
        input_cache_write     INTEGER,
        output_tokens         INTEGER,
        output_text           INTEGER,
        output_reasoning      INTEGER,
        cost_usd              REAL,
        latency_ms            INTEGER,
        ttft_ms               INTEGER,
        -- NULL while the call is in flight; known once it ended
        outcome               TEXT CHECK (outcome IN ('success', 'error', 'aborted', 'cache_hit')),
        error_kind            TEXT,
        error_message         TEXT,
        started_at            INTEGER NOT NULL,
        ended_at              INTEGER,
        client                TEXT,
        -- a call that ended has an outcome (rows from before this version may lack ended_at)
        CHECK (ended_at IS NULL OR outcome IS NOT NULL)
      ) STRICT;
      INSERT INTO calls_v3 (
        id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
        input_tokens, input_no_cache, input_cache_read, input_cache_write,
        output_tokens, output_text, output_reasoning,
        cost_usd, latency_ms, ttft_ms, outcome, error_kind, error_message, started_at, ended_at, client
      )
      SELECT
        id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
        input_tokens, input_no_cache, input_cache_read, input_cache_write,
        output_tokens, output_text, output_reasoning,
        cost_usd, latency_ms, ttft_ms, outcome, error_kind, error_message, started_at, ended_at, client
      FROM calls;
      DROP TABLE calls;
      ALTER TABLE calls_v3 RENAME TO calls;
      CREATE INDEX calls_started_at ON calls (started_at);
      CREATE INDEX calls_provider_model ON calls (provider, model, started_at);
      CREATE INDEX calls_request ON calls (request_id);
      CREATE INDEX calls_conversation ON calls (conversation_id) WHERE conversation_id IS NOT NULL;
      -- startup recovery looks for rows a crash left in flight
      CREATE INDEX calls_in_flight ON calls (started_at) WHERE outcome IS NULL;
    `,
  },
];
