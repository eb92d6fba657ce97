import './assistants.css';
import { useId, useState } from 'react';
import { useAssistants, useChat, useModels } from '../../stores/context';
import { choiceFor } from './assistants-store';

const NONE = '';

/**
 * The assistant of the open conversation (or of the new chat's first message), above the
 * messages. Choosing one switches the model picker to its model; picking another model after
 * that is the user's choice for this conversation. A conversation whose assistant was deleted
 * says so and keeps working with its model, without the prompt.
 */
export function AssistantPicker() {
  const conversationId = useChat((s) => s.conversationId);
  const busy = useChat((s) => s.streaming !== null);
  const assistants = useAssistants((s) => s.assistants);
  const draft = useAssistants((s) => s.draft);
  const byConversation = useAssistants((s) => s.byConversation);
  // Computed here, not in the selector: a selector must return a stable value, and this is a new object each time.
  const choice = choiceFor({ assistants, draft, byConversation }, conversationId);
  const choose = useAssistants((s) => s.choose);
  const chooseError = useAssistants((s) => s.chooseError);
  const selectCustom = useModels((s) => s.selectCustom);
  const [modelProblem, setModelProblem] = useState<string | null>(null);
  const id = useId();

  if (assistants.length === 0 && choice.kind === 'none') return null;
  const value = choice.kind === 'assistant' ? choice.assistant.name : choice.kind === 'gone' ? choice.name : NONE;

  const onChange = async (name: string) => {
    const chosen = await choose(conversationId, name === NONE ? null : name);
    if (chosen === null) return setModelProblem(null);
    const problem = selectCustom(chosen.model);
    // A bare local name in a hand-written file (`tiny`) is listed as local/tiny.
    const local = problem !== null && !chosen.model.includes('/') ? selectCustom(`local/${chosen.model.replace(/\.gguf$/i, '')}`) : problem;
    setModelProblem(local === null ? null : problem);
  };

  return (
    <div className="assistant-bar" data-testid="assistant-bar">
      <label htmlFor={id}>Assistant</label>
      <select id={id} data-testid="assistant-picker" value={value} disabled={busy} onChange={(e) => void onChange(e.target.value)}>
        <option value={NONE}>None</option>
        {assistants.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name}
          </option>
        ))}
        {choice.kind === 'gone' && (
          <option value={choice.name} disabled>
            {choice.name} (deleted)
          </option>
        )}
      </select>
      {choice.kind === 'assistant' && choice.assistant.system !== undefined && (
        <span className="assistant-bar__prompt" title={choice.assistant.system} data-testid="assistant-prompt">
          {choice.assistant.system}
        </span>
      )}
      {choice.kind === 'gone' && (
        <span className="assistant-bar__gone" role="status" data-testid="assistant-gone">
          The assistant “{choice.name}” no longer exists: this conversation goes on with its model, without that assistant&apos;s prompt
          and parameters.
        </span>
      )}
      {chooseError !== null && (
        <span className="assistant-bar__gone" role="alert" data-testid="assistant-choose-error">
          {chooseError}
        </span>
      )}
      {modelProblem !== null && (
        <span className="assistant-bar__gone" role="alert" data-testid="assistant-model-problem">
          Its model can’t be used: {modelProblem}
        </span>
      )}
    </div>
  );
}
