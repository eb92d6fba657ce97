import { describe, expect, it } from 'vitest';
import { pageFromHash } from './pages';

describe('pageFromHash', () => {
  it('names a known page', () => {
    expect(pageFromHash('#dashboard')).toBe('dashboard');
    expect(pageFromHash('settings')).toBe('settings');
  });
  it('falls back to the chat for an empty or unknown hash', () => {
    expect(pageFromHash('')).toBe('chat');
    expect(pageFromHash('#nope')).toBe('chat');
  });
});
