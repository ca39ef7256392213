import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { fileSafeName } from '../../../src/main/exports/file-name';
import { legalBasisLabel, proofTime, sourceLabel, statusLabel } from '../../../src/main/proof/proof-labels';
import { findFontDir, wrap } from '../../../src/main/proof/pdf-writer';
import { CONSENT_SOURCES, LEGAL_BASES } from '../../../src/shared/domain';

describe('file names from a contact name', () => {
  it.each([
    ['Jan Wójcik', 'Jan-Wojcik'],
    ['Łukasz Brzęczyszczykiewicz', 'Lukasz-Brzeczyszczykiewicz'],
    ['Zofia Żak-Grzębowska 12', 'Zofia-Zak-Grzebowska-12'],
    ['Søren Straße', 'Soren-Strasse'],
    ['../../etc/passwd', 'etc-passwd'],
    ['CON', 'CON'],
    ['名前', 'contact'],
    ['  ', 'contact'],
    ['a\u0000b\u202Ec', 'a-b-c'],
  ])('%j → %j', (name, expected) => expect(fileSafeName(name)).toBe(expected));

  it('stays short and never ends in a hyphen', () => {
    const long = fileSafeName(`${'Ab '.repeat(40)}`);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).not.toMatch(/-$/);
  });
});

describe('the proof PDF speaks words, not codes', () => {
  it('every legal basis, source and status has a label', () => {
    for (const b of LEGAL_BASES) expect(legalBasisLabel(b)).not.toContain('_');
    for (const s of CONSENT_SOURCES) expect(sourceLabel(s)).not.toContain('_');
    expect(legalBasisLabel('legitimate_interest_client')).toBe('Legitimate interest – existing customer (art. 6(1)(f))');
    expect(legalBasisLabel('')).toBe('None given');
    expect(statusLabel('not_specified')).toBe('Not specified');
    expect(proofTime('2026-12-07T18:24:03.120Z')).toBe('7 Dec 2026, 18:24:03 UTC');
    expect(proofTime('not a date')).toBe('not a date');
  });

  it('wraps long ids and hashes so no line is wider than the page', async () => {
    const pdf = await PDFDocument.create();
    pdf.registerFontkit(fontkit);
    const font = await pdf.embedFont(readFileSync(join(findFontDir(), 'DejaVuSans.ttf')));
    const width = 200;
    const text = `Recorded on device dev-01JXYZ, seq 12 · id ${'01JABCDEFGHJKMNPQRSTVWXYZ0'.repeat(4)} and hash ${'f'.repeat(64)} end`;
    const lines = wrap(text, font, 9, width);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 9)).toBeLessThanOrEqual(width);
    expect(lines.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(wrap('short words stay whole', font, 9, width)).toEqual(['short words stay whole']);
  });
});
