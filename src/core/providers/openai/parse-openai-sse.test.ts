import { describe, expect, it } from 'vitest';
import { SSEDataDecoder } from './parse-openai-sse';

/** Feeds `pieces` one by one and returns every event's data, in order. */
const decode = (...pieces: string[]) => {
  const decoder = new SSEDataDecoder();
  return pieces.flatMap((piece) => decoder.push(piece));
};

describe('SSEDataDecoder', () => {
  it('returns the data of each complete event, several per piece', () => {
    expect(decode('data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n')).toEqual(['{"a":1}', '{"a":2}', '[DONE]']);
  });

  it('holds an event until its blank line, whichever byte the text is split at', () => {
    const stream = 'data: {"text":"héllo"}\n\ndata: {"text":"wörld"}\n\n';
    for (let at = 0; at <= stream.length; at++) {
      expect(decode(stream.slice(0, at), stream.slice(at)), `split at ${at}`).toEqual(['{"text":"héllo"}', '{"text":"wörld"}']);
    }
    const decoder = new SSEDataDecoder();
    expect(decoder.push('data: {"a"')).toEqual([]);
    expect(decoder.push(':1}\n')).toEqual([]);
    expect(decoder.push('\n')).toEqual(['{"a":1}']);
  });

  it('accepts \\r\\n and \\r line endings, also split between \\r and \\n', () => {
    expect(decode('data: 1\r\n\r\ndata: 2\r\rdata: 3\n\n')).toEqual(['1', '2', '3']);
    const stream = 'data: 1\r\n\r\ndata: 2\r\n\r\n';
    for (let at = 0; at <= stream.length; at++) expect(decode(stream.slice(0, at), stream.slice(at)), `split at ${at}`).toEqual(['1', '2']);
    // A \r at the end of one piece and a \n opening the next are one line ending, not two.
    expect(decode('data: 1\r', '\ndata: 2\r\n\r\n')).toEqual(['1\n2']);
    // Even with an empty piece between them (a read that ended inside a multi-byte character).
    expect(decode('data: 1\r', '', '\ndata: 2\r\n\r\n')).toEqual(['1\n2']);
  });

  it('joins data lines with \\n, drops one space after the colon, and keeps the rest', () => {
    expect(decode('data: a\ndata:b\ndata:  c\ndata\n\n')).toEqual(['a\nb\n c\n']);
  });

  it('skips comments, other fields and blank lines without data', () => {
    expect(decode(': OPENROUTER PROCESSING\n\n', 'event: message\nid: 7\nretry: 100\ndata: x\n\n', '\n\n\n')).toEqual(['x']);
  });

  it('drops an event the body never finished', () => {
    const decoder = new SSEDataDecoder();
    expect(decoder.push('data: {"a":1}\n\ndata: {"cut":')).toEqual(['{"a":1}']);
  });
});
