// Finds the Electron executable `npm start` runs, and says precisely why when there is none:
// a wrong ELECTRON_OVERRIDE_DIST_PATH, or a download that failed (and why it failed).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Error codes Node gives when the network, not the server or the file, is the problem.
const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED'];

const executableName = (electronDir, platform) => {
  const pathFile = join(electronDir, 'path.txt');
  if (existsSync(pathFile)) return readFileSync(pathFile, 'utf8').trim();
  if (platform === 'win32') return 'electron.exe';
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
};

const isFile = (path) => existsSync(path) && statSync(path).isFile();

/**
 * @param {{ electronDir: string; env: Record<string, string | undefined>; platform: string; download: () => { ok: boolean; output: string } }} options
 * @returns {{ kind: 'found'; path: string } | { kind: 'override_missing'; folder: string; expected: string } | { kind: 'download_failed'; network: boolean; detail: string }}
 */
export function locateElectron({ electronDir, env, platform, download }) {
  const name = executableName(electronDir, platform);
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, name);
    return isFile(candidate) ? { kind: 'found', path: candidate } : { kind: 'override_missing', folder: override, expected: candidate };
  }
  const bundled = join(electronDir, 'dist', name);
  if (isFile(bundled)) return { kind: 'found', path: bundled };
  const attempt = download();
  const fetched = join(electronDir, 'dist', executableName(electronDir, platform));
  if (attempt.ok && isFile(fetched)) return { kind: 'found', path: fetched };
  const network = NETWORK_CODES.some((code) => attempt.output.includes(code));
  const firstLine = attempt.output.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'the installer stopped without a message';
  return { kind: 'download_failed', network, detail: firstLine.slice(0, 300) };
}

/** The one sentence `npm start` prints when there is no executable to run. */
export function missingElectronMessage(result) {
  if (result.kind === 'override_missing')
    return `Consent Desk cannot start: ELECTRON_OVERRIDE_DIST_PATH is set to "${result.folder}", but there is no Electron executable at "${result.expected}"; point it at the folder that holds the Electron 45 executable (the unpacked release, e.g. electron-v45-linux-x64), or unset it to let npm download Electron.`;
  if (result.kind === 'download_failed' && result.network)
    return `Consent Desk cannot start: the Electron binary is not downloaded yet and the download server could not be reached (${result.detail}); connect to the internet (or set a proxy) and run \`npm start\` again, or download Electron 45 elsewhere and set ELECTRON_OVERRIDE_DIST_PATH to the folder holding its executable.`;
  if (result.kind === 'download_failed')
    return `Consent Desk cannot start: the Electron binary is not downloaded yet and its download failed: ${result.detail}. Run \`node node_modules/electron/install.js\` to see the whole error, or download Electron 45 elsewhere and set ELECTRON_OVERRIDE_DIST_PATH to the folder holding its executable.`;
  return '';
}

/** Runs Electron's own installer (it downloads the binary into node_modules/electron/dist). */
export function runElectronInstaller(electronDir) {
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
  return { ok: install.status === 0, output: `${install.stderr ?? ''}\n${install.stdout ?? ''}${install.error ? `\n${install.error.message}` : ''}` };
}

/**
 * Asks the download host (ELECTRON_MIRROR or GitHub) for a response: Node's fetch reports a
 * network failure only as "fetch failed", so whether the network is to blame is checked here,
 * not assumed.
 * @returns {Promise<{ reachable: boolean; detail: string }>}
 */
export async function probeDownloadHost(env, timeoutMs = 8000) {
  const url = env.ELECTRON_MIRROR || env.electron_config_mirror || 'https://github.com/electron/electron/releases/';
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return { reachable: true, detail: `${url} answered ${response.status}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : '';
    return { reachable: false, detail: `${url}: ${code || (cause instanceof Error ? cause.message : String(cause))}` };
  }
}
