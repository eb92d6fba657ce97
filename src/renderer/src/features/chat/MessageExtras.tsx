import type { ToolCallView } from '../../stores/message-view';

/**
 * What a reply carries besides its text, drawn the same whether it is streaming or was stored
 * (a reload): the model's reasoning and the tools it asked to call.
 */

/** The model's reasoning, folded away by default; open to read it, even while it streams. */
export function Thinking({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <details className="message__reasoning" data-testid="message-reasoning">
      <summary>{streaming ? 'Thinking…' : `Thought for ${text.length.toLocaleString('en-US')} characters`}</summary>
      <p>{text}</p>
    </details>
  );
}

/** Each call's tool name and arguments, and what the tool returned when it was run. */
export function ToolCalls({ calls }: { calls: readonly ToolCallView[] }) {
  return (
    <ul className="message__tools" aria-label="Tool calls">
      {calls.map((call) => (
        <li key={call.id} className="tool-call" data-testid="tool-call">
          <span className="tool-call__name">{call.name}</span>
          <pre className="tool-call__input">{prettyJson(call.input)}</pre>
          {call.result !== undefined && (
            <div className={call.isError === true ? 'tool-call__result tool-call__result--error' : 'tool-call__result'} data-testid="tool-result">
              <span className="tool-call__result-label">{call.isError === true ? 'Error' : 'Result'}</span>
              <pre>{prettyJson(call.result)}</pre>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text; // what the model (or tool) wrote, even when it is not JSON
  }
}
