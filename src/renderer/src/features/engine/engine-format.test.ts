import { describe, expect, it } from 'vitest';
import { ENGINE_KV_CACHE_TYPES } from '../../../../shared/contract/engine';
import { KV_CACHE_TYPES, describeActivity, describeVerdict, fieldsFrom, parseSettingsFields } from './engine-format';

describe('engine settings form', () => {
  const empty = { gpuLayers: '', contextSize: '', threads: '', flashAttention: '' as const, kvCacheType: '' };

  it('leaves empty fields to the defaults and reads auto, max and numbers', () => {
    expect(parseSettingsFields(empty, false)).toEqual({ ok: true, settings: {} });
    expect(parseSettingsFields({ ...empty, gpuLayers: 'max', contextSize: '4096', threads: 'auto', flashAttention: 'on' }, false)).toEqual({
      ok: true,
      settings: { gpuLayers: 'max', contextSize: 4096, threads: 'auto', flashAttention: true },
    });
    expect(fieldsFrom({ gpuLayers: 20, flashAttention: false })).toEqual({ ...empty, gpuLayers: '20', flashAttention: 'off' });
  });

  it('names the field that is wrong', () => {
    expect(parseSettingsFields({ ...empty, gpuLayers: 'many' }, false)).toEqual({ ok: false, problem: 'GPU layers: auto, max or a whole number of layers' });
    expect(parseSettingsFields({ ...empty, contextSize: '64' }, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/^Context size/) });
    expect(parseSettingsFields({ ...empty, threads: '0' }, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/^Threads/) });
  });

  it('takes the KV cache type only with Advanced on, and a quantized one only with flash attention', () => {
    expect(parseSettingsFields({ ...empty, kvCacheType: 'q8_0' }, false)).toEqual({ ok: true, settings: {} });
    expect(parseSettingsFields({ ...empty, kvCacheType: 'q8_0' }, true)).toMatchObject({ ok: false, problem: expect.stringContaining('needs flash attention') });
    expect(parseSettingsFields({ ...empty, kvCacheType: 'q8_0', flashAttention: 'on' }, true)).toEqual({ ok: true, settings: { kvCacheType: 'q8_0', flashAttention: true } });
  });

  it("lists the contract's KV cache types", () => {
    expect([...KV_CACHE_TYPES]).toEqual([...ENGINE_KV_CACHE_TYPES]);
  });
});

describe('engine labels', () => {
  it('shows shader compilation as a state of its own, and a broken backend with its reason', () => {
    expect(describeActivity({ state: 'compiling-shaders', progress: 1, message: null })).toMatch(/Compiling GPU shaders.*11–20 s/);
    expect(describeActivity({ state: 'loading', progress: 0.42, message: null })).toBe('Loading 42%');
    expect(describeVerdict({ backend: 'cuda', status: 'broken', reason: 'the check process died (signal SIGABRT)', checkedAt: 1 })).toBe(
      'CUDA: broken on this machine — the check process died (signal SIGABRT)',
    );
  });
});
