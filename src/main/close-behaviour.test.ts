import { describe, expect, it } from 'vitest';
import { decideClose } from './close-behaviour';

describe('decideClose', () => {
  it('hides to the tray only when the setting asks, a tray exists and the app is not quitting', () => {
    expect(decideClose({ hideToTray: true, trayAvailable: true, quitting: false })).toBe('hide');
    expect(decideClose({ hideToTray: false, trayAvailable: true, quitting: false })).toBe('close');
    expect(decideClose({ hideToTray: true, trayAvailable: false, quitting: false })).toBe('close');
    expect(decideClose({ hideToTray: true, trayAvailable: true, quitting: true })).toBe('close');
  });
});
