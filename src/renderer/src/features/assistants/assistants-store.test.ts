import { describe, expect, it } from 'vitest';
import type { AssistantFields, AssistantView } from '../../../../shared/contract';
import type { ConversationSummary } from '../../../../shared/domain';
import { createClient } from '../../ipc';
import { createFakeTransport } from '../../ipc/testing/fake-transport';
import { emptyForm, fieldOfPath, formOf, parseForm, summarize } from './assistant-form';
import { choiceFor, createAssistantsStore } from './assistants-store';

const reviewer: AssistantView = { name: 'Reviewer', model: 'fast', system: 'You review code.', temperature: 0.2, problem: null };
const summary = (id: string, assistant?: string): ConversationSummary => ({
  id, title: 't', model: 'fast', messageCount: 2, createdAt: 1, updatedAt: 2, ...(assistant === undefined ? {} : { assistant }),
});

/** A host that keeps assistants in a list, as the core does (names unique ignoring case). */
function host(initial: AssistantView[] = [reviewer]) {
  let assistants = [...initial];
  const conversations: Record<string, string | null> = {};
  const fake = createFakeTransport({
    'assistants.list': () => ({ ok: true, data: { assistants } }),
    'assistants.save': (input) => {
      const { assistant, previousName } = input as { assistant: AssistantFields; previousName?: string };
      if (assistant.temperature !== undefined && assistant.temperature > 2) {
        const index = previousName === undefined ? assistants.length : assistants.findIndex((a) => a.name === previousName);
        const path = `assistants[${index}].temperature`;
        return { ok: false, error: { code: 'VALIDATION_FAILED', message: `the change was not saved: ${path}: 3 is out of range: expected 0 to 2`, data: { issues: [{ path, message: 'out of range' }] } } };
      }
      const view = { ...assistant, problem: null };
      assistants = previousName === undefined ? [...assistants, view] : assistants.map((a) => (a.name === previousName ? view : a));
      return { ok: true, data: { assistants } };
    },
    'assistants.remove': (input) => {
      assistants = assistants.filter((a) => a.name !== (input as { name: string }).name);
      return { ok: true, data: { assistants } };
    },
    'assistants.use': (input) => {
      const { conversationId, assistant } = input as { conversationId: string; assistant: string | null };
      conversations[conversationId] = assistant;
      return { ok: true, data: summary(conversationId, assistant ?? undefined) };
    },
  });
  const store = createAssistantsStore({ client: createClient(fake.transport) });
  return { fake, store };
}

