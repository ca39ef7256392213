import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { AccessExportDocument, AccessExportLanguage } from '../../shared/api/lifecycle-channels';
import { createPdfWriter, findFontDir, FONT_FILES, MARGIN, MUTED, type TextStyle } from '../proof/pdf-writer';
import { ACCESS_PDF_TEXT } from './access-pdf-text';

// The access export as a readable PDF, in English or Polish, with the proof's embedded font
// (Polish letters need it: PDF's standard fonts only cover Latin-1).

// Control characters (other than new lines) cannot be drawn; a message body may hold them.
const printable = (s: string) => [...s].map((ch) => (ch !== '\n' && /\p{Cc}/u.test(ch) ? ' ' : ch)).join('');

export async function renderAccessPdf(doc: AccessExportDocument, language: AccessExportLanguage, fontDir: string = findFontDir()): Promise<Uint8Array> {
  const tx = ACCESS_PDF_TEXT[language];
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(readFileSync(join(fontDir, FONT_FILES.regular)), { subset: true });
  const bold = await pdf.embedFont(readFileSync(join(fontDir, FONT_FILES.bold)), { subset: true });
  pdf.setTitle(`${tx.title} – ${doc.contact.name}`);
  pdf.setCreator('Consent Desk');
  pdf.setProducer('Consent Desk');
  pdf.setLanguage(language);
  pdf.setCreationDate(new Date(doc.generatedAt));
  const w = createPdfWriter(pdf, regular, bold);
  const text = (s: string, o: TextStyle & { muted?: boolean } = {}) => w.text(printable(s), o.muted ? { ...o, color: MUTED } : o);
  const heading = (s: string) => {
    w.gap(10);
    text(s, { bold: true, size: 12 });
  };
  const field = (label: string, value: string) => text(`${label}: ${value || '—'}`, { indent: 8 });

  text(tx.title, { size: 18, bold: true });
  w.gap(4);
  text(`${doc.contact.name}  ·  ${doc.contact.waNumber || doc.contact.phoneInput || '—'}`, { size: 11 });
  text(tx.generated(doc.generatedAt, doc.generatedBy.name, doc.generatedOnDevice), { muted: true });
  w.gap(4);
  text(tx.intro, { muted: true });

  heading(tx.contact);
  const c = doc.contact;
  field(tx.name, c.name);
  field(tx.number, c.waNumber);
  field(tx.numberTyped, c.phoneInput);
  field(tx.email, c.email);
  field(tx.properties, Object.entries(c.properties).map(([k, v]) => `${k} = ${v}`).join('; '));
  field(tx.tags, c.tags.join(', '));
  field(tx.created, c.createdAt);
  field(tx.updated, c.updatedAt);
  field(tx.lastInbound, c.lastInboundAt);
  if (doc.platformIdentityHash) field(tx.identity, doc.platformIdentityHash);
  text(`id ${c.id}`, { indent: 8, muted: true });

  heading(tx.subscriptions);
  if (doc.subscriptions.length === 0) text(tx.none, { indent: 8, muted: true });
  for (const s of doc.subscriptions) {
    text(`${s.typeName}: ${tx.status[s.status]}${s.since ? `, ${tx.since} ${s.since}` : ''}${s.expiresAt ? `, ${tx.expires} ${s.expiresAt}` : ''}`, { indent: 8 });
  }

  heading(tx.events(doc.events.length));
  const typeNames = new Map(doc.subscriptions.map((s) => [s.typeId, s.typeName]));
  doc.events.forEach((e, i) => {
    w.gap(4);
    text(`${i + 1}. ${e.occurredAt}  ·  ${typeNames.get(e.typeId) ?? e.typeId}  ·  ${tx.status[e.previousStatus]} → ${tx.status[e.status]}`, { bold: true });
    text(`${tx.source} ${e.source}  ·  ${tx.basis} ${e.legalBasis || '—'}  ·  ${tx.by} ${e.actor.name} (${e.actor.kind})`, { indent: 10 });
    if (e.explanation) text(`${tx.explanation}: ${e.explanation}`, { indent: 10 });
    if (Object.keys(e.evidence).length) text(`${tx.evidence}: ${JSON.stringify(e.evidence)}`, { indent: 10, muted: true });
    text(`${tx.recorded(e.recordedAt, e.deviceId)}  ·  id ${e.id}`, { indent: 10, muted: true, size: 8 });
  });

  heading(tx.messages(doc.inboundMessages.length));
  if (doc.inboundMessages.length === 0) text(tx.none, { indent: 8, muted: true });
  for (const m of doc.inboundMessages) text(`${m.receivedAt}  ·  ${m.from}  ·  ${m.kind}/${m.outcome}: ${m.body || '—'}`, { indent: 8 });

  heading(tx.review(doc.reviewItems.length));
  if (doc.reviewItems.length === 0) text(tx.none, { indent: 8, muted: true });
  for (const r of doc.reviewItems) text(`${r.createdAt}  ·  ${r.kind}  ·  ${r.state}${r.resolution ? ` (${r.resolution})` : ''}: ${r.summary}`, { indent: 8 });

  heading(tx.audit(doc.auditEntries.length));
  if (doc.auditEntries.length === 0) text(tx.none, { indent: 8, muted: true });
  for (const a of doc.auditEntries) text(`${a.at}  ·  ${a.action}  ·  ${a.actorName}: ${JSON.stringify(a.details)}`, { indent: 8, size: 8 });

  const pages = pdf.getPages();
  pages.forEach((p, i) =>
    p.drawText(printable(`Consent Desk · ${doc.contact.name} · ${tx.page(i + 1, pages.length)}`), { x: MARGIN, y: MARGIN / 2, size: 7.5, font: regular, color: MUTED }),
  );
  return pdf.save();
}
