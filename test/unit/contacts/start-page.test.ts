import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxDocumentData } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { compareEntries, mergeStartPage, readStartPageFile, writeStartPageFile, type StartEntry, type StartPageFile } from '../../../src/main/contacts/start-page';
import type { Contact } from '../../../src/shared/domain';

const entries = (names: string[]): StartEntry[] => names.map((name, i) => ({ id: `c${i}`, name })).sort(compareEntries);
const fileOf = (list: StartEntry[]): StartPageFile => ({ format: 1, checkpoint: { id: 'c0', lwt: 1 }, entries: list });
const changed = (id: string, name: string, deleted = false) => ({ id, name, _deleted: deleted }) as unknown as RxDocumentData<Contact>;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('merging the start page with the contacts changed since', () => {
  const listed = entries(['Anna', 'Bartek', 'Łucja', 'Lucyna', 'Zofia']);

  it('orders names as the directory does (Polish letters, case aside)', () => {
    expect(listed.map((e) => e.name)).toEqual(['Anna', 'Bartek', 'Lucyna', 'Łucja', 'Zofia']);
  });

  it('drops deleted contacts, moves renamed ones and adds new ones when the file listed everyone', () => {
    const idOf = (name: string) => listed.find((e) => e.name === name)?.id ?? '';
    const page = mergeStartPage(fileOf(listed), [
      changed(idOf('Bartek'), 'Bartek', true),
      changed(idOf('Zofia'), 'Aaron'),
      changed('new', 'Ćwik'),
    ], 10, true);
    expect(page).toEqual([idOf('Zofia'), idOf('Anna'), 'new', idOf('Lucyna'), idOf('Łucja')]);
  });

  it('vouches for a page of a partial list only up to its last entry', () => {
    // The file held the first five of more contacts: anyone unlisted sorts after "Zofia".
    const file = fileOf(listed);
    expect(mergeStartPage(file, [], 5, false)).toHaveLength(5);
    expect(mergeStartPage(file, [], 6, false)).toBeNull();
    // Two listed contacts deleted: three are left, not enough for a page of four.
    const gone = [changed(listed[0]?.id ?? '', 'Anna', true), changed(listed[1]?.id ?? '', 'Bartek', true)];
    expect(mergeStartPage(file, gone, 3, false)).toHaveLength(3);
    expect(mergeStartPage(file, gone, 4, false)).toBeNull();
    // A contact renamed past the last entry leaves the list; one renamed before it joins it.
    expect(mergeStartPage(file, [changed(listed[0]?.id ?? '', 'Żaneta')], 5, false)).toBeNull();
    expect(mergeStartPage(file, [changed('other', 'Adam')], 5, false)?.[0]).toBe('other');
  });
});

describe('the start page file', () => {
  it('reads back what was written', () => {
    dir = mkdtempSync(join(tmpdir(), 'consent-desk-start-page-'));
    const path = join(dir, 'start-page.json');
    writeStartPageFile(path, { id: 'c3', lwt: 1700000000000.5 }, entries(['Anna', 'Zofia']));
    expect(readStartPageFile(path)).toEqual({ format: 1, checkpoint: { id: 'c3', lwt: 1700000000000.5 }, entries: entries(['Anna', 'Zofia']) });
  });

  it.each([
    ['missing', null],
    ['not JSON', '{"format":1,'],
    ['another format', JSON.stringify({ format: 2, checkpoint: { id: 'a', lwt: 1 }, entries: [] })],
    ['no checkpoint', JSON.stringify({ format: 1, entries: [] })],
    ['an entry without a name', JSON.stringify({ format: 1, checkpoint: { id: 'a', lwt: 1 }, entries: [{ id: 'a' }] })],
    ['entries out of order', JSON.stringify({ format: 1, checkpoint: { id: 'a', lwt: 1 }, entries: [{ id: 'b', name: 'Zofia' }, { id: 'a', name: 'Anna' }] })],
    ['the same entry twice', JSON.stringify({ format: 1, checkpoint: { id: 'a', lwt: 1 }, entries: [{ id: 'a', name: 'Anna' }, { id: 'a', name: 'Anna' }] })],
  ])('is not used when %s', (_, text) => {
    dir = mkdtempSync(join(tmpdir(), 'consent-desk-start-page-'));
    const path = join(dir, 'start-page.json');
    if (text !== null) writeFileSync(path, text);
    expect(readStartPageFile(path)).toBeNull();
  });
});
