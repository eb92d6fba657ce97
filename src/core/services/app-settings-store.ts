import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { type AppSettings, appSettingsSchema } from '../../shared/contract/settings';
import { type Log } from './log';

export const DEFAULT_APP_SETTINGS: AppSettings = { hideToTray: false, activeModel: null };

export interface AppSettingsStore {
  current(): AppSettings;
  update(change: Partial<AppSettings>): Promise<AppSettings>;
}

/**
 * The app's own preferences (hide to tray, the active model), apart from switchboard.yaml: they
 * are the app's state, not the user's routing config. A JSON file in the data dir, written
 * atomically; a missing or unreadable file gives the defaults (with a warning), never a crash.
 */
export async function openAppSettings(path: string, log: Log): Promise<AppSettingsStore> {
  let settings = await load(path, log);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    current: () => settings,
    update(change) {
      const run = async () => {
        const next = appSettingsSchema.parse({ ...settings, ...change });
        await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, { encoding: 'utf8' });
        settings = next;
        return next;
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

async function load(path: string, log: Log): Promise<AppSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log('warn', `cannot read ${path}; using the default app settings: ${(error as Error).message}`);
    return DEFAULT_APP_SETTINGS;
  }
  try {
    const parsed = appSettingsSchema.partial().safeParse(JSON.parse(text));
    if (parsed.success) return { ...DEFAULT_APP_SETTINGS, ...parsed.data };
    log('warn', `${path} is not in the expected shape; using the default app settings (saving a setting rewrites it)`);
  } catch {
    log('warn', `${path} is not valid JSON; using the default app settings (saving a setting rewrites it)`);
  }
  return DEFAULT_APP_SETTINGS;
}
