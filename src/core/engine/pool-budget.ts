/** What the pool knows of a loaded model when it needs room for another. */
export interface BudgetEntry {
  path: string;
  memoryBytes: number;
  lastUsedAt: number;
  /** A stream or embedding is running or queued on it: never evicted. */
  busy: boolean;
}

export type RoomPlan =
  /** Fits as things are. */
  | { kind: 'fits' }
  /** Evict these idle models (least recently used first), then it fits. */
  | { kind: 'evict'; paths: string[] }
  /**
   * It fits only once a busy model is gone: evict the idle ones now, wait for `waitFor` (the least
   * recently used busy one) to finish its requests, then plan again.
   */
  | { kind: 'wait'; evict: string[]; waitFor: string }
  /** The model alone is over the budget: evict every idle model and load it anyway (the budget is a target, not a wall). */
  | { kind: 'over'; evict: string[] };

/**
 * Plans room for `neededBytes` under `budgetBytes`: least recently used idle models go first, and a
 * model with a request in flight is never chosen, only waited for.
 */
export function planRoom(entries: readonly BudgetEntry[], neededBytes: number, budgetBytes: number): RoomPlan {
  const total = entries.reduce((sum, e) => sum + e.memoryBytes, 0);
  if (total + neededBytes <= budgetBytes) return { kind: 'fits' };
  const byAge = [...entries].sort((a, b) => a.lastUsedAt - b.lastUsedAt);
  const idle = byAge.filter((e) => !e.busy);
  const evict: string[] = [];
  let held = total;
  for (const entry of idle) {
    evict.push(entry.path);
    held -= entry.memoryBytes;
    if (held + neededBytes <= budgetBytes) return { kind: 'evict', paths: evict };
  }
  if (neededBytes > budgetBytes) return { kind: 'over', evict };
  const busy = byAge.find((e) => e.busy);
  // Every model left is busy, and freeing them would make room: wait for the oldest.
  if (busy) return { kind: 'wait', evict, waitFor: busy.path };
  return { kind: 'over', evict };
}

/** The default budget: most of the memory free when the engine started (RAM, plus VRAM on a GPU backend). */
export function defaultBudgetBytes(freeRamBytes: number, freeVramBytes: number | null): number {
  return Math.floor(freeRamBytes * 0.8 + (freeVramBytes ?? 0) * 0.9);
}
