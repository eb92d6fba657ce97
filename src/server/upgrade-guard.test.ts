import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin, parseHostHeader } from './upgrade-guard';

const policy = { port: 5177 };

describe('isAllowedHost', () => {
  it.each(['127.0.0.1:5177', 'localhost:5177', 'LOCALHOST:5177', '[::1]:5177'])('accepts %s', (host) => {
    expect(isAllowedHost(host, policy)).toBe(true);
  });

  it.each([
    'evil.example:5177',
    '127.0.0.1.evil.example:5177',
    'localhost.evil.example:5177',
    '127.0.0.1:5178',
    '127.0.0.1',
    '',
    '127.0.0.1:5177/x',
    '127.0.0.1:5177 evil',
  ])('refuses %j', (host) => {
    expect(isAllowedHost(host, policy)).toBe(false);
  });

  it('refuses a missing header', () => {
    expect(isAllowedHost(undefined, policy)).toBe(false);
  });

  it('accepts the bind host when it is not loopback', () => {
    expect(isAllowedHost('192.168.1.5:5177', { port: 5177, extraHostnames: ['192.168.1.5'] })).toBe(true);
  });
});

describe('isAllowedOrigin', () => {
  it('accepts our own origin and a missing one', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5177', policy)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5177', policy)).toBe(true);
    expect(isAllowedOrigin(undefined, policy)).toBe(true);
  });

  it.each(['http://evil.example:5177', 'https://127.0.0.1:5177', 'http://127.0.0.1:3000', 'null', 'file://', 'garbage'])(
    'refuses %j',
    (origin) => {
      expect(isAllowedOrigin(origin, policy)).toBe(false);
    },
  );
});

describe('parseHostHeader', () => {
  it('splits name and port', () => {
    expect(parseHostHeader('Example.COM:80')).toEqual({ hostname: 'example.com', port: 80 });
    expect(parseHostHeader('[::1]')).toEqual({ hostname: '[::1]', port: null });
    expect(parseHostHeader('a:99999')).toBeNull();
  });
});
