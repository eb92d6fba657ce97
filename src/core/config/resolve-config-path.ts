import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirLayout } from './data-dir';

/**
 * The data dir's config file: `switchboard.yaml`, else an existing `switchboard.yml` or
 * `switchboard.json`. Without any file, `switchboard.yaml` (watched, so it may appear later).
 */
export function resolveConfigPath(dataDir: string): string {
  const yaml = dataDirLayout(dataDir).config;
  if (existsSync(yaml)) return yaml;
  for (const name of ['switchboard.yml', 'switchboard.json']) {
    const path = join(dataDir, name);
    if (existsSync(path)) return path;
  }
  return yaml;
}
