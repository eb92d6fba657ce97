import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { CallRecord } from '../calls-repository';
import { type Store, openStore } from '../open-store';

/** A store of the calling test file, fresh for each test. */
export interface TempStore {
  readonly store: Store;
  /** The database file, for a second connection (raw SQL checks). */
  readonly path: string;
}

/**
 * Opens a new store in a temp folder before each test of the calling file and closes and removes
 * it after. Read `store` and `path` inside the tests: they change from one test to the next.
 * Test-only.
 */
export function useTempStore(folderPrefix: string): TempStore {
  let dir: string | undefined;
  let store: Store | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), folderPrefix));
    store = openStore({ path: join(dir, 'switchboard.db') });
  });
  afterEach(() => {
    store?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });
  const current = () => {
    if (store === undefined || dir === undefined) throw new Error('the temp store exists only inside a test');
    return { store, path: join(dir, 'switchboard.db') };
  };
  return {
    get store() {
      return current().store;
    },
    get path() {
      return current().path;
    },
  };
}

/**
 * Makes finished, successful call records (`<idPrefix>1`, `<idPrefix>2`, …; request ids `r1`, `r2`, …)
 * of 100 input and 50 output tokens costing $0.01, 10 ms long. `defaults` changes that for every
 * record of the file; a call's own `overrides` come last. Test-only.
 */
export function callFactory(idPrefix: string, defaults: Partial<CallRecord> = {}): (overrides: Partial<CallRecord> & Pick<CallRecord, 'startedAt'>) => CallRecord {
  let seq = 0;
  return (overrides) => {
    seq++;
    return {
      id: `${idPrefix}${seq}`,
      requestId: `r${seq}`,
      attempt: 1,
      fallbackDepth: 0,
      conversationId: null,
      provider: 'openai',
      model: 'gpt-4o-mini',
      deployment: null,
      inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: 50, text: 50, reasoning: 0 },
      costUsd: 0.01,
      latencyMs: 10,
      ttftMs: 5,
      outcome: 'success',
      errorKind: null,
      errorMessage: null,
      endedAt: overrides.startedAt + 10,
      client: null,
      ...defaults,
      ...overrides,
    };
  };
}
