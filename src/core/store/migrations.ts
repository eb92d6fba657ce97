/**
 * The schema, as a list that only grows. Each entry moves the database from
 * version `index` to `index + 1` (tracked in `PRAGMA user_version`).
 * Never edit or reorder a shipped migration: add a new one.
 */
import { CONVERSATION_BOUNDS_MIGRATION, LATENCY_SPAN_MIGRATION, USAGE_ROLLUP_MIGRATION } from './usage-rollup';

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
  {
    // Images a user message carries: refs ({ id: sha256, mediaType, size }) to files in
    // <dataDir>/attachments, so a reloaded conversation shows them and its history re-sends them.
    name: 'messages: attachments',
    sql: `ALTER TABLE messages ADD COLUMN attachments_json TEXT;`,
  },
  {
    // The download manager's jobs: what to fetch, how far it got, how it ended. The partial file's
    // length is the truth for bytes after a crash; `bytes` here is for listing.
    name: 'download jobs',
    sql: `
      CREATE TABLE download_jobs (
        id            TEXT PRIMARY KEY,
        -- 'hub:<repo>:<file>' or 'ollama:<provider>:<model>': one unfinished job per source
        source_key    TEXT NOT NULL,
        source_json   TEXT NOT NULL,
        title         TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'stalled', 'paused', 'verifying', 'completed', 'failed', 'cancelled')),
        bytes         INTEGER NOT NULL DEFAULT 0,
        total         INTEGER,
        dest_path     TEXT,
        sha256        TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0,
        error_json    TEXT,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        completed_at  INTEGER
      ) STRICT;
      CREATE INDEX download_jobs_created_at ON download_jobs (created_at DESC);
      CREATE INDEX download_jobs_source ON download_jobs (source_key);
    `,
  },
  // The dashboard's rollups and the triggers that keep them (usage-rollup.ts).
  USAGE_ROLLUP_MIGRATION,
  {
    // The request an assistant message came from: its calls rows say which deployment served it,
    // the fallbacks taken, tokens, cost and timings (conversations.get's `route`).
    name: 'messages: request id',
    sql: `ALTER TABLE messages ADD COLUMN request_id TEXT;`,
  },
  {
    // The router's response cache (off by default): exact match on a hash of the group and the
    // normalized request; a hit replays the stored stream parts.
    name: 'response cache',
    sql: `
      CREATE TABLE response_cache (
        key          TEXT PRIMARY KEY,
        group_name   TEXT NOT NULL,
        parts_json   TEXT NOT NULL,
        provider     TEXT NOT NULL,
        model        TEXT NOT NULL,
        deployment   TEXT,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX response_cache_expires ON response_cache (expires_at);
      CREATE INDEX response_cache_created ON response_cache (created_at);
    `,
  },
  {
    // The assistant (a named preset in switchboard.yaml) a conversation was started with or switched
    // to, by name. Nullable: most conversations have none, and a deleted assistant's name stays so
    // the chat can say it is gone.
    name: 'conversations: assistant',
    sql: `ALTER TABLE conversations ADD COLUMN assistant TEXT;`,
  },
  {
    // What an assistant reply streamed besides its text, so a reload shows it: the reasoning as
    // text, and the tool calls as a JSON array (re-parsed through its zod schema when read).
    // NULL for none, and for every row written before.
    name: 'messages: reasoning and tool calls',
    sql: `
      ALTER TABLE messages ADD COLUMN reasoning TEXT;
      ALTER TABLE messages ADD COLUMN tool_calls_json TEXT;
    `,
  },
  {
    // Recording cost: every index on calls is written for every call. These two serve no query any
    // more: the dashboard reads rollups, and what reads calls by time (spend, summary, export, health,
    // list) uses calls_ended (covering, started_at first) and calls_in_flight.
    name: 'calls: drop the indexes no query needs (started_at; provider, model, started_at)',
    sql: `
      DROP INDEX calls_started_at;
      DROP INDEX calls_provider_model;
    `,
  },
  {
    // Compare: one prompt to 2–4 models. A run keeps its prompt and images; each column its model,
    // the routed request whose calls rows are its route, and its answer (saved as it streams, final
    // at its end). Only the newest runs are kept (compare-repository.ts trims on insert).
    name: 'compare runs',
    sql: `
      CREATE TABLE compare_runs (
        id                TEXT PRIMARY KEY,
        text              TEXT NOT NULL,
        attachments_json  TEXT,
        created_at        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX compare_runs_created_at ON compare_runs (created_at DESC);
      CREATE TABLE compare_columns (
        run_id      TEXT NOT NULL REFERENCES compare_runs (id) ON DELETE CASCADE,
        col         INTEGER NOT NULL,
        model       TEXT NOT NULL,
        request_id  TEXT NOT NULL,
        text        TEXT NOT NULL,
        status      TEXT NOT NULL,
        error_json  TEXT,
        usage_json  TEXT,
        latency_ms  REAL,
        ttft_ms     REAL,
        PRIMARY KEY (run_id, col)
      ) STRICT;
      CREATE INDEX compare_columns_streaming ON compare_columns (status) WHERE status = 'streaming';
    `,
  },
  // The latency histograms per block of days, so a 90-day latency read groups ~13k rows, not ~97k
  // (usage-rollup.ts; issue 6's dashboard-queries bench).
  LATENCY_SPAN_MIGRATION,
  // Per conversation a bound on its cost, so the top list sums a few conversations instead of
  // grouping every conversation-day of the range (usage-top-conversations.ts; issue 6's bench).
  CONVERSATION_BOUNDS_MIGRATION,
  {
    // Recording cost (issue 6): a call in flight lives in a small table of its own, and its `calls`
    // row is written once, whole, when it ends. Finishing a call was an UPDATE of a wide row in a
    // table of hundreds of thousands, writing the in-flight index twice; now it is one append.
    // The partial index of that name goes first (tables and indexes share names).
    name: 'calls_in_flight: calls in flight in their own table; calls rows are written when a call ends',
    sql: `
      DROP INDEX calls_in_flight;
      CREATE TABLE calls_in_flight (
        id                    TEXT PRIMARY KEY,
        request_id            TEXT NOT NULL,
        attempt               INTEGER NOT NULL,
        fallback_depth        INTEGER NOT NULL,
        conversation_id       TEXT REFERENCES conversations (id) ON DELETE SET NULL,
        provider              TEXT NOT NULL,
        model                 TEXT NOT NULL,
        deployment            TEXT,
        -- known only once the call ends: NULL here (the same columns as calls, so a row moves whole)
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
        outcome               TEXT CHECK (outcome IS NULL),
        error_kind            TEXT,
        error_message         TEXT,
        started_at            INTEGER NOT NULL,
        ended_at              INTEGER CHECK (ended_at IS NULL),
        client                TEXT
      ) STRICT, WITHOUT ROWID;
      INSERT INTO calls_in_flight SELECT
        id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
        input_tokens, input_no_cache, input_cache_read, input_cache_write,
        output_tokens, output_text, output_reasoning,
        cost_usd, latency_ms, ttft_ms, outcome, error_kind, error_message, started_at, ended_at, client
      FROM calls WHERE outcome IS NULL;
      DELETE FROM calls WHERE outcome IS NULL;
    `,
  },
  {
    // Spend kept between reads (services/spend-tracker.ts) adds only rows appended since its last
    // read; a clear in any process (the app, `serve`, the CLI) bumps this in its transaction, so
    // every process sees it at its next read rather than at its next whole re-read.
    name: 'store_counters: calls_cleared, bumped by every clear of calls',
    sql: `
      CREATE TABLE store_counters (
        name   TEXT PRIMARY KEY,
        value  INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO store_counters (name, value) VALUES ('calls_cleared', 0);
    `,
  },
];
