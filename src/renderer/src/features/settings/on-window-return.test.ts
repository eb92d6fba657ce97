import { describe, expect, it, vi } from 'vitest';
import { onWindowReturn } from './on-window-return';

function sources() {
  const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
  return { window: new EventTarget(), document };
}

describe('onWindowReturn', () => {
  it('calls back on focus and when the page is shown again, not when it is hidden; stops when unsubscribed', () => {
    const s = sources();
    const back = vi.fn();
    const stop = onWindowReturn(s, back);
    s.window.dispatchEvent(new Event('focus'));
    expect(back).toHaveBeenCalledTimes(1);
    s.document.dispatchEvent(new Event('visibilitychange'));
    expect(back).toHaveBeenCalledTimes(1);
    s.document.visibilityState = 'visible';
    s.document.dispatchEvent(new Event('visibilitychange'));
    expect(back).toHaveBeenCalledTimes(2);
    stop();
    s.window.dispatchEvent(new Event('focus'));
    s.document.dispatchEvent(new Event('visibilitychange'));
    expect(back).toHaveBeenCalledTimes(2);
  });
});
