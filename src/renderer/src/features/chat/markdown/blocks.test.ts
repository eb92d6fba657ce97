import { describe, expect, it } from 'vitest';
import { splitMarkdownBlocks } from './blocks';

describe('splitMarkdownBlocks', () => {
  it('splits paragraphs, headings and fences at blank lines', () => {
    expect(splitMarkdownBlocks('# Title\n\nA paragraph\nstill it.\n\n\nAnother.')).toEqual({
      blocks: ['# Title', 'A paragraph\nstill it.', 'Another.'],
      openFence: false,
    });
  });

  it('keeps a fenced block whole, blank lines included, and says when it is still open', () => {
    const text = 'Code:\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter.';
    expect(splitMarkdownBlocks(text)).toEqual({ blocks: ['Code:', '```ts\nconst a = 1;\n\nconst b = 2;\n```', 'After.'], openFence: false });
    expect(splitMarkdownBlocks('Code:\n\n```py\nprint(1)\n\nprint(2)')).toEqual({ blocks: ['Code:', '```py\nprint(1)\n\nprint(2)'], openFence: true });
    // a shorter or different fence does not close it
    expect(splitMarkdownBlocks('````\n```\nstill code\n\n````\n\nout').blocks).toEqual(['````\n```\nstill code\n\n````', 'out']);
    expect(splitMarkdownBlocks('~~~\n```\n').openFence).toBe(true);
  });

  it('keeps list items and their indented continuations in one block', () => {
    const text = '1. one\n\n   more about one\n\n2. two\n\nAfter the list.';
    expect(splitMarkdownBlocks(text).blocks).toEqual(['1. one\n\n   more about one\n\n2. two', 'After the list.']);
  });

  it('gives the same finished blocks as text grows (what memoization relies on)', () => {
    const full = 'Intro.\n\n```js\nlet x = 1;\n```\n\n- a\n- b\n\nEnd of the answer.';
    const final = splitMarkdownBlocks(full).blocks;
    for (let n = 1; n < full.length; n++) {
      const partial = splitMarkdownBlocks(full.slice(0, n)).blocks;
      // every block but the last is final already
      expect(partial.slice(0, -1)).toEqual(final.slice(0, partial.length - 1));
    }
  });

  it('handles empty text', () => {
    expect(splitMarkdownBlocks('')).toEqual({ blocks: [], openFence: false });
    expect(splitMarkdownBlocks('\n\n')).toEqual({ blocks: [], openFence: false });
  });
});
