import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Named bearer tokens for the gateway. The secret is shown once, at creation; the file keeps only
 * its SHA-256, so a copy of the data dir does not give access. A token's name is the `client`
 * recorded on every call made with it.
 *
 * Stored as `<dataDir>/gateway-tokens.json`, mode 0600, written to a temp file and renamed, so a
 * crash never leaves half a file. A running gateway re-reads the file when it changes, so a token
 * created or revoked with the CLI applies at once.
 */

export const TOKENS_FILE = 'gateway-tokens.json';
const TOKEN_PREFIX = 'sbk-';
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The clients the app's own callers are recorded as: a token named so would be mistaken for them (and match their rules). */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['chat', 'cli', 'ipc', 'ws', 'router']);

const tokenRecordSchema = z.strictObject({
  name: z.string().regex(NAME_RE),
  /** hex SHA-256 of the secret. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** `sbk-…abcd`: enough to tell tokens apart, not to use one. */
  hint: z.string(),
  createdAt: z.number().int(),
});
const tokensFileSchema = z.strictObject({ version: z.literal(1), tokens: z.array(tokenRecordSchema) });

export type GatewayTokenRecord = z.infer<typeof tokenRecordSchema>;
/** What `list` shows: never the hash. */
export type GatewayTokenInfo = Pick<GatewayTokenRecord, 'name' | 'hint' | 'createdAt'>;

export class GatewayTokenError extends Error {
  override readonly name = 'GatewayTokenError';
  constructor(
    readonly code: 'INVALID_NAME' | 'EXISTS' | 'NOT_FOUND' | 'BAD_FILE',
    message: string,
  ) {
    super(message);
  }
}

export interface GatewayTokens {
  readonly path: string;
  /** Makes a token; the secret is in the result and nowhere else. */
  create(name: string): { token: string; info: GatewayTokenInfo };
  list(): GatewayTokenInfo[];
  /** False when no token has that name. */
  revoke(name: string): boolean;
  /** The name of the token this secret belongs to, or undefined. Constant time per stored token. */
  verify(secret: string | undefined): string | undefined;
}

// One-shot `hash` (no Hash object): it runs on every gateway request.
const sha256 = (text: string) => hash('sha256', text, 'buffer');

export function openGatewayTokens(dataDir: string, clock: () => number = Date.now): GatewayTokens {
  const path = join(dataDir, TOKENS_FILE);
  let cache: { stamp: string; records: GatewayTokenRecord[]; hashes: Buffer[] } | undefined;

  /** The file's identity and change time; '' when it does not exist. */
  function stamp(): string {
    try {
      const s = statSync(path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  function read(): GatewayTokenRecord[] {
    const now = stamp();
    if (cache?.stamp === now) return cache.records;
    const records = now === '' ? [] : parse(readFileSync(path, 'utf8'));
    cache = { stamp: now, records, hashes: records.map((r) => Buffer.from(r.sha256, 'hex')) };
    return records;
  }

  function parse(text: string): GatewayTokenRecord[] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayTokenError('BAD_FILE', `${path} is not valid JSON; fix it or delete it (every token is then revoked)`);
    }
    const result = tokensFileSchema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new GatewayTokenError('BAD_FILE', `${path}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}; fix it or delete it`);
    }
    return result.data.tokens;
  }

  function write(records: GatewayTokenRecord[]): void {
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ version: 1, tokens: records }, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    cache = undefined;
  }

  const info = (r: GatewayTokenRecord): GatewayTokenInfo => ({ name: r.name, hint: r.hint, createdAt: r.createdAt });

  return {
    path,
    create(name) {
      if (!NAME_RE.test(name)) {
        throw new GatewayTokenError('INVALID_NAME', `token name "${name}": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
      }
      if (RESERVED_NAMES.has(name.toLowerCase())) {
        throw new GatewayTokenError('INVALID_NAME', `token name "${name}" is the name of one of Switchboard's own clients (${[...RESERVED_NAMES].join(', ')}); pick another`);
      }
      const records = read();
      if (records.some((r) => r.name === name)) {
        throw new GatewayTokenError('EXISTS', `a token named "${name}" already exists; revoke it first or pick another name`);
      }
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const record: GatewayTokenRecord = {
        name,
        sha256: sha256(token).toString('hex'),
        hint: `${TOKEN_PREFIX}…${token.slice(-4)}`,
        createdAt: clock(),
      };
      write([...records, record]);
      return { token, info: info(record) };
    },
    list: () => read().map(info),
    revoke(name) {
      const records = read();
      const kept = records.filter((r) => r.name !== name);
      if (kept.length === records.length) return false;
      write(kept);
      return true;
    },
    verify(secret) {
      if (secret === undefined || secret.length === 0 || secret.length > 512) return undefined;
      const records = read();
      const hashes = cache?.hashes ?? [];
      const given = sha256(secret);
      let found: string | undefined;
      // Every stored hash is compared, so timing says nothing about which one (if any) matched.
      for (let i = 0; i < records.length; i++) {
        const expected = hashes[i];
        if (expected !== undefined && timingSafeEqual(expected, given) && found === undefined) found = records[i]?.name;
      }
      return found;
    },
  };
}
