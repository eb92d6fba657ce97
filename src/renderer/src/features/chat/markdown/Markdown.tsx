import { memo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { splitMarkdownBlocks } from './blocks';
import { CodeBlock } from './CodeBlock';

const PLUGINS = [remarkGfm];

/** Text of a hast node (the code inside a fence). */
type HastNode = { type: string; value?: string; children?: HastNode[]; properties?: Record<string, unknown> };
const textOf = (node: HastNode): string => (node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(textOf).join(''));

function components(live: boolean): Components {
  return {
    // Fenced and indented code: our block with its copy button. Inline `code` keeps the default.
    pre({ node }) {
      const code = (node?.children?.[0] ?? { type: 'text', value: '' }) as HastNode;
      const className = code.properties?.className;
      const language = Array.isArray(className) ? className.map(String).find((c) => c.startsWith('language-')) : undefined;
      return <CodeBlock code={textOf(code).replace(/\n$/, '')} language={language} live={live} />;
    },
    // Links from a model open outside the app, never in its window, and never tell where from.
    a({ href, children }) {
      return (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    },
    // Images from a model are not fetched (a tracking pixel, a request to a LAN address): the link is shown instead.
    img({ src, alt }) {
      return <span className="markdown__image-ref">[image: {alt || (typeof src === 'string' ? src : '')}]</span>;
    },
  };
}
const FINISHED = components(false);
const LIVE = components(true);

/**
 * One block, memoized on its text: when an answer grows, blocks before the last are the same
 * strings and are not parsed or rendered again. Raw HTML from the model is never rendered
 * (`skipHtml`); react-markdown's default URL filter drops `javascript:` and other unsafe links.
 */
const MarkdownBlock = memo(function MarkdownBlock({ source, live }: { source: string; live: boolean }) {
  return (
    <ReactMarkdown remarkPlugins={PLUGINS} components={live ? LIVE : FINISHED} skipHtml>
      {source}
    </ReactMarkdown>
  );
});

export const Markdown = memo(function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }): ReactNode {
  const { blocks, openFence } = splitMarkdownBlocks(text);
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Index keys: blocks only ever grow at the end while streaming.
        <MarkdownBlock key={index} source={block} live={streaming && openFence && index === blocks.length - 1} />
      ))}
    </div>
  );
});
