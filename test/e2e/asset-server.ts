import { Worker } from 'node:worker_threads';

// Serves the built renderer over HTTP on 127.0.0.1 from a worker thread. In Electron the page
// loads its files through Chromium's own file loading (loadFile), which never waits for the
// main process's JavaScript; Playwright's route handlers run on this process's event loop,
// which the app's start-up work (the contact directory filling) keeps busy, so the start-up
// benchmark serves the files from here instead. API calls still go through the bridge on the
// main thread, as IPC does in Electron.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const { extname, join, normalize } = require('node:path');
const { root, mime } = workerData;
const cache = new Map();
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
  try {
    let body = cache.get(file);
    if (!body) { body = readFileSync(file); cache.set(file, body); }
    res.writeHead(200, { 'content-type': mime[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

export type AssetServer = { origin: string; close(): Promise<void> };

export function startAssetServer(root: string, mime: Record<string, string>): Promise<AssetServer> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, mime } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (port: number) =>
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: async () => {
          worker.postMessage('close');
          await new Promise((done) => worker.once('exit', done));
        },
      }),
    );
  });
}
