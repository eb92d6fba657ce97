import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PROVIDER_TYPES, configSchema } from '../config';
import { HAND_WRITTEN_KEYS, providerTypeInfos } from './provider-fields';

/** The provider objects of the config schema, by type: the settings form must match them. */
function schemaByType(): Map<string, Record<string, z.ZodType>> {
  const providers = configSchema.shape.providers.unwrap();
  const union = providers.valueType as unknown as z.ZodDiscriminatedUnion<z.ZodObject[]>;
  const out = new Map<string, Record<string, z.ZodType>>();
  for (const option of union.options) {
    const type = (option.shape.type as z.ZodLiteral<string>).value;
    out.set(type, option.shape as Record<string, z.ZodType>);
  }
  return out;
}

describe('provider fields', () => {
  it('covers every schema setting of every type, as a form field or as hand-written', () => {
    const schema = schemaByType();
    const infos = providerTypeInfos();
    expect(infos.map((i) => i.type).sort()).toEqual(PROVIDER_TYPES.filter((t) => t !== 'local').sort());
    for (const info of infos) {
      const shape = schema.get(info.type)!;
      const keys = Object.keys(shape);
      for (const field of info.fields) expect(field.required, `${info.type}.${field.key}`).toBe(!shape[field.key]!.safeParse(undefined).success);
      const covered = [...info.fields.map((f) => f.key), ...(HAND_WRITTEN_KEYS[info.type] ?? [])];
      expect(covered.sort(), info.type).toEqual([...keys].sort());
      // a type takes a key exactly when its schema has apiKey
      expect(info.key.supported, info.type).toBe(keys.includes('apiKey'));
    }
  });

  it('marks the settings the schema requires', () => {
    const required = (type: string) => providerTypeInfos().find((i) => i.type === type)!.fields.filter((f) => f.required).map((f) => f.key);
    expect(required('azure')).toEqual(['endpoint', 'apiVersion']);
    expect(required('openai-compatible')).toEqual(['baseURL']);
    expect(required('openai')).toEqual([]);
  });
});
