import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { highlight, knownLanguage } from './highlight';

/**
 * A fenced code block: highlighted once per distinct (code, language) thanks to memo, with a copy
 * button. While its fence is still streaming (`live`) it is shown plain, so tokens arriving in a
 * long block never re-run the highlighter.
 */
export const CodeBlock = memo(function CodeBlock({ code, language, live }: { code: string; language: string | undefined; live: boolean }) {
  const known = knownLanguage(language);
  const highlighted = useMemo(() => {
    const tree = live ? null : highlight(code, known);
    return tree === null ? null : toJsxRuntime(tree, { Fragment, jsx, jsxs });
  }, [code, known, live]);
  const label = language?.replace(/^language-/, '') || 'text';

  return (
    <figure className="code-block" data-testid="code-block" data-language={label}>
      <figcaption className="code-block__bar">
        <span className="code-block__lang">{label}</span>
        <CopyButton text={code} />
      </figcaption>
      <pre className="code-block__pre">
        <code className={`hljs${known === null ? '' : ` language-${known}`}`}>{highlighted ?? code}</code>
      </pre>
    </figure>
  );
});

/** Copies text to the clipboard and says so for a moment; says so too when the browser refuses. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = () => {
    const done = (next: 'copied' | 'failed') => {
      setState(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setState('idle'), 1500);
    };
    if (navigator.clipboard === undefined) return done('failed');
    navigator.clipboard.writeText(text).then(() => done('copied'), () => done('failed'));
  };
  return (
    <button type="button" className="icon-button" data-testid="copy" onClick={copy} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
