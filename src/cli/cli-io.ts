/**
 * Where a command writes and how it hears Ctrl-C. The real one wraps process;
 * tests of parsing pass their own, so commands never touch globals directly.
 */
export interface CliIo {
  /** Resolves once the text is handed to the stream (waits for 'drain' when it is full). */
  out(text: string): Promise<void>;
  err(text: string): void;
  /** Registers a handler for Ctrl-C (and for stdout going away); returns the unregister. */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): CliIo {
  const handlers = new Set<() => void>();
  const waitingForDrain = new Set<() => void>();
  let stdoutGone = false;
  const release = () => {
    for (const resolve of waitingForDrain) resolve();
    waitingForDrain.clear();
  };
  process.stdout.on('drain', release);
  // `switchboard chat … | head` closes the pipe early: stop writing and abort like Ctrl-C, don't crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutGone = true;
    release();
    for (const handler of handlers) handler();
  });
  return {
    out: (text) =>
      new Promise((resolve) => {
        if (stdoutGone || process.stdout.write(text)) resolve();
        else waitingForDrain.add(resolve);
      }),
    err: (text) => {
      process.stderr.write(text);
    },
    onInterrupt(handler) {
      let pressed = 0;
      const onSigint = () => {
        pressed += 1;
        // The first Ctrl-C stops cleanly; a second one means "now", even if the stop hangs.
        if (pressed > 1) process.exit(130);
        handler();
      };
      handlers.add(handler);
      process.on('SIGINT', onSigint);
      return () => {
        handlers.delete(handler);
        process.off('SIGINT', onSigint);
      };
    },
  };
}
