import { describe, expect, it } from 'vitest';
import { isHubFile } from './hub-file';

describe('isHubFile', () => {
  it('matches where downloads land, with either slash', () => {
    expect(isHubFile('/data/models/Qwen/Qwen2.5-0.5B-Instruct-GGUF/q4.gguf', 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', 'q4.gguf')).toBe(true);
    expect(isHubFile('C:\\Users\\me\\models\\o\\r\\sub\\m.gguf', 'o/r', 'sub/m.gguf')).toBe(true);
  });

  it('does not take a same-named file from another repo or folder', () => {
    expect(isHubFile('/data/models/q4.gguf', 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', 'q4.gguf')).toBe(false);
    expect(isHubFile('/data/models/other/repo/q4.gguf', 'o/repo', 'q4.gguf')).toBe(false);
    expect(isHubFile('/data/models/xo/r/m.gguf', 'o/r', 'm.gguf')).toBe(false);
  });
});
