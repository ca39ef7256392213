import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAppOptions } from '../../../src/main/app';
import { MARKETING_TYPE, openTestApp, quietLog } from '../../helpers/temp-app';

/*
 * What the read-only start tests do on a data folder, shared by the test that runs in-process
 * and the child that runs on a real full disk (read-only-start.child.ts): a store with people
 * in it, then a start on it that reads everything, tries every kind of write, and reports
 * what it saw, so that the test (not the child) judges it.
 */
export type Seeded = { adminId: string; typeId: string; contactIds: string[] };

export async function seedStore(dataDir: string): Promise<Seeded> {
  const app = await openTestApp({ dataDir, log: quietLog });
  try {
    const admin = await app.signIn('admin');
    const typeId = (await app.must(admin, 'types:create', MARKETING_TYPE)).id;
    const contactIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const contact = await app.must(admin, 'contacts:create', { name: `Tylko Odczyt ${i}`, phoneInput: `+48 601 555 ${String(100 + i)}` });
      contactIds.push(contact.id);
      await app.must(admin, 'consent:change', { contactId: contact.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: `Signed up at the fair ${i}`, basedOn: '' });
    }
    return { adminId: admin.userId ?? '', typeId, contactIds };
  } finally {
    await app.close();
  }
}

// Every file in the folder, by name, with its size and SHA-256: equal before and after means nothing was written.
export function folderFingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = `${stats.size}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir, '');
  return out;
}

type Refusal = { ok: boolean; code: string; message: string };

export type ReadOnlyObservations = {
  startMode: unknown;
  storeMode: unknown;
  contactsListed: string[];
  contactName: string;
  eventsInHistory: number;
  mayMessage: boolean;
  verify: { ok: boolean; events: number; auditEntry: string | undefined };
  exportRows: number;
  exportHasName: boolean;
  wrongSecret: Refusal;
  writes: Record<string, Refusal>;
};

const refusal = (r: { ok: true } | { ok: false; error: { code: string; message: string } }): Refusal =>
  r.ok ? { ok: true, code: '', message: '' } : { ok: false, code: r.error.code, message: r.error.message };

export async function exerciseStart(dataDir: string, seeded: Seeded, options: Partial<OpenAppOptions> = {}): Promise<ReadOnlyObservations> {
  const app = await openTestApp({ dataDir, log: quietLog, ...options });
  try {
    const anonymous = { userId: null };
    const wrongSecret = refusal(await app.as(anonymous)('session:signIn', { userId: seeded.adminId, secret: 'not the passphrase' }));
    const admin = await app.signInAs(seeded.adminId);
    const call = app.as(admin);
    const [first = ''] = seeded.contactIds;
    const list = await app.must(admin, 'contacts:list', { search: 'Tylko', offset: 0, limit: 50 });
    const contact = await app.must(admin, 'contacts:get', { id: first });
    const history = await app.must(admin, 'consent:history', { limit: 50 });
    const latest = (await app.must(admin, 'consent:history', { contactId: first, limit: 1 })).rows[0]?.id ?? '';
    const may = await app.must(admin, 'consent:mayMessage', { contactId: first, typeId: seeded.typeId, category: 'marketing' });
    const verify = await app.must(admin, 'history:verify', {});
    const exported = await app.must(admin, 'exports:contacts', { query: { search: 'Tylko' } });
    const writes: Record<string, Refusal> = {
      'contacts:create': refusal(await call('contacts:create', { name: 'Nowy Kontakt', phoneInput: '+48 602 900 100' })),
      'contacts:update': refusal(await call('contacts:update', { id: first, name: 'Zmieniony' })),
      'consent:change': refusal(await call('consent:change', { contactId: first, typeId: seeded.typeId, action: 'unsubscribe', legalBasis: 'consent_with_notice', explanation: 'Asked to stop', basedOn: latest })),
      'types:create': refusal(await call('types:create', { ...MARKETING_TYPE, name: 'Second', businessNumber: '+48 22 765 43 21', phoneNumberId: '1002' })),
      'users:create': refusal(await call('users:create', { name: 'Agent', role: 'field_agent', secret: 'another passphrase 2' })),
      'sync:setConfig': refusal(await call('sync:setConfig', { url: 'http://127.0.0.1:9/', database: 'consentdesk', username: '', password: '' })),
      'sync:start': refusal(await call('sync:start', {})),
    };
    return {
      startMode: app.services.startMode,
      storeMode: await app.must(admin, 'store:mode', {}),
      contactsListed: list.rows.map((r) => r.id).sort(),
      contactName: contact.name,
      eventsInHistory: history.total,
      mayMessage: may.allowed,
      verify: { ok: verify.ok, events: verify.events, auditEntry: verify.auditEntry },
      exportRows: exported.rows,
      exportHasName: exported.content.includes('Tylko Odczyt 0'),
      wrongSecret,
      writes,
    };
  } finally {
    await app.close();
  }
}
