import type { SyncConnectionCheck, SyncProblem, SyncProblemKind } from '../../shared/api/sync-channels';

export type CouchCredentials = { username: string; password: string };

// Plain words for the log and for callers without translations; the UI translates the kind.
const PROBLEM_TEXT: Record<SyncProblemKind, string> = {
  unauthorized: 'The server refused the user name or password.',
  forbidden: 'This user may not read or write the sync databases.',
  database_missing: 'A sync database does not exist on the server.',
  unreachable: 'The server cannot be reached (no network, wrong address, or the server is down).',
  server_error: 'The server reported an internal error.',
  credentials_unreadable: 'The saved password cannot be read on this computer any more; enter it again.',
};

export const problem = (kind: SyncProblemKind, at: Date, detail = ''): SyncProblem => ({
  kind,
  message: detail ? `${PROBLEM_TEXT[kind]} (${detail})` : PROBLEM_TEXT[kind],
  at: at.toISOString(),
});

export const problemForStatus = (status: number): SyncProblemKind =>
  status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'database_missing' : 'server_error';

// Thrown for a non-2xx answer so RxDB's replication treats it as a failed attempt and
// retries, instead of reading an error body as data.
export class CouchHttpError extends Error {
  readonly kind: SyncProblemKind;
  constructor(kind: SyncProblemKind, message: string) {
    super(message);
    this.name = 'CouchHttpError';
    this.kind = kind;
  }
}

export type CouchFetchObserver = {
  onSuccess(): void;
  onProblem(kind: SyncProblemKind, detail: string): void;
};

const authHeader = (c: CouchCredentials) =>
  c.username || c.password ? `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}` : '';

// The fetch RxDB's CouchDB replication uses: basic auth, one abort signal for the whole
// session (stopping sync cancels the long-polls at once), and every outcome reported.
export function createCouchFetch(credentials: CouchCredentials, signal: AbortSignal, observer: CouchFetchObserver): typeof fetch {
  const auth = authHeader(credentials);
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (auth) headers.set('Authorization', auth);
    let response: Response;
    try {
      response = await fetch(input, { ...init, headers, signal });
    } catch (e) {
      if (!signal.aborted) observer.onProblem('unreachable', e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e));
      throw e;
    }
    if (!response.ok) {
      const kind = problemForStatus(response.status);
      const body = await response.text().catch(() => '');
      const detail = `HTTP ${response.status} ${body.slice(0, 200)}`.trim();
      observer.onProblem(kind, detail);
      throw new CouchHttpError(kind, detail);
    }
    observer.onSuccess();
    return response;
  };
}

export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path}`;

// Checks what a replication needs: the server answers, the credentials are accepted and
// every database exists. Reads only.
export async function checkCouchConnection(
  url: string,
  databases: readonly string[],
  credentials: CouchCredentials,
  now: () => Date,
  timeoutMs = 10_000,
): Promise<SyncConnectionCheck> {
  const auth = authHeader(credentials);
  const missing: string[] = [];
  let docCount = 0;
  for (const db of databases) {
    let response: Response;
    try {
      response = await fetch(joinUrl(url, encodeURIComponent(db)), {
        headers: auth ? { Authorization: auth } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const detail = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      return { ok: false, problem: problem('unreachable', now(), detail), missing: [] };
    }
    if (response.status === 404) {
      missing.push(db);
      continue;
    }
    if (!response.ok) return { ok: false, problem: problem(problemForStatus(response.status), now(), `HTTP ${response.status}`), missing: [] };
    const info = (await response.json().catch(() => ({}))) as { doc_count?: unknown };
    if (typeof info.doc_count === 'number') docCount += info.doc_count;
  }
  if (missing.length) return { ok: false, problem: problem('database_missing', now(), missing.join(', ')), missing };
  return { ok: true, databases: [...databases], docCount };
}
