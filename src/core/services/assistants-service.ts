import { type Document, Scalar, YAMLMap, isNode, isSeq } from 'yaml';
import { type AssistantFields, type AssistantsView, type InputOf, type assistantsContract } from '../../shared/contract';
import { type ConversationSummary } from '../../shared/domain';
import { ContractFailure } from '../api/contract-failure';
import { type AssistantConfig, ConfigEditError, type SwitchboardConfig, editConfigFile, findInSeq, literalText, setFields } from '../config';
import { type Store } from '../store';
import { findAssistant } from './assistants-apply';

type Input<K extends keyof typeof assistantsContract> = InputOf<(typeof assistantsContract)[K]>;

export interface AssistantsServiceDeps {
  configPath: string;
  /** The config in force. */
  config: () => SwitchboardConfig;
  /** Reloads the file now, so the answer shows the edit in force. */
  reloadConfig: () => Promise<void>;
  /** The environment `${VAR}` references are checked against when the file is edited. */
  env: () => Readonly<Record<string, string | undefined>>;
  store: Pick<Store, 'conversations'>;
  /** Why a chat could not use this model ref now (unknown group, provider or local model), or null when it can. */
  checkModel: (ref: string) => Promise<string | null>;
}

export interface AssistantsService {
  list(): Promise<AssistantsView>;
  save(input: Input<'assistants.save'>): Promise<AssistantsView>;
  remove(name: string): Promise<AssistantsView>;
  /** Sets (or clears) a conversation's assistant. */
  use(conversationId: string, name: string | null): ConversationSummary;
  /** The assistant of that name in the config in force (ignoring case), or undefined. */
  find(name: string): AssistantConfig | undefined;
  /** The names, for error messages. */
  names(): string[];
}

/** The order fields are written in, as the README shows them. */
const FIELD_ORDER = [
  'name',
  'model',
  'system',
  'temperature',
  'topP',
  'topK',
  'maxOutputTokens',
  'stop',
  'seed',
  'frequencyPenalty',
  'presencePenalty',
  'reasoningEffort',
] as const satisfies readonly (keyof AssistantFields)[];

/**
 * Assistants (`assistants.*` routes): the `assistants:` list of switchboard.yaml, edited through
 * `editConfigFile` (schema first, atomic, comments kept), and the assistant each conversation uses.
 */
export function createAssistantsService(deps: AssistantsServiceDeps): AssistantsService {
  const assistants = () => deps.config().assistants;
  const names = () => assistants().map((a) => a.name);

  async function list(): Promise<AssistantsView> {
    const all = assistants();
    const problems = await Promise.all(all.map((a) => deps.checkModel(a.model)));
    return { assistants: all.map((a, i) => ({ ...a, problem: problems[i] ?? null })) };
  }

  const edit = async (change: (doc: Document) => void): Promise<void> => {
    try {
      await editConfigFile(deps.configPath, (doc) => change(doc), { env: deps.env() });
    } catch (error) {
      if (error instanceof ConfigEditError) throw new ContractFailure('VALIDATION_FAILED', error.message, { issues: error.issues });
      throw error;
    }
    await deps.reloadConfig();
  };

  return {
    list,
    find: (name) => findAssistant(assistants(), name),
    names,

    async save({ previousName, assistant }) {
      const current = assistants();
      const existing = previousName === undefined ? -1 : current.findIndex((a) => a.name === previousName);
      if (previousName !== undefined && existing < 0) {
        throw new ContractFailure('NOT_FOUND', `no assistant named "${previousName}"; assistants: ${names().join(', ') || 'none'}`);
      }
      const at = `assistants[${existing >= 0 ? existing : current.length}]`;
      const model = assistant.model.trim();
      if (model !== '') {
        const problem = await deps.checkModel(model);
        if (problem !== null) throw invalid(`${at}.model`, problem);
      }
      const fields = fieldsOf(assistant);
      const renamedFrom = previousName !== undefined && previousName !== fields.name ? previousName : undefined;
      await edit((doc) => {
        if (previousName !== undefined) {
          const index = findInSeq(doc, ['assistants'], 'name', previousName);
          if (index < 0) throw new ConfigEditError([{ path: 'assistants', message: `no assistant named "${previousName}" in the file` }]);
          // Only what changed is rewritten, so the comments on the other lines stay.
          const path = ['assistants', index];
          const changed = FIELD_ORDER.filter((key) => !sameValue(doc.getIn([...path, key]), fields[key]));
          setFields(doc, path, Object.fromEntries(changed.map((key) => [key, nodeFor(doc, key, fields[key])])));
          return;
        }
        const item = new YAMLMap<string, unknown>();
        for (const key of FIELD_ORDER) {
          const node = nodeFor(doc, key, fields[key]);
          if (node !== undefined) item.set(key, node);
        }
        const seq = doc.getIn(['assistants'], true);
        if (!isSeq(seq)) return doc.setIn(['assistants'], doc.createNode([item]));
        if (seq.items.length === 0) seq.flow = false;
        seq.items.push(item);
      });
      // Conversations follow a rename; a hand edit of the name leaves them saying it is gone.
      if (renamedFrom !== undefined) deps.store.conversations.renameAssistant(renamedFrom, fields.name);
      return list();
    },

    async remove(name) {
      await edit((doc) => {
        const index = findInSeq(doc, ['assistants'], 'name', name);
        if (index < 0) throw new ConfigEditError([{ path: 'assistants', message: `no assistant named "${name}" in the file` }]);
        doc.deleteIn(['assistants', index]);
      });
      return list();
    },

    use(conversationId, name) {
      if (deps.store.conversations.get(conversationId) === undefined) throw new ContractFailure('NOT_FOUND', `no conversation "${conversationId}"`);
      let stored: string | null = null;
      if (name !== null) {
        const found = findAssistant(assistants(), name);
        if (found === undefined) throw new ContractFailure('NOT_FOUND', `no assistant named "${name}"; assistants: ${names().join(', ') || 'none'}`);
        stored = found.name;
      }
      deps.store.conversations.setAssistant(conversationId, stored);
      return deps.store.conversations.get(conversationId) as ConversationSummary;
    },
  };
}

/** The form's fields as the file should hold them: text trimmed, `${` kept literal, empty values left out. */
function fieldsOf(assistant: AssistantFields): AssistantFields {
  const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);
  return {
    ...assistant,
    name: assistant.name.trim(),
    model: assistant.model.trim(),
    system: text(assistant.system),
    stop: assistant.stop === undefined || assistant.stop.length === 0 ? undefined : assistant.stop,
  };
}

/** A YAML node for one field (undefined removes it): a multi-line prompt as a `|` block, lists on one line. */
function nodeFor(doc: Document, key: keyof AssistantFields, value: AssistantFields[keyof AssistantFields]): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const node = new Scalar(literalText(value));
    if (key === 'system' && value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    return node;
  }
  if (Array.isArray(value)) {
    const node = doc.createNode(value.map(literalText));
    node.flow = true;
    return node;
  }
  return value;
}

/** Whether the document's value (a scalar, or a node with toJSON) is the one the form gives. */
function sameValue(current: unknown, next: unknown): boolean {
  const plain = isNode(current) ? current.toJSON() : current;
  return JSON.stringify(plain) === JSON.stringify(next);
}

function invalid(path: string, message: string): ContractFailure {
  return new ContractFailure('VALIDATION_FAILED', `the change was not saved: ${path}: ${message}`, { issues: [{ path, message }] });
}
