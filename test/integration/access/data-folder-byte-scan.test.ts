import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';
import { makeTempDir, openTestApp, quietLog } from '../../helpers/temp-app';
import { uploadCsv, utf8 } from '../imports/upload';

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// What typical work puts in the folder: a contact typed in, one imported, one who wrote in.
const TYPED = { name: 'Zofia Bajtowska', phone: '+48 601 987 654' };
const IMPORTED = { name: 'Bożena Importowska', phone: '+48 602 111 222' };
const WROTE_IN = { name: 'Halina Wiadomościowa', from: '48603444555' };
const NEEDLES = [
  TYPED.name, 'Bajtowska', '601987654', '601 987 654',
  IMPORTED.name, 'Importowska', '602111222', '602 111 222',
  WROTE_IN.name, 'Wiadomościowa', '603444555',
];

function encodings(text: string): { label: string; bytes: Buffer }[] {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [{ label: 'UTF-8', bytes: Buffer.from(text, 'utf8') }, { label: 'UTF-16LE', bytes: le }, { label: 'UTF-16BE', bytes: be }];
}

function everyFile(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? everyFile(path) : [path];
  });
}

// Every byte of every file in the folder (-wal, -shm, temporary files included).
function findings(dataDir: string): string[] {
  const found: string[] = [];
  for (const path of everyFile(dataDir)) {
    const bytes = readFileSync(path);
    for (const needle of NEEDLES) {
      for (const { label, bytes: pattern } of encodings(needle)) {
        if (bytes.includes(pattern)) found.push(`${relative(dataDir, path)}: ${needle} (${label})`);
      }
    }
  }
  return found;
}

describe('the data folder after typical work', () => {
  it('the scan finds a name or number written plain, in each encoding', () => {
    const dir = makeTempDir('cd-byte-scan-control-');
    tempDirs.push(dir);
    writeFileSync(join(dir, 'a.bin'), Buffer.concat([Buffer.from([0, 1]), Buffer.from(TYPED.name, 'utf16le')]));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b.tmp'), Buffer.from(`x${'603444555'}y`));
    // (ASCII in UTF-16LE after a zero byte also reads as UTF-16BE shifted by one: found twice.)
    expect(findings(dir)).toEqual(expect.arrayContaining(['a.bin: Bajtowska (UTF-16LE)', 'a.bin: Zofia Bajtowska (UTF-16LE)', 'sub/b.tmp: 603444555 (UTF-8)']));
  });

  it('holds no known name or number in any file, in UTF-8 or UTF-16', async () => {
    const dataDir = makeTempDir('cd-byte-scan-');
    tempDirs.push(dataDir);
    const app = await openTestApp({ dataDir, log: quietLog });
    const admin = await app.signIn('admin');
    const typeId = (await app.must(admin, 'types:create', {
      name: 'Marketing', purpose: 'marketing', businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep',
    })).id;
    await app.must(admin, 'contacts:create', { name: TYPED.name, phoneInput: TYPED.phone });

    const jobId = await uploadCsv(app, admin, 'targi.csv', utf8(`name;phone;status\n${IMPORTED.name};${IMPORTED.phone};subscribed\n`));
    const analysis = await app.must(admin, 'imports:analyze', { jobId });
    // The spool holds the upload now: it is scanned too.
    expect(everyFile(join(dataDir, 'imports')).length).toBeGreaterThan(0);
    expect(findings(dataDir)).toEqual([]);
    const columns = analysis.mapping.map((column) => (column.startsWith('status:') ? `status:${typeId}` : column));
    await app.must(admin, 'imports:apply', { jobId, mapping: { columns, defaultLegalBasis: 'consent_with_notice', defaultExplanation: 'Spring fair sign-ups' } });
    expect(app.services.directory.findByWaNumber('+48602111222')?.name).toBe(IMPORTED.name);

    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.scan1', `Hello, ${WROTE_IN.name} here, STOP`, 1_767_000_000, WROTE_IN.from)], { from: WROTE_IN.from, name: WROTE_IN.name }) });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.scan2', 'START', 1_767_000_100, '48601987654')], { from: '48601987654', name: TYPED.name }) });
    // An export is written where the user chooses, outside the data folder; it is not scanned.
    const exported = await app.must(admin, 'exports:contacts', { query: {} });
    expect(JSON.stringify(exported)).toContain('Bajtowska');

    // The history index (saved beside the store at close) and the integrity check's worker,
    // which reads the encrypted file on a connection of its own.
    await app.must(admin, 'history:stats', {});
    expect(await app.must(admin, 'history:verify', {})).toMatchObject({ ok: true });

    // While the app runs: the log (-wal) and shared memory (-shm) files are there.
    expect(existsSync(join(dataDir, 'consentdesk.sqlite-wal'))).toBe(true);
    expect(findings(dataDir)).toEqual([]);
    await app.close();
    // After close: the start page has been written (it lists names).
    expect(existsSync(join(dataDir, 'start-page.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'consentdesk.sqlite.history-index'))).toBe(true);
    expect(findings(dataDir)).toEqual([]);
  }, 120_000);
});
