import { GGMLFileQuantizationType, gguf } from '@huggingface/gguf';
import { listFiles, listModels, pathsInfo } from '@huggingface/hub';
import { HubError, toHubError } from './hub-error';

export interface HubListedFile {
  path: string;
  sizeBytes: number;
  /** The LFS oid, which is the file's sha256; null for a file stored in git itself. */
  sha256: string | null;
}

export interface HubListedRepo {
  id: string;
  downloads: number | null;
  likes: number | null;
  updatedAt: string | null;
  /** Its GGUF files only. */
  files: HubListedFile[];
}

export interface HubFileLocation {
  url: string;
  size: number;
  sha256: string | null;
  headers: Record<string, string>;
}

export interface RemoteGgufHeader {
  rangeSupported: boolean;
  sizeBytes: number | null;
  architecture: string | null;
  parameterCount: number | null;
  quantization: string | null;
  contextLength: number | null;
  hasChatTemplate: boolean | null;
}

export interface HubClient {
  readonly hubUrl: string;
  /** Repos tagged `gguf` matching the query, each with its GGUF files and their sizes. */
  search(params: { query: string; limit: number; sort: 'downloads' | 'likes' | 'updated' }, signal?: AbortSignal): Promise<HubListedRepo[]>;
  repo(repo: string, signal?: AbortSignal): Promise<HubListedRepo>;
  /** Where to download a file from, its size and its sha256 (the LFS oid). */
  locate(repo: string, file: string, signal?: AbortSignal): Promise<HubFileLocation>;
  /** The GGUF header over HTTP Range, without downloading the weights; nothing is read when ranges are refused. */
  readHeader(repo: string, file: string, signal?: AbortSignal): Promise<RemoteGgufHeader>;
  /** `<hub>/<repo>/resolve/main/<file>`, each path segment encoded. */
  resolveUrl(repo: string, file: string): string;
  authHeaders(): Record<string, string>;
}

const SORT = { downloads: 'downloads', likes: 'likes', updated: 'lastModified' } as const;
/** File listings fetched at once during a search. */
const LISTING_CONCURRENCY = 4;

