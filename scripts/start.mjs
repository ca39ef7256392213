// `npm start`: build, then launch Electron on the built app. Where there is no Electron
// executable to run, say in one sentence why (scripts/electron-binary.mjs).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { locateElectron, missingElectronMessage, probeDownloadHost, runElectronInstaller } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12))
  console.warn(`Node ${process.versions.node}: Electron 45's download and rebuild tools want Node 22.12 or newer (see .nvmrc); the app itself may still build and run.`);

const build = spawnSync(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let electron = locateElectron({ electronDir, env: process.env, platform: process.platform, download: () => runElectronInstaller(electronDir) });
if (electron.kind === 'download_failed' && !electron.network) {
  const probe = await probeDownloadHost(process.env);
  if (!probe.reachable) electron = { ...electron, network: true, detail: probe.detail };
}
if (electron.kind !== 'found') {
  console.error(missingElectronMessage(electron));
  process.exit(1);
}
const run = spawnSync(electron.path, ['.'], { stdio: 'inherit' });
process.exit(run.status ?? 0);
