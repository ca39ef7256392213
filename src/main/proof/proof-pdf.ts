import fontkit from '@pdf-lib/fontkit';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ConsentProof } from '../../shared/api/history-channels';
import { legalBasisLabel, proofTime, sourceLabel, statusLabel } from './proof-labels';

// The consent proof as a printable PDF. The font is embedded (DejaVu Sans, shipped in
// resources/fonts with its licence) so Polish and other letters render on any reader;
// PDF's standard fonts only cover Latin-1.
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export function findFontDir(candidates: readonly string[] = []): string {
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const dirs = [
    ...candidates,
    resolve('resources/fonts'),
    ...(resourcesPath ? [join(resourcesPath, 'fonts'), join(resourcesPath, 'resources', 'fonts')] : []),
  ];
  const found = dirs.find((d) => existsSync(join(d, FONT_FILES.regular)));
  if (!found) throw new Error(`The proof font ${FONT_FILES.regular} was not found in ${dirs.join(', ')}`);
  return found;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const INK = rgb(0.11, 0.14, 0.19);
const MUTED = rgb(0.37, 0.42, 0.48);
const BAD = rgb(0.7, 0.15, 0.12);

type Writer = { text(s: string, o?: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number }): void; gap(h: number): void };

// Lines that fit `width`: words move to the next line whole; a word longer than a line (an
// id, a hash) is cut by characters wherever it falls, so nothing runs off the page.
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(\s+)/)) {
      if (word === '') continue;
      if (fits(line + word)) {
        line += word;
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = '';
      for (const ch of word.trimStart()) {
        if (!fits(line + ch) && line !== '') {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export async function renderProofPdf(proof: ConsentProof, fontDir: string = findFontDir()): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(readFileSync(join(fontDir, FONT_FILES.regular)), { subset: true });
  const bold = await pdf.embedFont(readFileSync(join(fontDir, FONT_FILES.bold)), { subset: true });
  const d = proof.document;
  pdf.setTitle(`Consent proof – ${d.contact.name}`);
  pdf.setSubject(`sha-256 ${proof.sha256}`);
  pdf.setCreator('Consent Desk');
  pdf.setProducer('Consent Desk');
  pdf.setCreationDate(new Date(d.generatedAt));

  let page: PDFPage = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - MARGIN;
  const w: Writer = {
    text(s, o = {}) {
      const size = o.size ?? 9;
      const font = o.bold ? bold : regular;
      const indent = o.indent ?? 0;
      for (const line of wrap(s, font, size, A4.width - 2 * MARGIN - indent)) {
        if (y - size < MARGIN) {
          page = pdf.addPage([A4.width, A4.height]);
          y = A4.height - MARGIN;
        }
        y -= size * 1.35;
        page.drawText(line, { x: MARGIN + indent, y, size, font, color: o.color ?? INK });
      }
    },
    gap(h) {
      y -= h;
    },
  };

  w.text('Consent proof', { size: 18, bold: true });
  w.gap(4);
  w.text(`${d.contact.name}  ·  ${d.contact.waNumber || 'no WhatsApp number'}${d.contact.email ? `  ·  ${d.contact.email}` : ''}`, { size: 11 });
  w.text(`Contact id ${d.contact.id}`, { color: MUTED });
  w.text(`Generated ${proofTime(d.generatedAt)} by ${d.generatedBy.name} on device ${d.generatedOnDevice}`, { color: MUTED });
  w.gap(8);
  w.text('SHA-256 of the proof document (canonical JSON)', { bold: true });
  w.text(proof.sha256, { size: 9 });
  w.gap(6);
  const failed = d.checks.filter((c) => !c.contentHashOk || !c.linkedToPrevious || c.linkedByNext === false).length;
  w.text(
    failed === 0
      ? `Result: all ${d.events.length} events match their hashes and are linked in their device chains.`
      : `Result: ${failed} of ${d.events.length} events FAILED a check (see below).`,
    { bold: true, color: failed === 0 ? INK : BAD, size: 10 },
  );
  w.gap(10);

  w.text('Current status', { bold: true, size: 12 });
  if (d.currentStatus.length === 0) w.text('No consent recorded.', { color: MUTED });
  for (const s of d.currentStatus) w.text(`${s.typeName}: ${statusLabel(s.status)}   (last event ${s.lastEventId})`, { indent: 8 });
  w.gap(10);

  w.text(`Events (${d.events.length}), oldest first`, { bold: true, size: 12 });
  const checks = new Map(d.checks.map((c) => [c.eventId, c]));
  const typeNames = new Map(d.currentStatus.map((s) => [s.typeId, s.typeName]));
  d.events.forEach((e, i) => {
    const c = checks.get(e.id);
    const ok = (v: boolean | null | undefined) => (v === null ? 'n/a' : v ? 'OK' : 'FAILED');
    w.gap(6);
    w.text(`${i + 1}. ${proofTime(e.occurredAt)}  ·  ${typeNames.get(e.typeId) ?? e.typeId}  ·  ${statusLabel(e.previousStatus)} → ${statusLabel(e.status)}`, { bold: true });
    w.text(`Source: ${sourceLabel(e.source)}  ·  Legal basis: ${legalBasisLabel(e.legalBasis)}  ·  By ${e.actor.name} (${e.actor.kind})`, { indent: 10 });
    if (e.explanation) w.text(`Explanation: ${e.explanation}`, { indent: 10 });
    if (Object.keys(e.evidence).length) w.text(`Evidence: ${JSON.stringify(e.evidence)}`, { indent: 10, color: MUTED });
    w.text(`Recorded ${proofTime(e.recordedAt)} on device ${e.deviceId}, seq ${e.seq}  ·  id ${e.id}`, { indent: 10, color: MUTED });
    w.text(`hash ${e.hash}`, { indent: 10, size: 7.5, color: MUTED });
    w.text(`prevHash ${e.prevHash || '(first event of the device)'}`, { indent: 10, size: 7.5, color: MUTED });
    const allOk = !!c && c.contentHashOk && c.linkedToPrevious && c.linkedByNext !== false;
    w.text(`Checks: content hash ${ok(c?.contentHashOk)}, link to previous ${ok(c?.linkedToPrevious)}, link from next ${ok(c?.linkedByNext)}`, {
      indent: 10,
      color: allOk ? INK : BAD,
    });
  });
  w.gap(10);
  w.text('Chain heads at generation', { bold: true, size: 12 });
  for (const h of d.chainHeads) w.text(`device ${h.deviceId}: seq ${h.seq}, event ${h.eventId}, hash ${h.hash}`, { indent: 8, size: 8 });
  w.gap(10);
  w.text('How to verify', { bold: true, size: 12 });
  w.text(d.method, { color: MUTED });

  const pages = pdf.getPages();
  pages.forEach((p, i) =>
    p.drawText(`Consent Desk · ${d.contact.name} · page ${i + 1} of ${pages.length}`, { x: MARGIN, y: MARGIN / 2, size: 7.5, font: regular, color: MUTED }),
  );
  return pdf.save();
}
