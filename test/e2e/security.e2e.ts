import { expect, test } from './harness';

test('the CSP blocks an injected inline script', async ({ openPage }) => {
  const page = await openPage();
  await expect(page.getByRole('heading', { name: 'Who is working?' })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }),
    );
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.appendChild(s);
    const directive = await violation;
    return { directive, ran: (window as unknown as { __injected?: boolean }).__injected === true };
  });
  expect(outcome.ran).toBe(false);
  expect(outcome.directive).toMatch(/^script-src/);
});

test('the page has no Node and only the one bridge object', async ({ openPage }) => {
  const page = await openPage();
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    bridgeKeys: Object.keys(window.consentDesk).sort(),
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridgeKeys: ['invoke', 'onEvent'] });
});

test('bad calls from the page get clear error codes and change nothing', async ({ openPage, app }) => {
  const page = await openPage();
  const results = await page.evaluate(async () => {
    const invoke = window.consentDesk.invoke as (c: string, i: unknown) => Promise<unknown>;
    return {
      unknown: await invoke('contacts:drop', {}),
      wrongShape: await invoke('users:create', { name: 42, role: 'king' }),
      notSignedIn: await invoke('contacts:create', { name: 'X' }),
      notAnObject: await invoke('contacts:list', 'all of them'),
    };
  });
  expect(results).toMatchObject({
    unknown: { ok: false, error: { code: 'unknown_channel' } },
    wrongShape: { ok: false, error: { code: 'invalid_input' } },
    notSignedIn: { ok: false, error: { code: 'not_signed_in' } },
    notAnObject: { ok: false, error: { code: 'invalid_input' } },
  });
  expect(await app.services.db.users.count().exec()).toBe(0);
  expect(await app.services.db.contacts.count().exec()).toBe(0);
});