describe('assistants store', () => {
  it('loads, adds, edits and deletes through the host', async () => {
    const { store, fake } = host();
    await store.getState().load();
    expect(store.getState().assistants.map((a) => a.name)).toEqual(['Reviewer']);

    expect(await store.getState().save({ name: 'Poet', model: 'try/mock-1', system: 'Rhyme.' })).toBe(true);
    expect(store.getState().assistants.map((a) => a.name)).toEqual(['Reviewer', 'Poet']);
    expect(fake.requests.at(-1)).toEqual({ route: 'assistants.save', input: { assistant: { name: 'Poet', model: 'try/mock-1', system: 'Rhyme.' } } });

    expect(await store.getState().save({ name: 'Poet', model: 'fast', temperature: 1 }, 'Poet')).toBe(true);
    expect(store.getState().assistants[1]).toMatchObject({ name: 'Poet', model: 'fast', temperature: 1 });
    expect(fake.requests.at(-1)?.input).toMatchObject({ previousName: 'Poet' });

    expect(await store.getState().remove('Poet')).toBe(true);
    expect(store.getState().assistants.map((a) => a.name)).toEqual(['Reviewer']);
  });

  it('keeps a refused save\'s message and the field its path names, and the list as it was', async () => {
    const { store } = host();
    await store.getState().load();
    expect(await store.getState().save({ name: 'Hot', model: 'fast', temperature: 3 })).toBe(false);
    const error = store.getState().error;
    expect(error?.message).toBe('the change was not saved: assistants[1].temperature: 3 is out of range: expected 0 to 2');
    expect(error?.paths.map(fieldOfPath)).toEqual(['temperature']);
    expect(store.getState().assistants.map((a) => a.name)).toEqual(['Reviewer']);
    expect(await store.getState().save({ name: 'Cool', model: 'fast', temperature: 0.5 })).toBe(true);
    expect(store.getState().error).toBeNull();
  });

  it('a new chat takes the draft assistant; an open one is changed through the host', async () => {
    const { store, fake } = host();
    await store.getState().load();
    expect(choiceFor(store.getState(), null)).toEqual({ kind: 'none' });

    const chosen = await store.getState().choose(null, 'reviewer');
    expect(chosen?.name).toBe('Reviewer');
    expect(store.getState().draft).toBe('Reviewer');
    expect(fake.requests.some((r) => r.route === 'assistants.use')).toBe(false);
    // the first send started conversation c1 with it
    store.getState().conversationStarted('c1');
    expect(choiceFor(store.getState(), 'c1')).toEqual({ kind: 'assistant', assistant: reviewer });

    // An opened conversation shows its own; changing it asks the host.
    store.getState().conversationOpened(summary('c2'));
    expect(choiceFor(store.getState(), 'c2')).toEqual({ kind: 'none' });
    await store.getState().choose('c2', 'Reviewer');
    expect(fake.requests.at(-1)).toEqual({ route: 'assistants.use', input: { conversationId: 'c2', assistant: 'Reviewer' } });
    expect(choiceFor(store.getState(), 'c2')).toMatchObject({ kind: 'assistant' });
    await store.getState().choose('c2', null);
    expect(choiceFor(store.getState(), 'c2')).toEqual({ kind: 'none' });
    // A name the page no longer has is refused beside the picker, without asking the host.
    const before = fake.requests.length;
    expect(await store.getState().choose('c2', 'Nobody')).toBeNull();
    expect(store.getState().chooseError).toBe('no assistant named "Nobody"; it may have been deleted');
    expect(fake.requests).toHaveLength(before);
  });

  it('says a deleted assistant is gone; a rename carries the chat along', async () => {
    const { store } = host();
    await store.getState().load();
    store.getState().conversationOpened(summary('old', 'Removed one'));
    expect(choiceFor(store.getState(), 'old')).toEqual({ kind: 'gone', name: 'Removed one' });

    store.getState().conversationOpened(summary('c3', 'Reviewer'));
    await store.getState().choose(null, 'Reviewer');
    await store.getState().save({ name: 'Critic', model: 'fast' }, 'Reviewer');
    expect(choiceFor(store.getState(), 'c3')).toMatchObject({ kind: 'assistant', assistant: { name: 'Critic' } });
    expect(store.getState().draft).toBe('Critic');

    await store.getState().remove('Critic');
    expect(store.getState().draft).toBeNull();
    expect(choiceFor(store.getState(), 'c3')).toEqual({ kind: 'gone', name: 'Critic' });
  });
});

describe('the assistant form', () => {
  it('turns typed text into fields, leaving empty ones out', () => {
    const form = { ...emptyForm('fast'), name: ' Reviewer ', system: 'Be brief.', temperature: '0.2', maxOutputTokens: '300', frequencyPenalty: '−1', stop: '###\nEND', reasoningEffort: 'low' as const };
    expect(parseForm(form)).toEqual({
      ok: true,
      fields: { name: 'Reviewer', model: 'fast', system: 'Be brief.', temperature: 0.2, maxOutputTokens: 300, frequencyPenalty: -1, stop: ['###', 'END'], reasoningEffort: 'low' },
    });
  });

  it('names the field a typo is in', () => {
    expect(parseForm({ ...emptyForm('fast'), name: 'A', temperature: 'warm' })).toEqual({ ok: false, field: 'temperature', message: 'Temperature: "warm" is not a number.' });
    expect(parseForm({ ...emptyForm('fast'), name: 'A', topK: '2.5' })).toEqual({ ok: false, field: 'topK', message: 'Top K: expected a whole number.' });
    expect(parseForm(emptyForm('fast'))).toMatchObject({ ok: false, field: 'name' });
    expect(parseForm({ ...emptyForm(), name: 'A' })).toMatchObject({ ok: false, field: 'model' });
  });

  it('round-trips an assistant and summarizes it', () => {
    const form = formOf({ ...reviewer, stop: ['###'] });
    expect(parseForm(form)).toEqual({ ok: true, fields: { name: 'Reviewer', model: 'fast', system: 'You review code.', temperature: 0.2, stop: ['###'] } });
    expect(summarize({ ...reviewer, stop: ['###'] })).toBe('fast · temperature 0.2 · 1 stop sequence');
    expect(fieldOfPath('assistants[3].model')).toBe('model');
    expect(fieldOfPath('providers.x')).toBeNull();
  });
});
