import { describe, expect, it } from 'vitest';
import { formatIssues, parseConfigText } from '../config';
import { assistantCallSettings, findAssistant, joinSystemPrompts, mergeCallSettings } from './assistants-apply';

/** The `assistants:` section of switchboard.yaml: shape, ranges, unique names, and what a chat sends from it. */
const PROVIDERS = `providers:\n  try: { type: mock }\ngroups:\n  fast:\n    deployments: [{ provider: try, model: mock-1 }]\n`;

const parse = (assistants: string, env: Record<string, string> = {}) => parseConfigText(`${PROVIDERS}assistants:\n${assistants}`, { env });
const errorsOf = (assistants: string) => {
  const loaded = parse(assistants);
  if (loaded.ok) throw new Error('expected the config to be refused');
  return formatIssues(loaded.errors);
};

describe('assistants in switchboard.yaml', () => {
  it('reads a preset with a multi-line prompt and every parameter (text from ${ENV} too)', () => {
    const loaded = parse(
      `  - name: Code reviewer
    model: fast
    system: |
      You review code.
      Be brief.
    temperature: \${REVIEW_TEMP}
    topP: 0.9
    topK: 40
    maxOutputTokens: 512
    stop: ["###"]
    seed: 7
    frequencyPenalty: -0.5
    presencePenalty: 1
    reasoningEffort: low
  - { name: Translator, model: try/mock-1 }
`,
      { REVIEW_TEMP: '0.2' },
    );
    if (!loaded.ok) throw new Error(formatIssues(loaded.errors));
    expect(loaded.config.assistants).toEqual([
      {
        name: 'Code reviewer',
        model: 'fast',
        system: 'You review code.\nBe brief.\n',
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 512,
        stop: ['###'],
        seed: 7,
        frequencyPenalty: -0.5,
        presencePenalty: 1,
        reasoningEffort: 'low',
      },
      { name: 'Translator', model: 'try/mock-1' },
    ]);
  });

  it('is an empty list when absent', () => {
    const loaded = parseConfigText(PROVIDERS);
    expect(loaded.ok && loaded.config.assistants).toEqual([]);
  });

  it('refuses out-of-range parameters, naming the field and the range', () => {
    expect(errorsOf('  - { name: Hot, model: fast, temperature: 3.5 }\n')).toBe('assistants[0].temperature: 3.5 is out of range: expected 0 to 2');
    expect(errorsOf('  - { name: A, model: fast, topP: 0 }\n')).toBe('assistants[0].topP: 0 is out of range: expected more than 0 and at most 1');
    expect(errorsOf('  - { name: A, model: fast, maxOutputTokens: 0 }\n')).toBe('assistants[0].maxOutputTokens: expected at least 1');
    expect(errorsOf('  - { name: A, model: fast, presencePenalty: -3 }\n')).toBe('assistants[0].presencePenalty: -3 is out of range: expected -2 to 2');
    expect(errorsOf('  - { name: A, model: fast, temperature: warm }\n')).toBe('assistants[0].temperature: expected a number from 0 to 2');
    expect(errorsOf('  - { name: A, model: fast, reasoningEffort: max }\n')).toBe('assistants[0].reasoningEffort: expected low, medium or high');
  });

  it('refuses a duplicate name (ignoring case), naming the second one', () => {
    expect(errorsOf('  - { name: Writer, model: fast }\n  - { name: writer, model: fast }\n')).toBe(
      'assistants[1].name: another assistant (assistants[0]) is already named "writer"; choose another name',
    );
  });

  it('refuses a missing name or model, an unknown provider in a provider/model, and a misspelt key', () => {
    expect(errorsOf('  - { name: "  ", model: fast }\n')).toBe('assistants[0].name: expected a name');
    expect(errorsOf('  - { name: A }\n')).toContain('assistants[0].model: expected a model');
    expect(errorsOf('  - { name: A, model: opnai/gpt-4o }\n')).toBe('assistants[0].model: unknown provider "opnai" in "opnai/gpt-4o"; configured: local, try');
    expect(errorsOf('  - { name: A, model: fast, temp: 1 }\n')).toContain('assistants[0]');
    expect(errorsOf('  - { name: A, model: fast, temp: 1 }\n')).toContain('temp');
  });
});

describe('what a chat sends from an assistant', () => {
  const reviewer = { name: 'Code reviewer', model: 'fast', system: 'Review.', temperature: 0.2, topP: 0.9, maxOutputTokens: 512, frequencyPenalty: 0.5, reasoningEffort: 'low' as const };

  it('maps its parameters to the spec settings (penalties as the OpenAI provider options, as core/params does)', () => {
    expect(assistantCallSettings(reviewer)).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 512,
      reasoning: { effort: 'low' },
      providerOptions: { openai: { frequency_penalty: 0.5 } },
    });
  });

  it('lets explicit per-request values win and keeps the rest', () => {
    expect(mergeCallSettings(assistantCallSettings(reviewer), { temperature: 1, maxOutputTokens: undefined })).toMatchObject({
      temperature: 1,
      topP: 0.9,
      maxOutputTokens: 512,
    });
  });

  it('puts its system prompt before the request\'s own', () => {
    expect(joinSystemPrompts('Review.', 'Answer in French.')).toBe('Review.\n\nAnswer in French.');
    expect(joinSystemPrompts(undefined, 'Only mine.')).toBe('Only mine.');
    expect(joinSystemPrompts('  ', undefined)).toBeUndefined();
  });

  it('finds one by name ignoring case and spaces around it', () => {
    expect(findAssistant([reviewer], ' code REVIEWER ')).toBe(reviewer);
    expect(findAssistant([reviewer], 'Writer')).toBeUndefined();
  });
});
