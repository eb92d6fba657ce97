import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from './quit-guard';

const quitEvent = () => ({ preventDefault: vi.fn() });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('quit guard', () => {
  it('holds the first quit until shutdown settles, then lets the next one through', async () => {
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const quit = vi.fn();
    const onBeforeQuit = createQuitGuard({ shutdown, quit });

    const first = quitEvent();
    onBeforeQuit(first);
    expect(first.preventDefault).toHaveBeenCalled();
    const second = quitEvent();
    onBeforeQuit(second); // a second Cmd+Q while disposing: still held, no second shutdown
    expect(second.preventDefault).toHaveBeenCalled();
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(quit).not.toHaveBeenCalled();

    finish();
    await flush();
    expect(quit).toHaveBeenCalledTimes(1);
    const last = quitEvent();
    onBeforeQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('quits even when shutdown fails', async () => {
    const onError = vi.fn();
    const quit = vi.fn();
    createQuitGuard({ shutdown: () => Promise.reject(new Error('boom')), quit, onError })(quitEvent());
    await flush();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('gives up on a shutdown that hangs', async () => {
    vi.useFakeTimers();
    try {
      const quit = vi.fn();
      createQuitGuard({ shutdown: () => new Promise(() => {}), quit, timeoutMs: 1000, onError: () => {} })(quitEvent());
      await vi.advanceTimersByTimeAsync(999);
      expect(quit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(quit).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
