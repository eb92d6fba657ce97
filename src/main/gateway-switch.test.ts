import { describe, expect, it } from 'vitest';
import { createGatewaySwitch } from './gateway-switch';

describe('the gateway switch', () => {
  it('starts once, stops once, and stays off when a start fails', async () => {
    const events: string[] = [];
    let fail = false;
    const gateway = createGatewaySwitch({
      start: async () => {
        if (fail) throw new Error('port 5178 is already in use');
        events.push('start');
        return { baseURL: 'http://127.0.0.1:5178/v1', close: async () => void events.push('close') };
      },
      log: () => undefined,
    });
    expect(gateway.running()).toBe(false);
    await Promise.all([gateway.setRunning(true), gateway.setRunning(true)]);
    expect(gateway.running()).toBe(true);
    await Promise.all([gateway.setRunning(false), gateway.stop()]);
    expect(gateway.running()).toBe(false);
    expect(events).toEqual(['start', 'close']);
    fail = true;
    await expect(gateway.setRunning(true)).rejects.toThrow('already in use');
    expect(gateway.running()).toBe(false);
  });
});
