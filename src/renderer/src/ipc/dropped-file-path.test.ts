import { describe, expect, it } from 'vitest';
import type { PreloadBridge } from '../../../shared/contract';
import { droppedFilePath } from './dropped-file-path';

const bridge = (filePath?: (file: unknown) => string): PreloadBridge => ({
  request: async () => ({ ok: true, data: null }),
  stream: () => () => {},
  on: () => () => {},
  ...(filePath ? { filePath } : {}),
});

describe('droppedFilePath', () => {
  const file = new File(['GGUF'], 'model.gguf');

  it('asks the preload in the desktop app', () => {
    expect(droppedFilePath({ switchboard: bridge((f) => `/home/me/${(f as File).name}`) })(file)).toBe('/home/me/model.gguf');
  });

  it('knows no path in a browser, for a file not on disk, or when the preload throws', () => {
    expect(droppedFilePath({})(file)).toBeNull();
    expect(droppedFilePath({ switchboard: bridge() })(file)).toBeNull();
    expect(droppedFilePath({ switchboard: bridge(() => '') })(file)).toBeNull();
    expect(
      droppedFilePath({
        switchboard: bridge(() => {
          throw new Error('not a File');
        }),
      })(file),
    ).toBeNull();
  });
});
