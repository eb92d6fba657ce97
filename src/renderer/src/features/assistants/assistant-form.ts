import type { AssistantFields, AssistantView } from '../../../../shared/contract';

/** The form's values as typed: text for every field, so a half-typed number stays as typed. */
export interface AssistantForm {
  name: string;
  model: string;
  system: string;
  temperature: string;
  topP: string;
  topK: string;
  maxOutputTokens: string;
  seed: string;
  frequencyPenalty: string;
  presencePenalty: string;
  /** One stop sequence per line. */
  stop: string;
  reasoningEffort: '' | NonNullable<AssistantFields['reasoningEffort']>;
}

export type NumericField = 'temperature' | 'topP' | 'topK' | 'maxOutputTokens' | 'seed' | 'frequencyPenalty' | 'presencePenalty';

export const NUMERIC_FIELDS: readonly { key: NumericField; label: string; integer: boolean; hint: string }[] = [
  { key: 'temperature', label: 'Temperature', integer: false, hint: '0 to 2' },
  { key: 'topP', label: 'Top P', integer: false, hint: 'over 0, up to 1' },
  { key: 'topK', label: 'Top K', integer: true, hint: '1 or more' },
  { key: 'maxOutputTokens', label: 'Max output tokens', integer: true, hint: '1 or more' },
  { key: 'seed', label: 'Seed', integer: true, hint: 'a whole number' },
  { key: 'frequencyPenalty', label: 'Frequency penalty', integer: false, hint: '−2 to 2' },
  { key: 'presencePenalty', label: 'Presence penalty', integer: false, hint: '−2 to 2' },
];

export function emptyForm(model = ''): AssistantForm {
  return {
    name: '', model, system: '', temperature: '', topP: '', topK: '', maxOutputTokens: '', seed: '',
    frequencyPenalty: '', presencePenalty: '', stop: '', reasoningEffort: '',
  };
}

export function formOf(assistant: AssistantView): AssistantForm {
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    name: assistant.name,
    model: assistant.model,
    system: assistant.system ?? '',
    temperature: text(assistant.temperature),
    topP: text(assistant.topP),
    topK: text(assistant.topK),
    maxOutputTokens: text(assistant.maxOutputTokens),
    seed: text(assistant.seed),
    frequencyPenalty: text(assistant.frequencyPenalty),
    presencePenalty: text(assistant.presencePenalty),
    stop: (assistant.stop ?? []).join('\n'),
    reasoningEffort: assistant.reasoningEffort ?? '',
  };
}

/**
 * The fields to save, or the first field the page can already tell is wrong (a name or model left
 * empty, a number that isn't one). Ranges are the host's to check, so one schema says them.
 */
export function parseForm(form: AssistantForm): { ok: true; fields: AssistantFields } | { ok: false; field: keyof AssistantForm; message: string } {
  if (form.name.trim() === '') return { ok: false, field: 'name', message: 'Name: give the assistant a name.' };
  if (form.model.trim() === '') return { ok: false, field: 'model', message: 'Model: choose the model it uses (a group, provider/model or a local model).' };
  const fields: AssistantFields = { name: form.name.trim(), model: form.model.trim() };
  if (form.system.trim() !== '') fields.system = form.system;
  for (const { key, label, integer } of NUMERIC_FIELDS) {
    const text = form[key].trim().replace(/^−/, '-');
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || !/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) return { ok: false, field: key, message: `${label}: "${form[key]}" is not a number.` };
    if (integer && !Number.isInteger(value)) return { ok: false, field: key, message: `${label}: expected a whole number.` };
    fields[key] = value;
  }
  const stop = form.stop.split('\n').filter((line) => line !== '');
  if (stop.length > 0) fields.stop = stop;
  if (form.reasoningEffort !== '') fields.reasoningEffort = form.reasoningEffort;
  return { ok: true, fields };
}

/** The form field a config path names (`assistants[2].temperature` → temperature), or null. */
export function fieldOfPath(path: string): keyof AssistantForm | null {
  const match = /^assistants\[\d+\]\.(\w+)/.exec(path);
  const key = match?.[1];
  const known: readonly string[] = ['name', 'model', 'system', 'stop', 'reasoningEffort', ...NUMERIC_FIELDS.map((f) => f.key)];
  return key !== undefined && known.includes(key) ? (key as keyof AssistantForm) : null;
}

/** One line under an assistant in the list: its model and the parameters it sets. */
export function summarize(assistant: AssistantView): string {
  const parts = [assistant.model];
  for (const { key, label } of NUMERIC_FIELDS) {
    const value = assistant[key];
    if (value !== undefined) parts.push(`${label.toLowerCase()} ${value}`);
  }
  if (assistant.reasoningEffort !== undefined) parts.push(`reasoning ${assistant.reasoningEffort}`);
  if (assistant.stop !== undefined && assistant.stop.length > 0) parts.push(`${assistant.stop.length} stop sequence${assistant.stop.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
