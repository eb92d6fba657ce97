import type { Result } from './route';
import type { ServerFrame } from './wire';

/**
 * What the preload exposes as `window.switchboard`. A generic forwarder: it knows
 * route names only as strings; the renderer's typed client sits on top of it.
 */
export interface PreloadBridge {
  request(route: string, input: unknown): Promise<Result<unknown>>;
  /** Starts a stream; frames for it (chunk, end) arrive through `onFrame`. Returns the abort. */
  stream(route: string, input: unknown, onFrame: (frame: ServerFrame) => void): () => void;
  /** Pushed events; returns the unsubscribe. */
  on(event: string, listener: (data: unknown) => void): () => void;
  /**
   * A File dropped onto the page: its path on disk (Electron's webUtils; `File.path` is gone), or ''
   * for a file that is not on disk. Absent in a browser, which never learns the path.
   */
  filePath?(file: unknown): string;
}

export const BRIDGE_GLOBAL = 'switchboard';

/** Channel names between preload and main. */
export const IPC_CHANNELS = {
  request: 'sb:request',
  stream: 'sb:stream',
  abort: 'sb:abort',
  frame: 'sb:frame',
} as const;

/** Events the host pushes (`{ t: 'event', name }` frames): no request asked for them. */
export const HOST_EVENTS = {
  /** switchboard.yaml was reloaded (a good edit): providers, and so the selectable models, may differ. */
  configChanged: 'config.changed',
  /** Spend crossed a budget's 50/80/100% threshold (once per threshold per period): `BudgetAlert` (contract/budgets.ts). */
  budgetAlert: 'budget.alert',
  /** The active model or group changed (the tray, or another window): `{ ref }`. The picker follows it. */
  activeModelChanged: 'settings.active.changed',
  /** The app's own settings changed (hide to tray): the `AppSettings`. */
  appSettingsChanged: 'settings.app.changed',
  /** A download job changed (progress about 4 times a second, and every state change): `DownloadProgressEvent`, the whole job. */
  downloadsProgress: 'downloads.progress',
  /** The local engine: a model's load state and progress, a GPU self-check step, the process started or crashed: `EngineProgressEvent` (contract/engine.ts). */
  engineProgress: 'engine.progress',
  /** The HTTP gateway started, stopped or failed to start: its `GatewayStatus` (contract/gateway.ts). */
  gatewayChanged: 'gateway.changed',
} as const;
