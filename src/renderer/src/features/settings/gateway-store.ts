import { createStore } from 'zustand/vanilla';
import type { ContractError, GatewayStatus, GatewayTokenInfo, HOST_EVENTS } from '../../../../shared/contract';
import type { ContractClient } from '../../ipc';
import { describeError } from '../../stores/loadable';

/** `HOST_EVENTS.gatewayChanged`, as a value (the renderer imports contract types only). */
export const GATEWAY_CHANGED: (typeof HOST_EVENTS)['gatewayChanged'] = 'gateway.changed';

/** A token just made: its secret is in this answer only, so the page shows it once and forgets it. */
export interface CreatedToken {
  name: string;
  token: string;
}

export interface GatewayState {
  status: GatewayStatus | null;
  tokens: GatewayTokenInfo[];
  loadError: string | null;
  /** A start or stop asked for and not answered yet. */
  switching: boolean;
  switchError: string | null;
  creating: boolean;
  /** Why the last name was refused (taken, bad characters), shown beside the name field. */
  createError: string | null;
  created: CreatedToken | null;
  revokeError: string | null;
  load(): Promise<void>;
  /**
   * Reads the token list again (the CLI may have made or revoked one meanwhile: the section calls
   * it when the window regains focus). A refresh already on its way is shared; a failure keeps the
   * list shown.
   */
  refreshTokens(): Promise<void>;
  setEnabled(enabled: boolean): Promise<void>;
  createToken(name: string): Promise<boolean>;
  revokeToken(name: string): Promise<boolean>;
  /** Forgets the secret shown once. */
  dismissCreated(): void;
}

/** The settings page's gateway: its status (live from `gateway.changed`), the switch, and the named tokens. */
export function createGatewayStore(deps: { client: ContractClient }) {
  const store = createStore<GatewayState>()((set, get) => {
    const loadTokens = async () => {
      const result = await deps.client.request('gateway.tokens.list', {});
      if (result.ok) set({ tokens: result.data.tokens });
      return result;
    };
    let refreshing: Promise<void> | null = null;
    return {
      status: null,
      tokens: [],
      loadError: null,
      switching: false,
      switchError: null,
      creating: false,
      createError: null,
      created: null,
      revokeError: null,

      async load() {
        const [status, tokens] = await Promise.all([deps.client.request('gateway.status', {}), loadTokens()]);
        const failed = !status.ok ? status.error : !tokens.ok ? tokens.error : null;
        set({ ...(status.ok && { status: status.data }), loadError: failed === null ? null : describeError(failed) });
      },

      refreshTokens() {
        refreshing ??= (async () => {
          const shown = get().tokens;
          const result = await deps.client.request('gateway.tokens.list', {});
          // a create or revoke answered meanwhile is newer than this list
          if (result.ok && get().tokens === shown) set({ tokens: result.data.tokens });
        })()
          .catch(() => undefined)
          .finally(() => {
            refreshing = null;
          });
        return refreshing;
      },

      async setEnabled(enabled) {
        set({ switching: true, switchError: null });
        const result = await deps.client.request('gateway.enable', { enabled });
        if (result.ok) set({ switching: false, status: result.data });
        else set({ switching: false, switchError: describeError(result.error) });
      },

      async createToken(name) {
        // a secret still on screen stays there through a refused name: it is shown nowhere else
        set({ creating: true, createError: null });
        const result = await deps.client.request('gateway.tokens.create', { name });
        if (!result.ok) {
          set({ creating: false, createError: fieldMessage(result.error) });
          return false;
        }
        const { token, ...info } = result.data;
        set({ creating: false, created: { name: info.name, token }, tokens: [...get().tokens.filter((t) => t.name !== info.name), info] });
        return true;
      },

      async revokeToken(name) {
        set({ revokeError: null });
        const result = await deps.client.request('gateway.tokens.revoke', { name });
        if (!result.ok) {
          set({ revokeError: describeError(result.error) });
          // gone already (revoked elsewhere): show the list as it is
          if (result.error.code === 'NOT_FOUND') await loadTokens();
          return false;
        }
        set({ tokens: get().tokens.filter((t) => t.name !== name), ...(get().created?.name === name && { created: null }) });
        return true;
      },

      dismissCreated: () => set({ created: null }),
    };
  });
  deps.client.on(GATEWAY_CHANGED, (data) => store.setState({ status: data as GatewayStatus }));
  return store;
}

export type GatewayStore = ReturnType<typeof createGatewayStore>;

/** A refused name, in words for beside the field: the schema's own message, without the route's name. */
function fieldMessage(error: ContractError): string {
  const issues = (error.data as { issues?: unknown } | undefined)?.issues;
  const first = Array.isArray(issues) ? (issues[0] as { message?: unknown } | undefined)?.message : undefined;
  return typeof first === 'string' ? first : describeError(error);
}
