import { remoteDatabaseName } from '../../src/main/sync/sync-collections';
import type { CouchServer } from './couch-server';
import { SYNC_DB } from './sync-devices';

// A hostile server's hand: documents written straight into the server's databases, as
// whoever controls the server (or holds its password) could, bypassing every device.
const authHeaders = (server: CouchServer): Record<string, string> =>
  server.admin ? { Authorization: `Basic ${Buffer.from(`${server.admin.username}:${server.admin.password}`).toString('base64')}` } : {};

const docUrl = (server: CouchServer, collection: string, id: string) =>
  `${server.url}/${encodeURIComponent(remoteDatabaseName(SYNC_DB, collection))}/${encodeURIComponent(id)}`;

// `body` is raw JSON text, so keys such as "__proto__" reach the server as written.
// A large body can meet a reset connection on a loaded machine: it is sent once more, and a
// 409 then means the first attempt was stored after all.
export async function forgeRaw(server: CouchServer, collection: string, id: string, body: string): Promise<void> {
  const put = () => fetch(docUrl(server, collection, id), { method: 'PUT', headers: { 'content-type': 'application/json', ...authHeaders(server) }, body });
  let retried = false;
  let r: Response;
  try {
    r = await put();
  } catch {
    retried = true;
    r = await put();
  }
  if (!r.ok && !(retried && r.status === 409)) throw new Error(`forging ${collection}/${id}: ${r.status} ${(await r.text()).slice(0, 200)}`);
}

export async function forge(server: CouchServer, collection: string, doc: Record<string, unknown> & { id: string }): Promise<void> {
  const { id, ...rest } = doc;
  await forgeRaw(server, collection, id, JSON.stringify(rest));
}

// The server's copy of a document (its _id and _rev included), to edit and write back.
export async function serverDoc(server: CouchServer, collection: string, id: string): Promise<Record<string, unknown>> {
  const r = await fetch(docUrl(server, collection, id), { headers: authHeaders(server) });
  if (!r.ok) throw new Error(`reading ${collection}/${id}: ${r.status}`);
  return (await r.json()) as Record<string, unknown>;
}
