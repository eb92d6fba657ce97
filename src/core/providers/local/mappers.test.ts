import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../shared/llm';
import { convertEngineUsage } from './convert-engine-usage';
import { convertToEngineRequest } from './convert-to-engine-request';
import { mapEngineFinishReason } from './map-engine-finish-reason';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });

describe('mapEngineFinishReason', () => {
  it('maps every engine stop reason', () => {
    expect(mapEngineFinishReason('stop')).toEqual({ unified: 'stop', raw: 'stop' });
    expect(mapEngineFinishReason('stop-sequence')).toEqual({ unified: 'stop', raw: 'stop-sequence' });
    expect(mapEngineFinishReason('length')).toEqual({ unified: 'length', raw: 'length' });
    expect(mapEngineFinishReason('aborted')).toEqual({ unified: 'aborted', raw: 'aborted' });
  });
});

describe('convertEngineUsage', () => {
  it('fills what the engine knows and leaves the rest undefined', () => {
    const usage = convertEngineUsage({ inputTokens: 12, outputTokens: 30 });
    expect(usage.inputTokens).toEqual({ total: 12, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
    expect(usage.outputTokens).toEqual({ total: 30, text: 30, reasoning: undefined });
    expect(convertEngineUsage({ inputTokens: 1, outputTokens: 2, generationMs: 5 }).raw).toEqual({ inputTokens: 1, outputTokens: 2, generationMs: 5 });
  });

  it('splits a prompt partly reused from the cache into cache-read and no-cache', () => {
    const usage = convertEngineUsage({ inputTokens: 54, cachedInputTokens: 25, outputTokens: 5 });
    expect(usage.inputTokens).toEqual({ total: 54, noCache: 29, cacheRead: 25, cacheWrite: undefined });
  });
});

describe('convertToEngineRequest', () => {
  it('passes sampling settings through without warnings', () => {
    const options: CallOptions = {
      messages: [user('hi')],
      system: 'be brief',
      maxOutputTokens: 20,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      seed: 3,
      stop: ['\n'],
      responseFormat: { type: 'text' },
    };
    const { request, warnings } = convertToEngineRequest(options, '/m.gguf', { contextSize: 512 });
    expect(warnings).toEqual([]);
    expect(request).toEqual({
      modelPath: '/m.gguf',
      messages: [user('hi')],
      system: 'be brief',
      maxOutputTokens: 20,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      seed: 3,
      stop: ['\n'],
      loadOptions: { contextSize: 512 },
    });
  });

  it('warns about every option the engine cannot honour', () => {
    const { request, warnings } = convertToEngineRequest(
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', mediaType: 'image/png', data: 'AAAA' }] },
          { role: 'assistant', content: [{ type: 'reasoning', text: 'hmm' }, { type: 'tool-call', toolCallId: '1', toolName: 'f', input: {} }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: '1', toolName: 'f', output: 1 }] },
        ],
        tools: [{ name: 'f', inputSchema: {} }],
        toolChoice: 'auto',
        responseFormat: { type: 'json-schema', schema: { type: 'object' } },
        reasoning: { effort: 'high' },
        headers: { 'x-a': 'b' },
      },
      '/m.gguf',
    );
    expect(warnings.map((w) => (w.type === 'unsupported' ? w.feature : w.message))).toEqual([
      'tools',
      'toolChoice',
      'responseFormat',
      'reasoning',
      'headers',
      'image-input',
      'tool-messages',
      'reasoning-input',
    ]);
    expect(request.messages).toHaveLength(3);
  });
});
