import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';
import type { ConsentProof } from '../../shared/api/history-channels';
import { createPdfWriter, findFontDir, FONT_FILES, INK, MARGIN, MUTED } from './pdf-writer';
import { legalBasisLabel, proofTime, sourceLabel, statusLabel } from './proof-labels';

// The consent proof as a printable PDF.
const BAD = rgb(0.7, 0.15, 0.12);

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

  const w = createPdfWriter(pdf, regular, bold);

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
  if (d.signedHeads) {
    w.gap(6);
    w.text('Signed chain heads known (each device\'s own signed statement of its newest event)', { bold: true });
    for (const h of d.signedHeads.known) w.text(`device ${h.deviceId}: seq ${h.seq}, hash ${h.hash}, signed ${proofTime(h.at)}`, { indent: 8, size: 8 });
    for (const t of d.signedHeads.tails) w.text(`Missing here: ${t.message}`, { indent: 8, size: 8, color: BAD });
  }
  w.gap(10);
  w.text('How to verify', { bold: true, size: 12 });
  w.text(d.method, { color: MUTED });

  const pages = pdf.getPages();
  pages.forEach((p, i) =>
    p.drawText(`Consent Desk · ${d.contact.name} · page ${i + 1} of ${pages.length}`, { x: MARGIN, y: MARGIN / 2, size: 7.5, font: regular, color: MUTED }),
  );
  return pdf.save();
}
