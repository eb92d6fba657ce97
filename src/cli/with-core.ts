import type { Dispatcher } from '../core/api/dispatcher';
import type { Log } from '../core/services';

/** The caller tag the core sees for every CLI call (logs, per-client metering). */
export const CLI_ORIGIN = 'cli';

/**
 * Opens the core on a data dir, runs `fn`, and always disposes it, so the engine's
 * child process stops before the CLI exits. The core is imported lazily: commands
 * that don't need it (make-test-model, --help) start without loading native modules.
 */
export async function withCore<T>(dataDir: string, fn: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
  const { createCore } = await import('../core/app');
  // One-shot: never pick up queued downloads (`models download` revives only its own job through downloads.start).
  const core = await createCore({ dataDir, log: stderrLog, resumeDownloads: false });
  try {
    return await fn(core.dispatcher);
  } finally {
    await core.dispose();
  }
}

/** Warnings and errors to stderr (stdout is the command's data); info only with SWITCHBOARD_DEBUG. */
const stderrLog: Log = (level, message) => {
  if (level === 'info' && !process.env.SWITCHBOARD_DEBUG) return;
  process.stderr.write(`switchboard: ${level}: ${message}\n`);
};
