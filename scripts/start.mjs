// `npm start`: build, then launch Electron on the built app. Where the Electron binary
// is not installed and cannot be downloaded (no internet), say so in one sentence.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function findElectron() {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : process.platform === 'win32' ? 'electron.exe' : 'electron';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return existsSync(candidate) ? candidate : null;
  }
  const bundled = join(electronDir, 'dist', relative);
  if (existsSync(bundled)) return bundled;
  // First start on a machine with internet: let electron's own installer fetch the binary.
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  const pathAfter = join(electronDir, 'path.txt');
  if (install.status === 0 && existsSync(pathAfter)) {
    const fetched = join(electronDir, 'dist', readFileSync(pathAfter, 'utf8'));
    if (existsSync(fetched)) return fetched;
  }
  return null;
}

const build = spawnSync(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = findElectron();
if (!electron) {
  console.error(
    'Consent Desk cannot start: the Electron binary is not installed and could not be downloaded (this machine has no internet access); ' +
      'install Electron 45 where it can be downloaded and set ELECTRON_OVERRIDE_DIST_PATH to the folder holding its executable, then run `npm start` again.',
  );
  process.exit(1);
}
const run = spawnSync(electron, ['.'], { stdio: 'inherit' });
process.exit(run.status ?? 0);
