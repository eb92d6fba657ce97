import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationDetail } from '../../../../shared/domain';
import { createClient } from '../../ipc';
import { createFakeTransport } from '../../ipc/testing/fake-transport';
import { createAppStores } from '../../stores/app-stores';
import { StoresContext } from '../../stores/context';
import { fromChatMessage } from '../../stores/message-view';
import { MessageItem } from './MessageItem';
import { ToolCalls } from './MessageExtras';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const usage = { inputTokens: { total: 5 }, outputTokens: { total: 3 } };

const reasoning = 'The user wants the weather in Paris, so I should call the tool.';
const toolCall = { id: 'call_1', name: 'get_weather', input: '{"city":"Paris"}' };

/** The stored form of the reply streamed below, as conversations.get returns it after a reload. */
const stored: ChatMessage = {
  id: 'a1', conversationId: 'c1', role: 'assistant', text: 'Checking.', model: 'wire/deepseek-reasoner', status: 'complete',
  createdAt: 1, usage, error: null, latencyMs: 10, ttftMs: 2, reasoning, toolCalls: [toolCall],
};
const question: ChatMessage = { ...stored, id: 'u1', role: 'user', text: 'weather?', model: null, usage: null, latencyMs: null, ttftMs: null, reasoning: undefined, toolCalls: undefined };

function stores(answers: Parameters<typeof createFakeTransport>[0] = {}) {
  const fake = createFakeTransport(answers);
  const flushes: (() => void)[] = [];
  const app = createAppStores(createClient(fake.transport), {
    schedule: (fn) => {
      flushes.push(fn);
      return () => void flushes.splice(flushes.indexOf(fn) >>> 0, 1);
    },
  });
  // Server rendering reads a zustand store's initial state (its server snapshot): hand it the current one.
  const render = (id: string) =>
    renderToStaticMarkup(
      <StoresContext value={{ ...app, chat: { ...app.chat, getInitialState: app.chat.getState } }}>
        <MessageItem id={id} />
      </StoresContext>,
    );
  return { fake, app, render, frame: () => flushes.splice(0).forEach((fn) => fn()) };
}

/** The parts of a message's HTML that show the reasoning and the tool calls. */
const extras = (html: string) => ({
  thinking: /<details class="message__reasoning"[\s\S]*?<\/details>/.exec(html)?.[0],
  tools: /<ul class="message__tools"[\s\S]*?<\/ul>/.exec(html)?.[0],
});

describe('stored reasoning and tool calls', () => {
  it('render after a reload exactly as they did when the reply finished streaming', async () => {
    // Live: the reply streams its reasoning, a tool call and text, then finishes.
    const live = stores();
    const sending = live.app.chat.getState().send({ text: 'weather?', model: 'wire/deepseek-reasoner' });
    const stream = live.fake.streams[0]!;
    stream.chunk({ type: 'chat-start', conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1', requestId: 'r1', model: 'wire/deepseek-reasoner' });
    stream.chunk({ type: 'reasoning-start', id: 'r' });
    stream.chunk({ type: 'reasoning-delta', id: 'r', delta: reasoning.slice(0, 20) });
    stream.chunk({ type: 'reasoning-delta', id: 'r', delta: reasoning.slice(20) });
    stream.chunk({ type: 'reasoning-end', id: 'r' });
    stream.chunk({ type: 'tool-call', toolCallId: toolCall.id, toolName: toolCall.name, input: toolCall.input });
    stream.chunk({ type: 'text-delta', id: 't', delta: 'Checking.' });
    stream.chunk({ type: 'finish', usage, finishReason: { unified: 'tool-calls' } });
    stream.end();
    await tick();
    live.frame();
    await sending;
    const streamed = extras(live.render('a1'));
    expect(streamed.thinking).toContain(`Thought for ${reasoning.length} characters`);
    expect(streamed.thinking).toContain(reasoning);
    expect(streamed.tools).toContain('get_weather');

    // Reloaded: a fresh page opens the stored conversation.
    const detail: ConversationDetail = {
      conversation: { id: 'c1', title: 'weather?', model: 'wire/deepseek-reasoner', messageCount: 2, createdAt: 1, updatedAt: 2 },
      messages: [question, stored],
    };
    const reloaded = stores({ 'conversations.get': () => ({ ok: true, data: detail }) });
    await reloaded.app.chat.getState().open('c1');
    await tick();
    const html = reloaded.render('a1');
    expect(extras(html)).toEqual(streamed);
    // The thinking block is folded (a closed <details>), as it is live.
    expect(streamed.thinking).not.toMatch(/<details[^>]* open/);
  });

  it('a message stored without them shows neither', () => {
    const view = fromChatMessage({ ...stored, reasoning: undefined, toolCalls: undefined });
    expect(view.reasoning).toBe('');
    expect(view.toolCalls).toEqual([]);
  });

  it('shows a tool call’s arguments, and its result (or error) when there is one', () => {
    const html = renderToStaticMarkup(
      <ToolCalls
        calls={[
          { id: '1', name: 'get_weather', input: '{"city":"Paris"}', result: '{"temp":21}' },
          { id: '2', name: 'lookup', input: 'not json', result: 'no such entry', isError: true },
          { id: '3', name: 'pending', input: '{}' },
        ]}
      />,
    );
    expect(html).toContain('{\n  &quot;city&quot;: &quot;Paris&quot;\n}');
    expect(html).toContain('{\n  &quot;temp&quot;: 21\n}');
    expect(html).toContain('not json');
    expect(html).toMatch(/tool-call__result--error"[^>]*><span class="tool-call__result-label">Error<\/span><pre>no such entry<\/pre>/);
    expect(html.match(/data-testid="tool-result"/g)).toHaveLength(2);
  });
});
