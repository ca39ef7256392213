import { app, BrowserWindow, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp } from './app';
import { bindIpc } from './ipc';
import type { SecretStore } from './sync/secret-store';

// Bootstrap only: harden the window, open the app over the user-data folder, bind IPC.
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
});

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

async function main() {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const opened = await openApp({ dataDir: join(app.getPath('userData'), 'data'), secrets: osSecretStore() });
  const binding = bindIpc(opened.api, opened.events, (_wc, frameUrl) => isOwnPage(frameUrl));

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
    },
  });
  binding.attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  await win.loadFile(rendererIndex);

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    binding.dispose();
    void opened.close();
  });
}

main().catch((error: unknown) => {
  console.error('Consent Desk failed to start:', error);
  app.exit(1);
});
