import { describe, expect, it } from 'vitest';
import { resolveAppLocation } from './app-location';
import { buildContentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy';

const directives = (policy: string) =>
  Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('content security policy', () => {
  const built = resolveAppLocation({ rendererDir: '/app/out/renderer' });
  const dev = resolveAppLocation({ devServerUrl: 'http://localhost:5173', rendererDir: '/app/out/renderer' });

  it('allows scripts only from the app: no inline, no eval, no remote', () => {
    const policy = directives(buildContentSecurityPolicy(built));
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(buildContentSecurityPolicy(built)).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('lets the dev server in, and only in development', () => {
    const policy = directives(buildContentSecurityPolicy(dev));
    expect(policy['script-src']).toContain("'unsafe-inline'");
    expect(policy['connect-src']).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(buildContentSecurityPolicy(dev)).not.toMatch(/unsafe-eval/);
  });

  it('sets the header on the app pages, replacing any the response had', () => {
    const headers = withContentSecurityPolicy(
      'file:///app/out/renderer/index.html',
      { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] },
      built,
    );
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [buildContentSecurityPolicy(built)] });
  });

  it('leaves other responses alone', () => {
    const original = { 'Content-Type': ['text/html'] };
    expect(withContentSecurityPolicy('https://example.com/', original, built)).toBe(original);
    expect(withContentSecurityPolicy('https://example.com/', undefined, built)).toBeUndefined();
  });
});
