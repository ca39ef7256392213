import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// A real CouchDB-protocol server (pouchdb-server) for sync tests: a free port on
// 127.0.0.1, its own temp folder, and a restart on the same port and data.
const SERVER_BIN = resolve('node_modules/pouchdb-server/bin/pouchdb-server');

export type CouchServer = {
  url: string;
  port: number;
  dir: string;
  admin: { username: string; password: string } | null;
  createDatabases(names: readonly string[]): Promise<void>;
  // Create a server admin; afterwards only credentialed requests may create databases.
  addAdmin(username: string, password: string): Promise<void>;
  docCount(db: string): Promise<number>;
  allDocs(db: string): Promise<Array<Record<string, unknown>>>;
  // SIGKILL: the server dies mid-request, as a crash or a pulled plug would.
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// `dir`: a folder of an earlier server's data to serve (benches start from a cached copy); it is
// removed on stop like a temp folder unless `keep` (a bench filling a server to cache it).
export async function startCouchServer(options: { dir?: string; keep?: boolean } = {}): Promise<CouchServer> {
  const port = await freePort();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'consent-desk-couch-'));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let admin: CouchServer['admin'] = null;

  const authHeaders = (): Record<string, string> =>
    admin ? { Authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` } : {};

  const launch = async () => {
    // cwd = the temp folder: pouchdb-server writes its config.json and log there.
    const proc = spawn(process.execPath, [SERVER_BIN, '--host', '127.0.0.1', '--port', String(port), '--dir', dir, '--no-stdout-logs'], {
      cwd: dir,
      stdio: 'ignore',
    });
    child = proc;
    await waitUntil(`pouchdb-server on ${url}`, async () => {
      if (proc.exitCode !== null) throw new Error(`pouchdb-server exited with ${proc.exitCode}`);
      return (await fetch(`${url}/`)).ok;
    });
  };

  const terminate = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    url,
    port,
    dir,
    get admin() {
      return admin;
    },
    async createDatabases(names) {
      for (const name of names) {
        const r = await fetch(`${url}/${encodeURIComponent(name)}`, { method: 'PUT', headers: authHeaders() });
        if (!r.ok && r.status !== 412) throw new Error(`PUT /${name}: ${r.status} ${await r.text()}`);
      }
    },
    async addAdmin(username, password) {
      const r = await fetch(`${url}/_config/admins/${encodeURIComponent(username)}`, {
        method: 'PUT',
        headers: authHeaders(),
        body: JSON.stringify(password),
      });
      if (!r.ok) throw new Error(`adding admin: ${r.status}`);
      admin = { username, password };
    },
    async docCount(db) {
      const r = await fetch(`${url}/${encodeURIComponent(db)}`, { headers: authHeaders() });
      const info = (await r.json()) as { doc_count?: number };
      return info.doc_count ?? -1;
    },
    async allDocs(db) {
      const r = await fetch(`${url}/${encodeURIComponent(db)}/_all_docs?include_docs=true`, { headers: authHeaders() });
      const body = (await r.json()) as { rows: Array<{ doc: Record<string, unknown> }> };
      return body.rows.map((row) => row.doc);
    },
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
    async stop() {
      await terminate('SIGTERM');
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
