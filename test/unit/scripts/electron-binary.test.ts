import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateElectron, missingElectronMessage, probeDownloadHost } from '../../../scripts/electron-binary.mjs';

// `npm start` must tell a wrong ELECTRON_OVERRIDE_DIST_PATH from a download that failed, and
// blame the network only when the failure was a network error.
let root = '';
let electronDir = '';
const noDownload = () => ({ ok: false, output: 'should not be called' });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'electron-binary-'));
  electronDir = join(root, 'node_modules', 'electron');
  mkdirSync(electronDir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const executableIn = (folder: string) => {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'electron');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
};

describe('locating the Electron executable', () => {
  it('uses ELECTRON_OVERRIDE_DIST_PATH when it holds the executable, without downloading', () => {
    const path = executableIn(join(root, 'electron-v45'));
    expect(locateElectron({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'electron-v45') }, platform: 'linux', download: noDownload })).toEqual({ kind: 'found', path });
  });

  it('names the override folder when it has no executable, and never tries a download', () => {
    let downloads = 0;
    const wrong = join(root, 'somewhere-else');
    mkdirSync(wrong);
    const result = locateElectron({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: wrong }, platform: 'linux', download: () => ((downloads += 1), { ok: true, output: '' }) });
    expect(result).toEqual({ kind: 'override_missing', folder: wrong, expected: join(wrong, 'electron') });
    expect(downloads).toBe(0);
    const message = missingElectronMessage(result);
    expect(message).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(message).toContain(wrong);
    expect(message).not.toMatch(/download.*failed|internet|could not be reached/i);
  });

  it('a folder named like the executable is not an executable', () => {
    mkdirSync(join(root, 'x', 'electron'), { recursive: true });
    expect(locateElectron({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'x') }, platform: 'linux', download: noDownload }).kind).toBe('override_missing');
  });

  it('uses the bundled binary once downloaded', () => {
    const path = executableIn(join(electronDir, 'dist'));
    expect(locateElectron({ electronDir, env: {}, platform: 'linux', download: noDownload })).toEqual({ kind: 'found', path });
  });

  it('finds the binary the installer just downloaded', () => {
    const download = () => {
      executableIn(join(electronDir, 'dist'));
      writeFileSync(join(electronDir, 'path.txt'), 'electron');
      return { ok: true, output: '' };
    };
    expect(locateElectron({ electronDir, env: {}, platform: 'linux', download }).kind).toBe('found');
  });

  it('blames the network only for a network error', () => {
    const offline = locateElectron({ electronDir, env: {}, platform: 'linux', download: () => ({ ok: false, output: 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ...' }) });
    expect(offline).toEqual({ kind: 'download_failed', network: true, detail: 'RequestError: getaddrinfo ENOTFOUND github.com' });
    expect(missingElectronMessage(offline)).toContain('could not be reached');

    const checksum = locateElectron({ electronDir, env: {}, platform: 'linux', download: () => ({ ok: false, output: '\nError: Generated checksum for "electron.zip" did not match expected checksum.\n' }) });
    expect(checksum).toMatchObject({ kind: 'download_failed', network: false });
    const message = missingElectronMessage(checksum);
    expect(message).toContain('did not match expected checksum');
    expect(message).not.toMatch(/internet|could not be reached/i);
  });

  it('an installer that claims success without leaving a binary is a failed download', () => {
    expect(locateElectron({ electronDir, env: {}, platform: 'linux', download: () => ({ ok: true, output: '' }) })).toMatchObject({ kind: 'download_failed', network: false });
  });
});

describe('checking the download host', () => {
  it('reports a host that refuses the connection as unreachable, with the reason', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((done) => server.close(done));
    const probe = await probeDownloadHost({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` }, 3000);
    expect(probe.reachable).toBe(false);
    expect(probe.detail).toContain(`127.0.0.1:${port}`);
    expect(probe.detail).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|ETIMEDOUT/);
  });
});
