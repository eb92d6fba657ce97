import { describe, expect, it } from 'vitest';
import { clientFrameSchema, contract, serverFrameSchema } from './index';

describe('contract', () => {
  it('names every route with its domain prefix and a kind', () => {
    for (const [name, def] of Object.entries(contract)) {
      expect(name).toMatch(/^[a-z]+(\.[a-z]+)+$/);
      expect(['request', 'stream']).toContain(def.kind);
    }
    expect(contract['chat.send'].kind).toBe('stream');
  });

  it('rejects a chat.send without a model, naming the field', () => {
    const parsed = contract['chat.send'].input.safeParse({ text: 'hi', model: '' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['model']);
  });

  it('applies defaults to routes whose input may be omitted', () => {
    expect(contract['conversations.list'].input.parse(undefined)).toEqual({ limit: 200 });
    expect(contract['usage.summary'].input.parse(undefined)).toEqual({});
  });

  it('accepts images as base64 or URL, never both or neither', () => {
    const images = contract['chat.send'].input.shape.images;
    expect(images.safeParse([{ type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' }]).success).toBe(true);
    expect(images.safeParse([{ type: 'image', mediaType: 'image/png', url: 'https://example.test/a.png' }]).success).toBe(true);
    expect(images.safeParse([{ type: 'image', mediaType: 'image/png' }]).success).toBe(false);
    expect(images.safeParse([{ type: 'image', mediaType: 'text/plain', data: 'aGk=' }]).success).toBe(false);
  });

  it('validates wire frames in both directions', () => {
    expect(clientFrameSchema.safeParse({ t: 'stream', id: '1', route: 'chat.send', input: {} }).success).toBe(true);
    expect(clientFrameSchema.safeParse({ t: 'nope', id: '1' }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ t: 'abort', id: '' }).success).toBe(false);
    expect(serverFrameSchema.safeParse({ t: 'end', id: '1', error: { code: 'ABORTED', message: 'stopped' } }).success).toBe(true);
    expect(serverFrameSchema.safeParse({ t: 'res', id: '1', result: { ok: false, error: { code: 'BOGUS', message: '' } } }).success).toBe(false);
  });
});
