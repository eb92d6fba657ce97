/**
 * Server-sent events → the `data` of each complete event, for the chat completions stream.
 *
 * Text goes in as it arrives (already UTF-8 decoded, split anywhere, even inside a line or
 * between the `\r` and `\n` of one line ending); out come the events completed by it. Follows the
 * SSE rules the `openai` SDK follows: lines end with `\n`, `\r\n` or `\r`; a blank line ends an
 * event; `data` lines join with `\n`; one space after the colon is dropped; `:` lines are comments
 * (OpenRouter's keep-alives); other fields (`event`, `id`, `retry`) are not needed here. An event
 * left incomplete when the body ends is dropped, as the SDK drops it.
 */
export class SSEDataDecoder {
  /** The unfinished last line of the previous text. */
  private rest = '';
  /** The data lines of the event being read. */
  private data: string[] = [];
  /** The previous text ended with `\r`: a `\n` opening the next one belongs to that line ending. */
  private skipLF = false;

  /** Returns the data of every event that `text` completes, in order. */
  push(text: string): string[] {
    const events: string[] = [];
    if (text === '') return events;
    let input = text;
    if (this.skipLF) {
      this.skipLF = false;
      if (input.charCodeAt(0) === 10) input = input.slice(1);
    }
    if (this.rest !== '') {
      input = this.rest + input;
      this.rest = '';
    }
    const hasCR = input.includes('\r');
    let start = 0;
    for (;;) {
      let end: number;
      let next: number;
      if (hasCR) {
        end = nextLineEnd(input, start);
        if (end === -1) break;
        if (input.charCodeAt(end) === 13) {
          if (end + 1 === input.length) this.skipLF = true;
          next = input.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
        } else {
          next = end + 1;
        }
      } else {
        end = input.indexOf('\n', start);
        if (end === -1) break;
        next = end + 1;
      }
      this.line(input, start, end, events);
      start = next;
    }
    if (start < input.length) this.rest = input.slice(start);
    return events;
  }

  private line(input: string, start: number, end: number, events: string[]): void {
    if (start === end) {
      if (this.data.length > 0) {
        events.push(this.data.length === 1 ? (this.data[0] as string) : this.data.join('\n'));
        this.data = [];
      }
      return;
    }
    // The common line, `data: {...}`, is read without splitting.
    if (input.startsWith('data:', start)) {
      const from = input.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      this.data.push(input.slice(from, end));
      return;
    }
    if (input.charCodeAt(start) === 58) return; // ':' comment
    const colon = input.indexOf(':', start);
    if (colon === -1 || colon > end) {
      // A field name alone: `data` means an empty data line.
      if (input.slice(start, end) === 'data') this.data.push('');
    }
  }
}

function nextLineEnd(input: string, from: number): number {
  const lf = input.indexOf('\n', from);
  const cr = input.indexOf('\r', from);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}
