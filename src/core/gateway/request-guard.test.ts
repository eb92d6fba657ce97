import { describe, expect, it } from 'vitest';
import { type GatewayHostPolicy, corsHeaders, isAllowedHost, isAllowedOrigin } from './request-guard';

const policy: GatewayHostPolicy = { port: 5178, extraHostnames: [], corsOrigins: [] };

describe('request guard', () => {
  it('accepts loopback names on our port and refuses any other name (DNS rebinding)', () => {
    for (const host of ['127.0.0.1:5178', 'localhost:5178', '[::1]:5178', 'LOCALHOST:5178']) expect(isAllowedHost(host, policy), host).toBe(true);
    for (const host of ['evil.example:5178', '127.0.0.1:80', '127.0.0.1', 'localhost:5179', '', 'a b', undefined]) expect(isAllowedHost(host, policy), String(host)).toBe(false);
    expect(isAllowedHost('box.lan:5178', { ...policy, extraHostnames: ['box.lan'] })).toBe(true);
  });

  it('lets non-browser clients in, and browsers only from configured origins, with CORS headers only then', () => {
    expect(isAllowedOrigin(undefined, policy)).toBe(true);
    expect(isAllowedOrigin('http://evil.example', policy)).toBe(false);
    expect(corsHeaders('http://evil.example', policy)).toEqual({});
    const open = { ...policy, corsOrigins: ['http://localhost:3000'] };
    expect(isAllowedOrigin('http://localhost:3000', open)).toBe(true);
    expect(isAllowedOrigin('http://localhost:3001', open)).toBe(false);
    expect(corsHeaders('http://localhost:3000', open)).toMatchObject({ 'access-control-allow-origin': 'http://localhost:3000', vary: 'origin' });
  });
});
