import { describe, expect, it } from 'vitest';
import type { GatewayStatus, GatewayTokenInfo, Result } from '../../../../shared/contract';
import { createClient } from '../../ipc';
import { createFakeTransport } from '../../ipc/testing/fake-transport';
import { GATEWAY_CHANGED, createGatewayStore } from './gateway-store';

const status = (over: Partial<GatewayStatus> = {}): GatewayStatus => ({
  hosted: true,
  enabled: false,
  state: 'off',
  host: '127.0.0.1',
  port: 5178,
  baseURL: null,
  message: null,
  warning: null,
  ...over,
});
const running = status({ enabled: true, state: 'running', baseURL: 'http://127.0.0.1:5178/v1' });
const info = (name: string): GatewayTokenInfo => ({ name, hint: `sbk-…${name.slice(0, 4)}`, createdAt: 1_700_000_000_000 });

/** A host with a token table: create refuses taken and badly formed names as the core does. */
function host(initial: GatewayTokenInfo[] = []) {
  const tokens = new Map(initial.map((t) => [t.name, t]));
  const fake = createFakeTransport({
    'gateway.status': () => ({ ok: true, data: status() }),
    'gateway.tokens.list': () => ({ ok: true, data: { tokens: [...tokens.values()] } }),
    'gateway.enable': (input): Result<GatewayStatus> => {
      const { enabled } = input as { enabled: boolean };
      return enabled ? { ok: true, data: running } : { ok: true, data: status() };
    },
    'gateway.tokens.create': (input) => {
      const { name } = input as { name: string };
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
        return {
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: `gateway.tokens.create: name: a token name is 1 to 64 letters…`, data: { issues: [{ path: 'name', message: 'a token name is 1 to 64 letters…' }] } },
        };
      }
      if (tokens.has(name)) return { ok: false, error: { code: 'CONFLICT', message: `a gateway token named "${name}" already exists` } };
      tokens.set(name, info(name));
      return { ok: true, data: { ...info(name), token: `sbk-secret-${name}` } };
    },
    'gateway.tokens.revoke': (input) => {
      const { name } = input as { name: string };
      if (!tokens.delete(name)) return { ok: false, error: { code: 'NOT_FOUND', message: `no gateway token named "${name}"` } };
      return { ok: true, data: { revoked: true } };
    },
  });
  return { fake, tokens, store: createGatewayStore({ client: createClient(fake.transport) }) };
}

describe('the gateway store', () => {
  it('loads the status and the tokens, and follows gateway.changed', async () => {
    const { fake, store } = host([info('editor')]);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ status: status(), tokens: [info('editor')], loadError: null });
    fake.emit(GATEWAY_CHANGED, status({ enabled: true, state: 'port-in-use', message: 'port 5178 is in use' }));
    expect(store.getState().status).toMatchObject({ state: 'port-in-use', message: 'port 5178 is in use' });
  });

  it('switches it on and off through gateway.enable, and keeps a refusal beside the switch', async () => {
    const { fake, store } = host();
    await store.getState().setEnabled(true);
    expect(fake.requests.at(-1)).toEqual({ route: 'gateway.enable', input: { enabled: true } });
    expect(store.getState()).toMatchObject({ status: running, switching: false, switchError: null });

    const broken = createGatewayStore({
      client: createClient(createFakeTransport({ 'gateway.enable': () => ({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'the change was not saved: the file has a YAML error' } }) }).transport),
    });
    await broken.getState().setEnabled(true);
    expect(broken.getState()).toMatchObject({ status: null, switching: false, switchError: 'the change was not saved: the file has a YAML error' });
  });

  it('shows a new token’s secret once, lists it without the secret, and names a refused name’s fault', async () => {
    const { store } = host([info('editor')]);
    await store.getState().load();
    expect(await store.getState().createToken('script')).toBe(true);
    expect(store.getState().created).toEqual({ name: 'script', token: 'sbk-secret-script' });
    expect(store.getState().tokens).toEqual([info('editor'), info('script')]);
    expect(JSON.stringify(store.getState().tokens)).not.toContain('sbk-secret');

    expect(await store.getState().createToken('editor')).toBe(false);
    expect(store.getState().createError).toBe('a gateway token named "editor" already exists');
    // the secret on screen survives a refused name; Done forgets it
    expect(store.getState().created?.token).toBe('sbk-secret-script');
    store.getState().dismissCreated();
    expect(store.getState().created).toBeNull();
    expect(await store.getState().createToken('bad name')).toBe(false);
    // the schema's message, without the route's name in front
    expect(store.getState().createError).toBe('a token name is 1 to 64 letters…');
    expect(await store.getState().createToken('fine')).toBe(true);
    expect(store.getState().createError).toBeNull();
  });

  it('revokes a token (and forgets its secret if still shown); one revoked elsewhere reloads the list', async () => {
    const { store, tokens } = host([info('editor')]);
    await store.getState().load();
    await store.getState().createToken('script');
    expect(await store.getState().revokeToken('script')).toBe(true);
    expect(store.getState()).toMatchObject({ created: null, tokens: [info('editor')], revokeError: null });

    tokens.delete('editor');
    expect(await store.getState().revokeToken('editor')).toBe(false);
    expect(store.getState().revokeError).toBe('no gateway token named "editor"');
    expect(store.getState().tokens).toEqual([]);
  });

  it('refreshes the token list on demand (a token the CLI made shows), one request at a time, never over a newer answer', async () => {
    const { fake, tokens, store } = host([info('editor')]);
    await store.getState().load();
    // Made elsewhere (the CLI writes the same token file).
    tokens.set('script', info('script'));
    const lists = () => fake.requests.filter((r) => r.route === 'gateway.tokens.list').length;
    const before = lists();
    await Promise.all([store.getState().refreshTokens(), store.getState().refreshTokens()]);
    expect(lists()).toBe(before + 1);
    expect(store.getState().tokens.map((t) => t.name)).toEqual(['editor', 'script']);

    // A create answered while a refresh was on its way wins over the refresh's older list.
    tokens.delete('script');
    const refreshing = store.getState().refreshTokens();
    store.setState({ tokens: [info('editor'), info('fresh')] });
    await refreshing;
    expect(store.getState().tokens.map((t) => t.name)).toEqual(['editor', 'fresh']);
    await store.getState().refreshTokens();
    expect(store.getState().tokens.map((t) => t.name)).toEqual(['editor']);
  });
});
