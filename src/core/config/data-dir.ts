import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'Switchboard';

/**
 * The platform's per-user app-data folder, the same place Electron's
 * `app.getPath('userData')` resolves to, so the app and the CLI share one data dir.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (env.SWITCHBOARD_DATA_DIR) return env.SWITCHBOARD_DATA_DIR;
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME);
  }
}

/** The files and folders a data dir holds. */
export function dataDirLayout(dataDir: string) {
  return {
    root: dataDir,
    database: join(dataDir, 'switchboard.db'),
    config: join(dataDir, 'switchboard.yaml'),
    models: join(dataDir, 'models'),
  };
}
