import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { TEST_PIN } from '../../helpers/test-secret';
import { freePort, startCouchServer, type CouchServer } from '../../helpers/couch-server';
import { awaitConvergence, openDevice, prepareServer, serverEventCount, waitFor, type Device } from '../../helpers/sync-devices';

let server: CouchServer;
const devices: Device[] = [];
const open = async (label: string, options?: Parameters<typeof openDevice>[2]) => {
  const d = await openDevice(server, label, options);
  devices.push(d);
  return d;
};

beforeEach(async () => {
  server = await startCouchServer();
});
afterEach(async () => {
  for (const d of devices.splice(0)) await d.dispose();
  await server.stop();
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

describe('interrupted sync loses nothing', () => {
  it('the server killed mid-sync and restarted: every event reaches every device', async () => {
    await prepareServer(server);
    const a = await open('A');
    const contact = await a.must('contacts:create', { name: 'Busy' });
    const written = a.appendEvents(contact.id, 2000);
    await waitFor('the push is under way', async () => (await serverEventCount(server)) > 0, 60_000);
    await server.kill();
    expect(await written).toBe(2000);
    await waitFor('A reports the server unreachable', async () => (await a.status()).state === 'offline');
    const status = await a.status();
    expect(status.lastError?.kind).toBe('unreachable');
    expect(status.online).toBe(false);
    expect(status.pending).toBeGreaterThan(0);
    // Work goes on offline.
    expect(await a.appendEvents(contact.id, 100)).toBe(100);
    await server.restart();
    const b = await open('B');
    await waitFor('server, A and B hold all 2100 events', async () =>
      (await serverEventCount(server)) === 2100 && (await b.eventCount()) === 2100, 150_000);
    await awaitConvergence(server, [a, b]);
    await waitFor('A is back in sync', async () => (await a.status()).state === 'in_sync');
    expect((await a.status()).pending).toBe(0);
    // Generous: the machine may be shared; the waits above are bounded conditions, not sleeps.
  }, 240_000);

  it('sync that was running resumes after the app restarts', async () => {
    await prepareServer(server);
    const a = await open('A');
    const c = await a.must('contacts:create', { name: 'Before restart' });
    await a.appendEvents(c.id, 5);
    await a.awaitInSync();
    await a.close();
    devices.splice(devices.indexOf(a), 1);
    const reopened = await open('A again', { dataDir: a.dataDir, admin: a.admin });
    await waitFor('resumed sync has the events', async () => (await reopened.eventCount()) === 5);
    expect(await reopened.status()).toMatchObject({ enabled: true, configured: true });
  });
});

describe('problems are reported in plain words and nothing local is lost', () => {
  it('a wrong password', async () => {
    await server.addAdmin('admin', 'right-password');
    await prepareServer(server);
    const a = await open('A', { username: 'admin', password: 'wrong-password' });
    const c = await a.must('contacts:create', { name: 'Kept locally' });
    await a.appendEvents(c.id, 3);
    await waitFor('unauthorized is reported', async () => (await a.status()).lastError?.kind === 'unauthorized');
    expect(await a.status()).toMatchObject({ state: 'error', online: true });
    expect((await a.status()).lastError?.message).toMatch(/user name or password/);
    expect(await a.must('sync:testConnection', {})).toMatchObject({ ok: false, problem: { kind: 'unauthorized' } });
    expect(await a.eventCount()).toBe(3);
    expect(await serverEventCount(server)).toBe(0);
    // Fixing the password sends what was kept.
    await a.must('sync:setConfig', { url: server.url, database: 'consentdesk', username: 'admin', password: 'right-password' });
    await waitFor('the events reach the server', async () => (await serverEventCount(server)) === 3);
    await waitFor('A in sync', async () => (await a.status()).state === 'in_sync');
  });

  it('an unreachable server', async () => {
    const nothingThere = `http://127.0.0.1:${await freePort()}`;
    const a = await open('A', { start: false });
    await a.must('sync:setConfig', { url: nothingThere, database: 'consentdesk', username: '', password: '' });
    await a.must('sync:start', {});
    const c = await a.must('contacts:create', { name: 'Offline work' });
    await a.appendEvents(c.id, 2);
    await waitFor('unreachable is reported', async () => (await a.status()).state === 'offline');
    expect((await a.status()).lastError).toMatchObject({ kind: 'unreachable' });
    expect(await a.must('sync:testConnection', {})).toMatchObject({ ok: false, problem: { kind: 'unreachable' } });
    expect(await a.eventCount()).toBe(2);
    expect((await a.contacts()).map((x) => x.name)).toEqual(['Offline work']);
  });

  it('a missing database', async () => {
    const a = await open('A');
    await waitFor('database_missing is reported', async () => (await a.status()).lastError?.kind === 'database_missing');
    const check = await a.must('sync:testConnection', {});
    expect(check).toMatchObject({ ok: false, problem: { kind: 'database_missing' } });
    if (!check.ok) expect(check.missing).toContain('consentdesk-consent-events');
    await prepareServer(server);
    expect(await a.must('sync:testConnection', {})).toMatchObject({ ok: true });
    await waitFor('syncs once the databases exist', async () => (await a.status()).state === 'in_sync');
  });

  it('the password is never stored in plain text; only admins change sync', async () => {
    await prepareServer(server);
    const secret = 'S3cret-Pa55word-Łódź';
    const a = await open('A', { start: false, password: secret });
    expect(await a.must('sync:getConfig', {})).toMatchObject({ hasPassword: true, protection: 'key_file', username: '' });
    for (const file of filesUnder(a.dataDir)) expect(readFileSync(file).includes(Buffer.from(secret)), file).toBe(false);
    const config = JSON.parse(readFileSync(join(a.dataDir, 'sync-config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.passwordCipher).toMatch(/^kf1:/);
    const agentId = (await a.must('users:create', { name: 'Agent', role: 'field_agent', secret: TEST_PIN })).id;
    const signedIn = await a.callAs({ userId: null }, 'session:signIn', { userId: agentId, secret: TEST_PIN });
    const agent: Session = { userId: signedIn.ok ? signedIn.value.id : null };
    expect(agent.userId).toBe(agentId);
    expect(await a.callAs(agent, 'sync:start', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await a.callAs(agent, 'sync:setConfig', { url: server.url, database: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await a.callAs(agent, 'sync:status', {})).toMatchObject({ ok: true, value: { state: 'off' } });
    expect(await a.call('sync:setConfig', { url: 'ftp://nope', database: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await a.call('sync:setConfig', { url: server.url, database: 'Bad Name' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
