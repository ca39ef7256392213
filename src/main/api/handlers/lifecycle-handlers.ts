import type { lifecycleChannels } from '../../../shared/api/lifecycle-channels';
import { renderAccessPdf } from '../../lifecycle/access-pdf';
import type { AppServices } from '../../services';
import { requireUser, type HandlersFor } from '../handler-types';

// Accents dropped (Zażółć → Zazolc), anything else outside [A-Za-z0-9_.-] becomes a dash.
const fileSafe = (s: string) =>
  s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'contact';
const stamp = (iso: string) => iso.slice(0, 10);

export const lifecycleHandlers = (s: AppServices): HandlersFor<typeof lifecycleChannels> => ({
  'lifecycle:accessExport': async (input, ctx) => {
    const doc = await s.lifecycle.access.build(input.contactId, requireUser(ctx));
    await s.audit.noteRead('export.access_json', ctx.user, { contactId: input.contactId, events: doc.events.length });
    return {
      fileName: `personal-data-${fileSafe(doc.contact.name)}-${stamp(doc.generatedAt)}.json`,
      mimeType: 'application/json',
      encoding: 'utf8',
      content: `${JSON.stringify(doc, null, 2)}\n`,
      rows: doc.events.length,
    };
  },
  'lifecycle:accessExportPdf': async (input, ctx) => {
    const doc = await s.lifecycle.access.build(input.contactId, requireUser(ctx));
    const bytes = await renderAccessPdf(doc, input.language);
    await s.audit.noteRead('export.access_pdf', ctx.user, { contactId: input.contactId, language: input.language, events: doc.events.length });
    return {
      fileName: `personal-data-${fileSafe(doc.contact.name)}-${stamp(doc.generatedAt)}-${input.language}.pdf`,
      mimeType: 'application/pdf',
      encoding: 'base64',
      content: Buffer.from(bytes).toString('base64'),
      rows: doc.events.length,
    };
  },
  'lifecycle:getSettings': async () => s.lifecycle.settings.get(),
  'lifecycle:setSettings': async (input, ctx) => {
    const next = await s.lifecycle.settings.set(input);
    await s.audit.record('lifecycle.settings', ctx.user, { ...input });
    return next;
  },
  'lifecycle:applyRetention': async (_input, ctx) => {
    const result = await s.lifecycle.retention.sweep();
    await s.audit.record('lifecycle.retention', ctx.user, result);
    return result;
  },
  'lifecycle:runExpiryRules': async () => s.automation.checkExpiring(),
  'lifecycle:refusedChecks': async (input) => s.lifecycle.refused.count(input),
  'lifecycle:repermission': async (input) => s.lifecycle.repermission.list(input),
});
