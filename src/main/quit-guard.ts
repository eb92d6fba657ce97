/**
 * `before-quit` handling: the first quit is held until the shutdown work (core dispose:
 * store closed, engine process stopped) settles, then quit is asked again and let through.
 * Quits in between are held too, and a shutdown that hangs is given up after `timeoutMs`,
 * so the app always exits.
 */
export function createQuitGuard(options: {
  shutdown: () => Promise<void>;
  quit: () => void;
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const timeoutMs = options.timeoutMs ?? 10_000;

  return (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.onError?.(new Error(`shutdown took longer than ${timeoutMs} ms; quitting anyway`));
        resolve();
      }, timeoutMs);
    });
    // started now (the executor runs synchronously); a synchronous throw becomes a rejection
    const work = new Promise<void>((resolve) => resolve(options.shutdown())).catch((error: unknown) => options.onError?.(error));
    void Promise.race([work, timeout]).then(() => {
      clearTimeout(timer);
      state = 'stopped';
      options.quit();
    });
  };
}
