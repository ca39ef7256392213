import { app, BrowserWindow, dialog, safeStorage, session, shell } from 'electron';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp } from './app';
import { bindIpc } from './ipc';
import { applyMainProcessMemoryPolicy } from './memory-policy';
import type { SecretStore } from './secrets/secret-store';

// Bootstrap only: harden the window, open the app over the user-data folder, bind IPC.
applyMainProcessMemoryPolicy();
const rendererIndex = join(__dirname, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const isOwnPage = (url: string) => url === rendererUrl || url.startsWith(`${rendererUrl}#`);

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    // wa.me links open in the user's browser, never inside the app.
    if (url.startsWith('https://wa.me/')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Packaged builds have no devtools: a person at the keyboard must not reach around the
  // API's role checks and the idle lock through the renderer's console.
  if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
});

// A download (an export the window saves) goes only where the user chose in a save dialog;
// the suggested name is reduced to a bare file name, so it cannot point into other folders.
function saveDownloadsWhereTheUserChooses(target: Electron.Session) {
  target.on('will-download', (_event, item, contents) => {
    const owner = BrowserWindow.fromWebContents(contents);
    const options = { defaultPath: join(app.getPath('downloads'), basename(item.getFilename()) || 'export') };
    const chosen = owner ? dialog.showSaveDialogSync(owner, options) : dialog.showSaveDialogSync(options);
    if (chosen) item.setSavePath(chosen);
    else item.cancel();
  });
}

// A history file export asks where to write with a save dialog in main: the renderer never
// names a path, and nothing is written where the user did not choose.
async function chooseExportPath(suggestedName: string): Promise<string | null> {
  const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const extension = suggestedName.endsWith('.jsonl') ? 'jsonl' : 'csv';
  const options = {
    defaultPath: join(app.getPath('downloads'), basename(suggestedName)),
    filters: [{ name: extension === 'csv' ? 'CSV' : 'JSON lines', extensions: [extension] }],
  };
  const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
}

// The sync password is encrypted with the OS credential store. On Linux without a keyring
// safeStorage falls back to a hard-coded key ('basic_text'): no protection, so the app's
// own key-file fallback is used instead and the status says so.
function osSecretStore(): SecretStore {
  const basicText = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    available: safeStorage.isEncryptionAvailable() && !basicText,
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  };
}

// Why the app could not open its data, in words a user can act on.
function startupFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  if (code === 'STORE_LOCKED') return 'Consent Desk is already open in another window or process on this computer. Close it and try again.';
  if (code === 'STORE_CORRUPT') return 'The Consent Desk data file is damaged. It has not been changed; restore it from a backup or ask your administrator.';
  if (code === 'STORE_FOREIGN') return 'The Consent Desk data folder holds a file that was not written by Consent Desk. It has not been changed.';
  return `Consent Desk could not start: ${error instanceof Error ? error.message : String(error)}`;
}

async function main() {
  // One process owns the ledger of this device (its hash chain and sequence numbers).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  saveDownloadsWhereTheUserChooses(session.defaultSession);

  // The window starts loading while the store opens: the renderer's start (a process,
  // its scripts) and the store's open overlap; its first calls wait for the app.
  const opening = openApp({ dataDir: join(app.getPath('userData'), 'data'), secrets: osSecretStore(), chooseExportPath });
  const binding = bindIpc(opening, (_wc, frameUrl) => isOwnPage(frameUrl));

  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Consent Desk',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  });
  binding.attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  const loading = win.loadFile(rendererIndex);
  // A store that cannot open ends here, in the error box below.
  const opened = await opening;
  await loading;

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  // Quit only once the store is closed, so the last writes and checkpoints are on disk.
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    binding.dispose();
    void opened.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

main().catch((error: unknown) => {
  console.error('Consent Desk failed to start:', error);
  dialog.showErrorBox('Consent Desk', startupFailure(error));
  app.exit(1);
});
