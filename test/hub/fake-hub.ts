import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { drainOrClose } from '../../src/core/gateway/http-io';
import { writeTestModel } from '../../src/core/models/test-model';

/**
 * A local Hugging Face hub on 127.0.0.1 that answers in the hub's real API shapes, for the
 * `@huggingface/hub` client and our downloader:
 *
 * - `GET /api/models?search=&filter=gguf&sort=&limit=&expand=…` (siblings when `expand=siblings`
 *   or the client's `filePaths`), `GET /api/models/{repo}`, `GET /api/models/{repo}/tree/main`
 *   (with `lfs: { oid, size }` for LFS files), `POST /api/models/{repo}/paths-info/main`;
 * - `GET|HEAD /{repo}/resolve/main/{file}`: a 302 to `/cdn/…` with `X-Linked-Size`,
 *   `X-Linked-Etag` (the sha256) and `X-Repo-Commit`, as the real hub redirects LFS files to its
 *   CDN; the CDN serves the bytes with real Range semantics (206 + Content-Range, 416 past the
 *   end, `ETag`, `Accept-Ranges: bytes`).
 *
 * Faults are one-shot and apply to the next file body: a cut connection after N bytes, a stall
 * after N bytes (the socket stays open, silent), or an HTTP status. `ranges: false` makes the CDN
 * ignore Range (200 with the whole file), as some mirrors do.
 */

export interface FakeHubFile {
  /** The path inside the repo (`x.gguf`, `sub/x.gguf`, or a hostile `../x.gguf` for tests). */
  path: string;
  /** A file on disk (served by streaming), or bytes. */
  source: string | Uint8Array;
  /** Overrides the advertised LFS sha256 (a wrong one, to test verification). */
  sha256?: string;
}

export interface FakeHubRepo {
  id: string;
  files: FakeHubFile[];
  downloads?: number;
  likes?: number;
  /** Default `['gguf']`. */
  tags?: string[];
}

export type FakeHubFault =
  | { kind: 'cut'; afterBytes: number }
  | { kind: 'stall'; afterBytes: number }
  | { kind: 'status'; status: number };

export interface FakeHubRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
}

export interface FakeHubOptions {
  repos?: FakeHubRepo[];
  /** Honour Range requests (default true). */
  ranges?: boolean;
  /** Throttle every file body to about this rate. */
  bytesPerSecond?: number;
}

export interface FakeHub {
  /** `http://127.0.0.1:PORT`: `hub.url` in switchboard.yaml, or `HF_ENDPOINT`. */
  readonly url: string;
  readonly requests: FakeHubRequest[];
  /** Body bytes of files written to sockets so far (what a client was sent, read or not). */
  readonly servedBytes: number;
  addRepo(repo: FakeHubRepo): Promise<void>;
  /** Queues a one-shot fault for the next file body. */
  fault(fault: FakeHubFault): void;
  setBytesPerSecond(bytesPerSecond: number | undefined): void;
  setRanges(ranges: boolean): void;
  /** The advertised sha256 of a file. */
  sha256Of(repo: string, path: string): string | undefined;
  close(): Promise<void>;
}

interface ServedFile {
  repo: string;
  path: string;
  source: string | Uint8Array;
  size: number;
  sha256: string;
  /** A git blob id stand-in (the hub's `oid` for the pointer file). */
  gitOid: string;
}

interface ServedRepo {
  id: string;
  downloads: number;
  likes: number;
  tags: string[];
  lastModified: string;
  sha: string;
  files: ServedFile[];
}

const CDN_PREFIX = '/cdn/';

