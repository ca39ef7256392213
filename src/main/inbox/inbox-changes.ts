import type { InboxProblemKind } from '../../shared/api/relay-channels';

// Reads the relay's inbox database pull-only, through CouchDB's `_changes` feed from a
// checkpoint. The device never writes to the inbox: the relay's user alone can, and a
// device's credentials may well be read-only there.
export type InboxPage = { docs: unknown[]; lastSeq: string; pending: number | null };

export class InboxReadError extends Error {
  readonly kind: InboxProblemKind;
  constructor(kind: InboxProblemKind, message: string) {
    super(message);
    this.name = 'InboxReadError';
    this.kind = kind;
  }
}

export type InboxConnection = { url: string; database: string; username: string; password: string };

export function createInboxChanges(c: InboxConnection) {
  const dbUrl = `${c.url.replace(/\/+$/, '')}/${encodeURIComponent(c.database)}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (c.username || c.password) headers.Authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;

  const get = async (url: string, signal: AbortSignal): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal });
    } catch (e) {
      if (signal.aborted) throw e;
      const detail = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      throw new InboxReadError('unreachable', detail);
    }
    const text = await response.text();
    if (!response.ok) {
      const kind: InboxProblemKind = response.status === 401 ? 'unauthorized' : response.status === 403 ? 'forbidden' : response.status === 404 ? 'inbox_missing' : 'server_error';
      throw new InboxReadError(kind, `HTTP ${response.status} ${text.slice(0, 200)}`.trim());
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new InboxReadError('server_error', 'The server answered with something that is not JSON.');
    }
  };

  return {
    // One page of changes after `since`. With waitMs > 0 the server holds the request until
    // something arrives (long poll), so a new delivery is seen within a round trip.
    async page(since: string, limit: number, waitMs: number, signal: AbortSignal): Promise<InboxPage> {
      const q = new URLSearchParams({ since: since || '0', limit: String(limit), include_docs: 'true', style: 'main_only' });
      if (waitMs > 0) {
        q.set('feed', 'longpoll');
        q.set('timeout', String(waitMs));
      }
      const body = (await get(`${dbUrl}/_changes?${q}`, signal)) as { results?: unknown; last_seq?: unknown; pending?: unknown };
      if (!Array.isArray(body.results)) throw new InboxReadError('server_error', 'The changes feed has no results list.');
      const docs = body.results.flatMap((r: unknown) => {
        const row = r as { doc?: unknown; deleted?: unknown };
        return row.deleted === true || row.doc === undefined ? [] : [row.doc];
      });
      return { docs, lastSeq: String(body.last_seq ?? since), pending: typeof body.pending === 'number' ? body.pending : null };
    },
    async docCount(signal: AbortSignal): Promise<number> {
      const info = (await get(dbUrl, signal)) as { doc_count?: unknown };
      return typeof info.doc_count === 'number' ? info.doc_count : 0;
    },
  };
}
