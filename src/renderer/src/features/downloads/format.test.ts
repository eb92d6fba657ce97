import { describe, expect, it } from 'vitest';
import { describeSource, formatEta, formatProgress, formatSpeed, percentDone, stateLabel } from './format';

describe('formatSpeed', () => {
  it('writes bytes per second with binary units', () => {
    expect(formatSpeed(2_516_582)).toBe('2.4 MB/s');
    expect(formatSpeed(800)).toBe('800 B/s');
    expect(formatSpeed(0)).toBe('0 B/s');
    expect(formatSpeed(null)).toBe('—');
    expect(formatSpeed(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatEta', () => {
  it('rounds up to whole seconds and grows units with the wait', () => {
    expect(formatEta(0)).toBe('0 s');
    expect(formatEta(0.2)).toBe('1 s');
    expect(formatEta(45)).toBe('45 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(2 * 3600 + 14 * 60 + 5)).toBe('2 h 14 min');
    expect(formatEta(3 * 86_400 + 5 * 3600)).toBe('3 d 5 h');
  });

  it('says — when unknown', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(undefined)).toBe('—');
    expect(formatEta(-3)).toBe('—');
  });
});

describe('progress', () => {
  it('gives whole percent, clamped, and nothing while the total is unknown', () => {
    expect(percentDone(0, 1000)).toBe(0);
    expect(percentDone(499, 1000)).toBe(49);
    expect(percentDone(1000, 1000)).toBe(100);
    expect(percentDone(1200, 1000)).toBe(100);
    expect(percentDone(10, null)).toBeNull();
    expect(percentDone(10, 0)).toBeNull();
  });

  it('writes bytes of the total', () => {
    expect(formatProgress(12.3 * 1024 ** 2, 379 * 1024 ** 2)).toBe('12.3 MB of 379 MB');
    expect(formatProgress(2048, null)).toBe('2 KB');
  });
});

describe('labels', () => {
  it('names states and sources', () => {
    expect(stateLabel('stalled')).toBe('Stalled, retrying');
    expect(describeSource({ kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', file: 'q.gguf' })).toBe('Qwen/Qwen2.5-0.5B-Instruct-GGUF');
    expect(describeSource({ kind: 'ollama', model: 'llama3.2' })).toBe('Ollama: llama3.2');
    expect(describeSource({ kind: 'ollama', model: 'llama3.2', provider: 'box' })).toBe('Ollama (box): llama3.2');
  });
});
