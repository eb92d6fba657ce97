import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { highlight, knownLanguage } from './highlight';
import { Markdown } from './Markdown';

const html = (text: string, streaming = false) => renderToStaticMarkup(<Markdown text={text} streaming={streaming} />);

describe('Markdown', () => {
  it('renders GFM: headings, emphasis, lists, tables, task lists, strikethrough', () => {
    const out = html('# Title\n\n**bold** and ~~gone~~\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(out).toContain('<h1>Title</h1>');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<del>gone</del>');
    expect(out).toContain('type="checkbox"');
    expect(out).toMatch(/<table>.*<td>1<\/td>.*<\/table>/s);
  });

  it('never renders raw HTML from the model, and drops javascript: links', () => {
    const out = html('Hi <script>alert(1)</script> <img src=x onerror=alert(2)> <b>bold?</b>\n\n[click](javascript:alert(3))');
    expect(out).not.toMatch(/<script|<img|onerror|<b>/);
    expect(out).not.toContain('javascript:');
    expect(out).toContain('rel="noopener noreferrer"');
  });

  it('shows model image links as text instead of fetching them', () => {
    const out = html('![a pixel](https://tracker.example/p.gif)');
    expect(out).not.toContain('<img');
    expect(out).toContain('[image: a pixel]');
  });

  it('highlights a finished code block, with its language and a copy button', () => {
    const out = html('```ts\nconst x: number = 1;\n```');
    expect(out).toContain('data-language="ts"');
    expect(out).toContain('class="hljs language-ts"');
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).toContain('data-testid="copy"');
  });

  it('shows a fence still streaming plain, and an unknown language plain', () => {
    const live = html('Look:\n\n```ts\nconst x = 1;', true);
    expect(live).toContain('const x = 1;');
    expect(live).not.toContain('hljs-keyword');
    const unknown = html('```nosuchlang\nfoo bar\n```');
    expect(unknown).toContain('foo bar');
    expect(unknown).not.toContain('hljs-');
  });

  it('keeps inline code inline', () => {
    expect(html('use `npm test` here')).toContain('<code>npm test</code>');
  });
});

describe('highlight helpers', () => {
  it('knows common languages by fence name, and leaves very long code plain', () => {
    expect(knownLanguage('language-python')).toBe('python');
    expect(knownLanguage('TS')).toBe('ts');
    expect(knownLanguage('klingon')).toBeNull();
    expect(knownLanguage(undefined)).toBeNull();
    expect(highlight('x'.repeat(200_000), 'js')).toBeNull();
    expect(highlight('let a', 'js')?.children.length).toBeGreaterThan(0);
  });
});