/** The hub through `@huggingface/hub` (search, listings, file info) and `@huggingface/gguf` (remote headers). */
export function createHubClient(options: { hubUrl: string; token?: string; fetch?: typeof fetch }): HubClient {
  const hubUrl = options.hubUrl;
  const baseFetch = options.fetch ?? fetch;
  const credentials = options.token === undefined ? {} : { accessToken: options.token };
  const fetchWith = (signal: AbortSignal | undefined): typeof fetch => (input, init) => baseFetch(input, { ...init, ...(signal && { signal }) });
  const authHeaders = (): Record<string, string> => (options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` });

  async function ggufFiles(repo: string, signal: AbortSignal | undefined): Promise<HubListedFile[]> {
    const files: HubListedFile[] = [];
    for await (const entry of listFiles({ repo, recursive: true, hubUrl, fetch: fetchWith(signal), ...credentials })) {
      if (entry.type !== 'file' || !entry.path.toLowerCase().endsWith('.gguf')) continue;
      files.push({ path: entry.path, sizeBytes: entry.lfs?.size ?? entry.size, sha256: shaOf(entry.lfs?.oid) });
    }
    return files.sort((a, b) => a.sizeBytes - b.sizeBytes || a.path.localeCompare(b.path));
  }

  const resolveUrl = (repo: string, file: string) => `${hubUrl}/${repo}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`;

  return {
    hubUrl,
    resolveUrl,
    authHeaders,

    async search({ query, limit, sort }, signal) {
      const found: Array<Omit<HubListedRepo, 'files'>> = [];
      try {
        for await (const entry of listModels({
          search: { ...(query.trim() !== '' && { query: query.trim() }), tags: ['gguf'] },
          additionalFields: ['filePaths'],
          limit,
          sort: SORT[sort],
          hubUrl,
          fetch: fetchWith(signal),
          ...credentials,
        })) {
          if (!(entry.filePaths ?? []).some((p) => p.toLowerCase().endsWith('.gguf'))) continue;
          found.push({ id: entry.name, downloads: entry.downloads ?? null, likes: entry.likes ?? null, updatedAt: isoOrNull(entry.updatedAt) });
        }
      } catch (error) {
        throw toHubError(error, hubUrl, 'Searching models');
      }
      const repos: HubListedRepo[] = new Array(found.length);
      let next = 0;
      const worker = async () => {
        while (next < found.length) {
          const index = next++;
          const repo = found[index] as Omit<HubListedRepo, 'files'>;
          try {
            repos[index] = { ...repo, files: await ggufFiles(repo.id, signal) };
          } catch (error) {
            throw toHubError(error, hubUrl, `Listing the files of ${repo.id}`);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(LISTING_CONCURRENCY, found.length) }, worker));
      return repos.filter((r) => r.files.length > 0);
    },

    async repo(repo, signal) {
      try {
        const files = await ggufFiles(repo, signal);
        return { id: repo, downloads: null, likes: null, updatedAt: null, files };
      } catch (error) {
        throw toHubError(error, hubUrl, `Listing the files of ${repo}`);
      }
    },

    async locate(repo, file, signal) {
      let entries: Awaited<ReturnType<typeof pathsInfo>>;
      try {
        entries = await pathsInfo({ repo, paths: [file], hubUrl, fetch: fetchWith(signal), ...credentials });
      } catch (error) {
        throw toHubError(error, hubUrl, `Looking up ${repo}/${file}`);
      }
      const entry = entries.find((e) => e.path === file && e.type === 'file');
      if (entry === undefined) throw new HubError('not_found', `${repo} has no file ${file} on the hub at ${hubUrl}.`);
      return { url: resolveUrl(repo, file), size: entry.lfs?.size ?? entry.size, sha256: shaOf(entry.lfs?.oid), headers: authHeaders() };
    },

    async readHeader(repo, file, signal) {
      const url = resolveUrl(repo, file);
      const doFetch = fetchWith(signal);
      let probe: Response;
      try {
        probe = await doFetch(url, { headers: { ...authHeaders(), Range: 'bytes=0-0' } });
        await probe.body?.cancel();
      } catch (error) {
        throw toHubError(error, hubUrl, `Reading the header of ${repo}/${file}`);
      }
      if (probe.status === 404) throw new HubError('not_found', `${repo} has no file ${file} on the hub at ${hubUrl}.`, 404);
      if (probe.status !== 206) {
        if (probe.status !== 200) throw new HubError('unavailable', `Reading the header of ${repo}/${file}: the hub at ${hubUrl} answered ${probe.status}.`, probe.status);
        return { rangeSupported: false, sizeBytes: numberOrNull(probe.headers.get('content-length')), architecture: null, parameterCount: null, quantization: null, contextLength: null, hasChatTemplate: null };
      }
      const sizeBytes = numberOrNull(/\/(\d+)$/.exec(probe.headers.get('content-range') ?? '')?.[1] ?? null);
      try {
        const parsed = await gguf(url, { fetch: doFetch, additionalFetchHeaders: authHeaders(), computeParametersCount: true });
        const metadata = parsed.metadata as Record<string, unknown>;
        const architecture = typeof metadata['general.architecture'] === 'string' ? metadata['general.architecture'] : null;
        const fileType = metadata['general.file_type'];
        return {
          rangeSupported: true,
          sizeBytes,
          architecture,
          parameterCount: numberOrNull(parsed.parameterCount),
          quantization: typeof fileType === 'number' || typeof fileType === 'bigint' ? (GGMLFileQuantizationType[Number(fileType)] ?? null) : null,
          contextLength: architecture === null ? null : numberOrNull(metadata[`${architecture}.context_length`]),
          hasChatTemplate: typeof metadata['tokenizer.chat_template'] === 'string' && metadata['tokenizer.chat_template'] !== '',
        };
      } catch (error) {
        if (error instanceof Error && /magic|GGUF/i.test(error.message)) throw new HubError('bad_response', `${repo}/${file} is not a GGUF file (${error.message}).`);
        throw toHubError(error, hubUrl, `Reading the header of ${repo}/${file}`);
      }
    },
  };
}

function shaOf(oid: string | undefined): string | null {
  return oid !== undefined && /^[0-9a-f]{64}$/.test(oid) ? oid : null;
}

function isoOrNull(date: Date | undefined): string | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function numberOrNull(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
