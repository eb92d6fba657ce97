import { type FSWatcher, watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type ConfigIssue } from './config-issue';
import { type SwitchboardConfig, emptyConfig } from './config-schema';
import { type LoadConfigOptions, configFromRead, readConfigFile } from './load-config';

export interface WatchConfigOptions extends LoadConfigOptions {
  /** A good config was loaded (at start too). */
  onChange?: (config: SwitchboardConfig) => void;
  /** A bad edit: the last good config stays in force. */
  onError?: (errors: ConfigIssue[]) => void;
  /** Quiet time after the last file event before reloading. Editors save in bursts. */
  debounceMs?: number;
}

export interface ConfigWatcher {
  readonly path: string;
  /** The last good config (the empty config until one loads). */
  current(): SwitchboardConfig;
  /** The problems of the latest load, or undefined when it was good. */
  lastError(): ConfigIssue[] | undefined;
  /** Reloads now (what a file event does after its debounce). */
  reload(): Promise<void>;
  close(): void;
}

/**
 * Loads the config and keeps it current. It watches the file's folder rather than the file, so
 * an editor's save-to-temp-then-rename (a new inode) is seen, and the file may appear later.
 * A load that fails keeps the last good config and reports the errors.
 */
export async function watchConfig(path: string, options: WatchConfigOptions = {}): Promise<ConfigWatcher> {
  const debounceMs = options.debounceMs ?? 150;
  const name = basename(path);
  let current = emptyConfig();
  let lastError: ConfigIssue[] | undefined;
  /** The text of the latest load, to skip the repeated events of one save. */
  let lastText: string | null | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let loading: Promise<void> = Promise.resolve();

  const load = async (force: boolean) => {
    // One read: the text compared is the text parsed, even if the editor saves again meanwhile.
    const read = await readConfigFile(path);
    if (!force && read.ok && read.text === lastText) return;
    lastText = read.ok ? read.text : undefined;
    const result = configFromRead(read, options);
    if (closed) return;
    if (result.ok) {
      current = result.config;
      lastError = undefined;
      options.onChange?.(current);
    } else {
      lastError = result.errors;
      options.onError?.(result.errors);
    }
  };
  // One load at a time, in order.
  const enqueue = (force: boolean) => (loading = loading.then(() => load(force)).catch(() => undefined));

  await mkdir(dirname(path), { recursive: true });
  await enqueue(true);

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      if (filename !== null && filename !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => void enqueue(false), debounceMs);
    });
    watcher.on('error', (error) => options.onError?.([{ path: '', message: `stopped watching ${path}: ${error.message}` }]));
  } catch (error) {
    options.onError?.([{ path: '', message: `cannot watch ${path} for changes: ${(error as Error).message}` }]);
  }

  return {
    path,
    current: () => current,
    lastError: () => lastError,
    reload: () => enqueue(true),
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
