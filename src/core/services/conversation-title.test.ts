import { describe, expect, it } from 'vitest';
import { UNTITLED, conversationTitle } from './conversation-title';

describe('conversationTitle', () => {
  it('trims and folds whitespace onto one line', () => {
    expect(conversationTitle('  Plan a\n\ttrip to   Lisbon  ')).toBe('Plan a trip to Lisbon');
  });

  it('names an empty first message', () => {
    expect(conversationTitle(' \n ')).toBe(UNTITLED);
  });

  it('cuts a long text at a word and marks the cut', () => {
    const title = conversationTitle(`${'word '.repeat(40)}end`);
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title).toMatch(/word…$/);
  });
});