export async function startFakeHub(options: FakeHubOptions = {}): Promise<FakeHub> {
  const repos = new Map<string, ServedRepo>();
  const cdn = new Map<string, ServedFile>();
  const requests: FakeHubRequest[] = [];
  const faults: FakeHubFault[] = [];
  const sockets = new Set<Socket>();
  let ranges = options.ranges ?? true;
  let bytesPerSecond = options.bytesPerSecond;
  let servedBytes = 0;

  async function addRepo(repo: FakeHubRepo): Promise<void> {
    const files: ServedFile[] = [];
    for (const file of repo.files) {
      const { size, sha256 } = await describe(file.source);
      const served: ServedFile = {
        repo: repo.id,
        path: file.path,
        source: file.source,
        size,
        sha256: file.sha256 ?? sha256,
        gitOid: createHash('sha1').update(`${repo.id}/${file.path}`).digest('hex'),
      };
      files.push(served);
      cdn.set(cdnKey(served), served);
    }
    repos.set(repo.id, {
      id: repo.id,
      downloads: repo.downloads ?? 0,
      likes: repo.likes ?? 0,
      tags: repo.tags ?? ['gguf'],
      lastModified: '2025-11-01T12:00:00.000Z',
      sha: createHash('sha1').update(repo.id).digest('hex'),
      files,
    });
  }
  for (const repo of options.repos ?? []) await addRepo(repo);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const log: FakeHubRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, range: req.headers.range ?? null, status: 0 };
    requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    res.on('close', () => (log.status ||= res.statusCode));
    handle(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = decodeURIComponent(url.pathname);
    if (path === '/api/models' && req.method === 'GET') return search(res, url);
    if (path.startsWith('/api/models/')) return api(req, res, url, path.slice('/api/models/'.length));
    if (path.startsWith(CDN_PREFIX)) return serveFile(req, res, cdn.get(url.pathname.slice(CDN_PREFIX.length)));
    const resolved = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolved && (req.method === 'GET' || req.method === 'HEAD')) {
      const repo = repos.get(decodeURIComponent(resolved[1] as string));
      if (repo === undefined) return hubError(res, 404, 'RepoNotFound', 'Repository not found');
      const filePath = (resolved[3] as string).split('/').map(decodeURIComponent).join('/');
      const file = repo.files.find((f) => f.path === filePath);
      if (file === undefined) return hubError(res, 404, 'EntryNotFound', `${filePath} does not exist on "main"`);
      res.writeHead(302, {
        Location: `${CDN_PREFIX}${cdnKey(file)}`,
        'X-Linked-Size': String(file.size),
        'X-Linked-Etag': `"${file.sha256}"`,
        ETag: `"${file.gitOid}"`,
        'X-Repo-Commit': repo.sha,
        'Content-Length': '0',
      });
      res.end();
      return;
    }
    hubError(res, 404, 'EntryNotFound', 'Not found');
  }

  function search(res: ServerResponse, url: URL): void {
    const query = (url.searchParams.get('search') ?? '').toLowerCase();
    const filters = url.searchParams.getAll('filter');
    const sort = url.searchParams.get('sort') ?? 'downloads';
    const limit = Number(url.searchParams.get('limit') ?? '50');
    const expand = url.searchParams.getAll('expand');
    const matching = [...repos.values()]
      .filter((r) => r.id.toLowerCase().includes(query) && filters.every((f) => r.tags.includes(f)))
      .sort((a, b) => (sort === 'likes' ? b.likes - a.likes : sort === 'lastModified' ? b.lastModified.localeCompare(a.lastModified) : b.downloads - a.downloads))
      .slice(0, Number.isFinite(limit) && limit > 0 ? limit : 50);
    json(res, 200, matching.map((r) => modelInfo(r, expand.includes('siblings'))));
  }

  function api(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): void | Promise<void> {
    const match = /^([^/]+\/[^/]+)(?:\/(tree|paths-info)\/([^/]+)(?:\/(.*))?)?$/.exec(rest);
    const repo = match ? repos.get(match[1] as string) : undefined;
    if (match === null || repo === undefined) return hubError(res, 404, 'RepoNotFound', 'Repository not found');
    if (match[2] === undefined) return json(res, 200, modelInfo(repo, true));
    if (match[2] === 'tree' && req.method === 'GET') {
      const prefix = match[4] ? `${match[4].replace(/\/$/, '')}/` : '';
      const recursive = url.searchParams.get('recursive') === 'true';
      const entries = repo.files
        .filter((f) => f.path.startsWith(prefix) && (recursive || !f.path.slice(prefix.length).includes('/')))
        .map(treeEntry);
      return json(res, 200, entries);
    }
    if (match[2] === 'paths-info' && req.method === 'POST') {
      return readBody(req).then((body) => {
        const paths = (JSON.parse(body || '{}') as { paths?: unknown }).paths;
        const wanted = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
        json(res, 200, repo.files.filter((f) => wanted.includes(f.path)).map(treeEntry));
      });
    }
    hubError(res, 404, 'EntryNotFound', 'Not found');
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, file: ServedFile | undefined): Promise<void> {
    if (file === undefined) return hubError(res, 404, 'EntryNotFound', 'Not found');
    const fault = req.method === 'GET' ? faults.shift() : undefined;
    if (fault?.kind === 'status') return hubError(res, fault.status, 'Fault', `injected ${fault.status}`);

    let start = 0;
    let end = file.size - 1;
    let status = 200;
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      ETag: `"${file.sha256}"`,
      ...(ranges && { 'Accept-Ranges': 'bytes' }),
    };
    const range = ranges ? req.headers.range : undefined;
    if (range !== undefined) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (m === null || (m[1] === '' && m[2] === '')) {
        // Multi-range or malformed: the whole file, as many servers do.
      } else if (m[1] === '') {
        start = Math.max(0, file.size - Number(m[2]));
        status = 206;
      } else {
        start = Number(m[1]);
        end = m[2] === '' ? file.size - 1 : Math.min(Number(m[2]), file.size - 1);
        status = 206;
        if (start >= file.size || start > end) {
          res.writeHead(416, { 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' });
          res.end();
          return;
        }
      }
      if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
    }
    const length = end - start + 1;
    headers['Content-Length'] = String(length);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') return void res.end();

    const limit = fault?.kind === 'cut' || fault?.kind === 'stall' ? Math.min(fault.afterBytes, length) : length;
    if (bytesPerSecond === undefined && fault === undefined && typeof file.source === 'string') {
      // The fast path: a plain file stream, so throughput benches measure the client, not us.
      // Counted when the socket hands a chunk to the kernel (the write callback), not when it is
      // read from disk: a chunk still in this process's buffers was never sent, and counting it made
      // a killed client look like it had received up to 2 MiB more than it had.
      const stream = createReadStream(file.source, { start, end, highWaterMark: 1 << 20 });
      stream.on('data', (chunk) => {
        const n = chunk.length;
        if (!res.write(chunk, (error) => void (error == null && (servedBytes += n)))) stream.pause();
      });
      res.on('drain', () => stream.resume());
      stream.once('end', () => res.end());
      stream.once('error', () => res.destroy());
      res.on('close', () => stream.destroy());
      return;
    }
    await pump(res, file, start, limit);
    if (res.destroyed) return;
    if (fault?.kind === 'cut') return void res.socket?.destroy();
    if (fault?.kind === 'stall') return; // silent until the client gives up (the socket is closed at close())
    res.end();
  }

  /** Writes [start, start + count) of the file, throttled when asked, honouring backpressure. */
  async function pump(res: ServerResponse, file: ServedFile, start: number, count: number): Promise<void> {
    const chunkSize = 64 * 1024;
    const handle = typeof file.source === 'string' ? await open(file.source, 'r') : undefined;
    try {
      let offset = start;
      let left = count;
      const began = Date.now();
      let sent = 0;
      while (left > 0 && !res.destroyed) {
        const n = Math.min(chunkSize, left);
        let chunk: Uint8Array;
        if (handle) {
          const buffer = Buffer.alloc(n);
          const { bytesRead } = await handle.read(buffer, 0, n, offset);
          chunk = buffer.subarray(0, bytesRead);
        } else {
          chunk = (file.source as Uint8Array).subarray(offset, offset + n);
        }
        if (chunk.length === 0) break;
        const length = chunk.length;
        const flushed = res.write(chunk, (error) => void (error == null && (servedBytes += length)));
        offset += chunk.length;
        left -= chunk.length;
        sent += chunk.length;
        if (!flushed) await drainOrClose(res);
        if (bytesPerSecond !== undefined) {
          const due = began + (sent / bytesPerSecond) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    } finally {
      await handle?.close();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get servedBytes() {
      return servedBytes;
    },
    addRepo,
    fault: (fault) => void faults.push(fault),
    setBytesPerSecond: (n) => void (bytesPerSecond = n),
    setRanges: (on) => void (ranges = on),
    sha256Of: (repo, path) => repos.get(repo)?.files.find((f) => f.path === path)?.sha256,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Generated GGUF repos for tests and e2e, written under `dir`:
 * `switchboard-test/tiny-GGUF` (tiny-Q8_0.gguf, tiny-F32.gguf: two different seeds of the tiny
 * preset, about 1 MB each) and `switchboard-test/small-GGUF` (small-F16.gguf, tens of MB) unless
 * `small: false`.
 */
export async function testModelRepos(dir: string, options: { small?: boolean } = {}): Promise<FakeHubRepo[]> {
  const a = await writeTestModel(join(dir, 'tiny-a.gguf'), { preset: 'tiny', seed: 1 });
  const b = await writeTestModel(join(dir, 'tiny-b.gguf'), { preset: 'tiny', seed: 2 });
  const repos: FakeHubRepo[] = [
    {
      id: 'switchboard-test/tiny-GGUF',
      downloads: 500,
      likes: 7,
      files: [
        { path: 'tiny-Q8_0.gguf', source: a.path },
        { path: 'tiny-F32.gguf', source: b.path },
      ],
    },
  ];
  if (options.small !== false) {
    const small = await writeTestModel(join(dir, 'small.gguf'), { preset: 'small', seed: 3 });
    repos.push({ id: 'switchboard-test/small-GGUF', downloads: 100, likes: 2, files: [{ path: 'small-F16.gguf', source: small.path }] });
  }
  return repos;
}

function modelInfo(repo: ServedRepo, withSiblings: boolean) {
  return {
    _id: repo.sha.slice(0, 24),
    id: repo.id,
    modelId: repo.id,
    author: repo.id.split('/')[0],
    sha: repo.sha,
    private: false,
    gated: false,
    disabled: false,
    downloads: repo.downloads,
    likes: repo.likes,
    lastModified: repo.lastModified,
    createdAt: repo.lastModified,
    pipeline_tag: 'text-generation',
    library_name: 'gguf',
    tags: repo.tags,
    ...(withSiblings && { siblings: repo.files.map((f) => ({ rfilename: f.path })) }),
  };
}

function treeEntry(file: ServedFile) {
  return { type: 'file', oid: file.gitOid, size: file.size, path: file.path, lfs: { oid: file.sha256, size: file.size, pointerSize: 134 } };
}

function cdnKey(file: ServedFile): string {
  return `${file.sha256}-${createHash('sha1').update(`${file.repo}\0${file.path}`).digest('hex').slice(0, 12)}`;
}

async function describe(source: string | Uint8Array): Promise<{ size: number; sha256: string }> {
  if (typeof source !== 'string') return { size: source.length, sha256: createHash('sha256').update(source).digest('hex') };
  const { size } = await stat(source);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { size, sha256: hash.digest('hex') };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function hubError(res: ServerResponse, status: number, code: string, message: string): void {
  const text = JSON.stringify({ error: message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Error-Code': code, 'X-Error-Message': message, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
