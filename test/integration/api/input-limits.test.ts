import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { INPUT_LIMITS, checkInputLimits } from '../../../src/main/api/input-guard';
import { DEFAULT_KEYWORDS } from '../../../src/shared/consent/default-keywords';
import { MARKETING_TYPE, openTestApp, type TestApp } from '../../helpers/temp-app';
import { uploadCsv, utf8 } from '../imports/upload';

// Hostile shapes at the API boundary: each is refused as invalid_input, fast, changing nothing.
let app: TestApp;
let admin: Session;
let typeId: string;
beforeAll(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
  typeId = (await app.must(admin, 'types:create', MARKETING_TYPE)).id;
});
afterAll(async () => {
  await app.dispose();
});

const call = (channel: string, input: unknown) => app.api.call(channel, input, admin);
const refused = async (channel: string, input: unknown) => {
  const r = await call(channel, input);
  expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  return r.ok ? '' : r.error.message;
};
const nested = (levels: number, leaf: unknown) => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { kind: 'group', op: 'and', children: [value] };
  return value;
};
const rule = (conditions: unknown) => ({
  name: 'Deep',
  trigger: { kind: 'run_now', search: '', typeId: '', status: '' },
  conditions,
  actions: [{ kind: 'add_tag', tag: 'x' }],
});
const count = async () => ({
  contacts: await app.services.db.contacts.count().exec(),
  rules: await app.services.db.rules.count().exec(),
});

describe('input limits at the API boundary', () => {
  it('rule conditions nested 1,000 and 100,000 deep are refused, not a stack overflow', async () => {
    const before = await count();
    const leaf = { kind: 'phone_valid', valid: true };
    expect(await refused('rules:save', { rule: rule(nested(1000, leaf)) })).toContain('levels deep');
    expect(await refused('rules:save', { rule: rule(nested(100_000, leaf)) })).toContain('levels deep');
    // The rule's own limit (4 groups) still applies below the generic ceiling.
    expect(await refused('rules:save', { rule: rule(nested(6, leaf)) })).toBeTruthy();
    expect(await call('rules:save', { rule: rule(nested(3, leaf)) })).toMatchObject({ ok: true });
    expect((await count()).rules).toBe(before.rules + 1);
  });

  it('any input, on any channel, nested past the limit is refused', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(await refused('contacts:list', { search: deep })).toContain('levels deep');
    expect(await refused('users:list', deep)).toContain('levels deep');
  });

  it('__proto__, constructor and prototype are refused as names anywhere in the input', async () => {
    const before = await count();
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const input = JSON.parse(`{"name":"Eve","phoneInput":"+48 601 999 001","properties":{"${key}":{"polluted":"yes"},"ok":"1"}}`) as unknown;
      expect(await refused('contacts:create', input)).toContain(`"${key}" cannot be used as a name`);
      expect(await refused('contacts:list', JSON.parse(`{"${key}":1}`))).toContain(key);
    }
    expect(await refused('contacts:create', { name: 'Eve', phoneInput: '+48 601 999 002', properties: { ' constructor ': 'x' } })).toContain('constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await count()).toEqual(before);
  });

  it('a CSV column is never mapped to a prototype name: not suggested, and refused when asked for', async () => {
    const csv = 'phone,name,__proto__,constructor\n+48 601 777 001,Ala,x,y\n';
    const jobId = await uploadCsv(app, admin, 'proto.csv', utf8(csv));
    const analysis = await app.must(admin, 'imports:analyze', { jobId });
    expect(analysis.mapping).toEqual(['phone', 'name', 'ignore', 'ignore']);
    for (const target of ['property:__proto__', 'property:constructor', 'property:prototype', 'property: prototype']) {
      expect(await refused('imports:apply', { jobId, mapping: { columns: ['phone', 'name', target, 'ignore'] } })).toContain('cannot be used for a property');
    }
    expect(await app.services.db.contacts.count({ selector: { name: 'Ala' } }).exec()).toBe(0);
  });

  it('ids and strings have length limits; a 10 MB id is refused before any lookup', async () => {
    const huge = 'a'.repeat(10 * 1024 * 1024);
    expect(await refused('contacts:get', { id: huge })).toContain(`At most ${INPUT_LIMITS.maxIdChars} characters`);
    expect(await refused('consent:change', { contactId: huge, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'x', basedOn: '' })).toContain('contactId');
    expect(await refused('bulk:preview', { selection: { ids: ['ok', 'b'.repeat(301)] } })).toContain('ids.1');
    expect(await refused('contacts:list', { search: 's'.repeat(INPUT_LIMITS.maxStringChars + 1) })).toContain('characters');
    expect(await refused('contacts:list', { ['k'.repeat(201)]: 1 })).toContain('at most 200 characters');
  });

  it('keyword lists have a size limit: 500,000 keywords are refused, the lists unchanged', async () => {
    const before = await app.must(admin, 'keywords:get', {});
    const table = structuredClone(DEFAULT_KEYWORDS) as unknown as Record<string, { optIn: string[]; optOut: string[] }>;
    const en = table.en ?? { optIn: [], optOut: [] };
    table.en = en;
    en.optIn = Array.from({ length: 500_000 }, (_, i) => `K${i}`);
    expect(await refused('keywords:set', { table })).toBeTruthy();
    en.optIn = Array.from({ length: 101 }, (_, i) => `K${i}`);
    expect(await refused('keywords:set', { table })).toContain('At most 100 keywords');
    expect(await app.must(admin, 'keywords:get', {})).toEqual(before);
  });
});

describe('checkInputLimits', () => {
  it('passes ordinary input and counts every value', () => {
    expect(checkInputLimits({ a: [1, 'two', { three: null }], b: true })).toBeNull();
    expect(checkInputLimits(undefined)).toBeNull();
    expect(checkInputLimits({ ids: Array.from({ length: INPUT_LIMITS.maxNodes }, () => 'x') })).toMatchObject({ message: expect.stringContaining('values') });
  });
  it('refuses anything but plain data', () => {
    expect(checkInputLimits({ when: new Date() })).toMatchObject({ path: 'when', message: 'Only plain data is accepted.' });
    expect(checkInputLimits(Object.create(null) as object)).toBeNull();
  });
  it('allows file contents under data and content up to the file limit only', () => {
    expect(checkInputLimits({ data: 'x'.repeat(1_000_000) })).toBeNull();
    expect(checkInputLimits({ note: 'x'.repeat(1_000_000) })).toMatchObject({ path: 'note' });
  });
});
