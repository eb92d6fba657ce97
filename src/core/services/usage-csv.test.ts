import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './usage-csv';

describe('RFC 4180 CSV', () => {
  it('leaves plain fields alone and writes null as an empty field', () => {
    expect(csvRecord(['openai', 'gpt-4o-mini', 12, 0.0015, null])).toBe('openai,gpt-4o-mini,12,0.0015,\r\n');
  });

  it('quotes fields with a comma, a quote, CR or LF, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('"')).toBe('""""');
  });

  it('keeps spaces and other characters as they are, and writes a non-finite number as empty', () => {
    expect(csvField('  padded  ')).toBe('  padded  ');
    expect(csvField('über; tab\there')).toBe('über; tab\there');
    expect(csvField(Number.NaN)).toBe('');
  });
});
