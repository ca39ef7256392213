import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// Credentials never travel in the server address: refused when typed, moved out of settings
// saved by an earlier version, never shown, never in the audit log.
let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const SECRET = 'Pa55-in-URL-Żółw';
const everyFileUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? everyFileUnder(join(dir, name)) : [join(dir, name)]));
const nowhereUnder = (dir: string, text: string) => everyFileUnder(dir).filter((f) => readFileSync(f).includes(Buffer.from(text)));

describe('sync credentials', () => {
  it('an address with a user name or password is refused with a clear message, and nothing is saved', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    const refused = await app.as(admin)('sync:setConfig', { url: `http://ann:${SECRET}@127.0.0.1:5984`, database: 'consentdesk' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('invalid_input');
      expect(refused.error.message).toContain('Leave the user name and password out of the address');
    }
    expect(await app.must(admin, 'sync:getConfig', {})).toBeNull();
    const noUserOnly = await app.as(admin)('sync:setConfig', { url: 'http://ann@127.0.0.1:5984', database: 'consentdesk' });
    expect(noUserOnly.ok).toBe(false);
  });

  it('settings saved with credentials in the address are moved into the encrypted secret on start', async () => {
    const dataDir = makeTempDir();
    writeFileSync(join(dataDir, 'sync-config.json'), JSON.stringify({
      url: `http://ann:${encodeURIComponent(SECRET)}@127.0.0.1:5984/`, database: 'consentdesk', username: '', passwordCipher: '',
      protection: 'key_file', enabled: false, lastSyncAt: '',
    }));
    app = await openTestApp({ dataDir });
    const agent = await app.signIn('field_agent');
    const admin = await app.signIn('admin');
    const shown = await app.must(agent, 'sync:getConfig', {});
    expect(shown).toMatchObject({ url: 'http://127.0.0.1:5984/', username: 'ann', hasPassword: true });
    expect(JSON.stringify(shown)).not.toContain(SECRET);
    // Saving the settings again (as an admin) keeps the moved password, and audits no secret.
    await app.must(admin, 'sync:setConfig', { url: 'http://127.0.0.1:5984/', database: 'consentdesk', username: 'ann' });
    expect(await app.must(admin, 'sync:getConfig', {})).toMatchObject({ hasPassword: true });
    expect(await app.as(agent)('sync:setConfig', { url: 'http://127.0.0.1:5984/', database: 'consentdesk' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await app.close();
    expect(nowhereUnder(dataDir, SECRET)).toEqual([]);
    expect(nowhereUnder(dataDir, encodeURIComponent(SECRET))).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
