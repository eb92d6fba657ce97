import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKENS_FILE, openGatewayTokens } from './gateway-tokens';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-gateway-tokens-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('gateway tokens', () => {
  it('shows the secret once and stores only its hash, in a 0600 file', () => {
    const tokens = openGatewayTokens(dir, () => 1_700_000_000_000);
    const { token, info } = tokens.create('editor');
    expect(token).toMatch(/^sbk-[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({ name: 'editor', hint: `sbk-…${token.slice(-4)}`, createdAt: 1_700_000_000_000 });
    const text = readFileSync(join(dir, TOKENS_FILE), 'utf8');
    expect(text).not.toContain(token.slice(4));
    expect(statSync(join(dir, TOKENS_FILE)).mode & 0o777).toBe(0o600);
    expect(tokens.list()).toEqual([info]);
    expect(tokens.verify(token)).toBe('editor');
    expect(tokens.verify(`${token}x`)).toBeUndefined();
    expect(tokens.verify(undefined)).toBeUndefined();
  });

  it('sees tokens another process creates or revokes, at once', () => {
    const server = openGatewayTokens(dir);
    const cli = openGatewayTokens(dir);
    expect(server.verify('sbk-nothing')).toBeUndefined();
    const { token } = cli.create('agent');
    expect(server.verify(token)).toBe('agent');
    expect(cli.revoke('agent')).toBe(true);
    expect(server.verify(token)).toBeUndefined();
    expect(cli.revoke('agent')).toBe(false);
  });

  it('refuses bad and duplicate names, and says how to fix a broken file', () => {
    const tokens = openGatewayTokens(dir);
    expect(() => tokens.create('has space')).toThrow(/token name "has space"/);
    expect(() => tokens.create('cli')).toThrow(/one of Switchboard's own clients/);
    tokens.create('a');
    expect(() => tokens.create('a')).toThrow(/already exists/);
    writeFileSync(join(dir, TOKENS_FILE), '{"version":1,"tokens":[{"name":"x"}]}');
    expect(() => tokens.verify('sbk-x')).toThrow(/gateway-tokens.json: tokens.0.sha256: .*fix it or delete it/);
  });
});
