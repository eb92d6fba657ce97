import { describe, expect, it } from 'vitest';
import { contractSocketUrl } from './ws-url';

describe('contractSocketUrl', () => {
  it('uses the page host and its token', () => {
    expect(contractSocketUrl({ protocol: 'http:', host: '127.0.0.1:4321', search: '?token=a%2Bb' })).toBe(
      'ws://127.0.0.1:4321/ws?token=a%2Bb',
    );
  });
  it('uses wss on https and omits a missing token', () => {
    expect(contractSocketUrl({ protocol: 'https:', host: 'box', search: '' })).toBe('wss://box/ws');
  });
});
