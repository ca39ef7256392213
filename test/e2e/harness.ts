import { test as base, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { openApp, type OpenAppOptions, type OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { Logger } from '../../src/main/logger';
import { BRIDGE_KEY } from '../../src/shared/bridge';

// The end-to-end harness: the test process opens the real app over a temp data folder
// and exposes the same API to the page under the same `window` object the preload
// defines, so the renderer cannot tell it from Electron.
export const APP_ORIGIN = 'http://consent-desk.localhost';
export const RENDERER_DIR = resolve('out/renderer');
const SCREENSHOT_DIR = resolve('test-results/screenshots');

export const MIME: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2',
};

const quietLog: Logger = { info: () => {}, warn: () => {}, error: (m, ...r) => console.error(m, ...r) };

// The built renderer under APP_ORIGIN, answered by this process.
async function routeRendererFiles(page: Page): Promise<void> {
  await page.context().route(`${APP_ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(RENDERER_DIR)) return route.fulfill({ status: 403 });
    try {
      return route.fulfill({ status: 200, body: readFileSync(file), contentType: MIME[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
}

// `app` may still be opening (the start-up benchmark): routing, the API binding and the
// bridge are set up at once, and calls wait for the app. `servedElsewhere`: the page loads
// its files from an asset server (asset-server.ts), so no route is installed here.
export async function attachApp(page: Page, app: OpenedApp | Promise<OpenedApp>, options: { servedElsewhere?: boolean } = {}): Promise<void> {
  const opening = Promise.resolve(app);
  const session: Session = { userId: null };
  if (!options.servedElsewhere) await routeRendererFiles(page);
  await page.exposeBinding('__consentDeskInvoke', async (_source, channel: unknown, input: unknown) =>
    (await opening).api.call(typeof channel === 'string' ? channel : '', input, session),
  );
  await page.addInitScript((key: string) => {
    const listeners = new Set<(e: unknown) => void>();
    const w = window as unknown as Record<string, unknown>;
    w.__consentDeskEmit = (e: unknown) => listeners.forEach((l) => l(e));
    w[key] = Object.freeze({
      invoke: (channel: string, input: unknown) =>
        (w.__consentDeskInvoke as (c: string, i: unknown) => Promise<unknown>)(channel, input),
      onEvent: (listener: (e: unknown) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
  }, BRIDGE_KEY);
  const forward = (opened: OpenedApp) => {
    const unsubscribe = opened.events.subscribe((event) => {
      page.evaluate((e) => (window as unknown as { __consentDeskEmit?: (x: unknown) => void }).__consentDeskEmit?.(e), event).catch(() => {});
    });
    page.once('close', unsubscribe);
  };
  if (app instanceof Promise) void app.then(forward);
  else forward(app);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

// appOptions: a file may set more of openApp's options (e.g. the idle lock's clock) with test.use.
type Fixtures = { appOptions: Partial<OpenAppOptions>; dataDir: string; app: OpenedApp; openPage: () => Promise<Page> };

export const test = base.extend<Fixtures>({
  appOptions: [{}, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'consent-desk-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ dataDir, appOptions }, use) => {
    const app = await openApp({ ...appOptions, dataDir, log: quietLog });
    await use(app);
    await app.close();
  },
  openPage: async ({ page, app }, use) => {
    await use(async () => {
      await attachApp(page, app);
      await page.goto(`${APP_ORIGIN}/index.html`);
      return page;
    });
  },
});

export { expect } from '@playwright/test';
