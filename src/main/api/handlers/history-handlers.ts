import type { historyChannels } from '../../../shared/api/history-channels';
import type { reviewChannels } from '../../../shared/api/review-channels';
import { runIntegrityCheck } from '../../integrity/integrity-check';
import { checkSignedHeadsNow } from '../../sync/signed-heads-now';
import { exportHistoryCsv, exportHistoryJsonl } from '../../history/history-export';
import { createHistoryFileExports } from '../../history/history-file-exports';
import { renderProofPdf } from '../../proof/proof-pdf';
import { requireUser, type HandlersFor } from '../handler-types';
import { fileSafeName } from '../../exports/file-name';
import type { AppServices } from '../../services';


export const historyHandlers = (s: AppServices): HandlersFor<typeof historyChannels> => {
  const fileExports = createHistoryFileExports({ history: s.history, events: s.events, now: s.now, choosePath: s.chooseExportPath });
  return {
  'history:stats': async (input) => s.history.stats(input),
  'history:facets': async () => s.history.facets(),
  'history:verify': async (_input, ctx) => {
    const report = await runIntegrityCheck({
      db: s.db,
      integrity: s.integrity,
      ledger: s.ledger,
      quarantined: () => s.sync.gate.quarantine.count(),
      registry: () => s.trust.registry(),
      signedHeads: async () => checkSignedHeadsNow(s),
      onRepaired: async (repair) => void (await s.audit.record('integrity.projection_repaired', ctx.user, repair)),
    });
    // The verdict matters most on a failing disk: a store that cannot take the audit entry
    // still gets its answer, and the answer says the entry is missing.
    const noted = await s.audit.noteRead('integrity.check', ctx.user, {
      ok: report.ok,
      events: report.events,
      counts: report.counts,
      projectionDifferences: report.projection.differenceCount,
      quarantined: report.quarantined,
      signatures: { signed: report.signatures.signed, legacyUnsigned: report.signatures.legacyUnsigned, failing: report.signatures.failing },
      ...(report.signedHeads ? { signedHeads: { known: report.signedHeads.known.length, tails: report.signedHeads.tails.length, mismatches: report.signedHeads.mismatches.length } } : {}),
    });
    return { ...report, auditEntry: noted === 'recorded' ? ('recorded' as const) : ('failed' as const) };
  },
  'history:cancelVerify': async () => ({ cancelled: s.integrity.cancel() }),
  'history:exportCsv': async (input, ctx) => {
    const { delimiter, ...filter } = input;
    const file = await exportHistoryCsv(s.history, filter, s.now(), delimiter);
    await s.audit.noteRead('export.history_csv', ctx.user, { filter, delimiter, rows: file.rows });
    return file;
  },
  'history:exportFile': async (input, ctx) => {
    const { delimiter, format, ...filter } = input;
    const file = await fileExports.write(filter, format, delimiter);
    await s.audit.noteRead(format === 'csv' ? 'export.history_csv' : 'export.history_jsonl', ctx.user, { filter, delimiter, rows: file.rows, file: file.fileName });
    return file;
  },
  'history:cancelExport': async () => ({ cancelled: fileExports.cancel() }),
  'history:exportJsonl': async (input, ctx) => {
    const file = await exportHistoryJsonl(s.history, input, s.now());
    await s.audit.noteRead('export.history_jsonl', ctx.user, { filter: input, rows: file.rows });
    return file;
  },
  'history:proof': async (input, ctx) => {
    const proof = await s.proof.build(input.contactId, requireUser(ctx));
    await s.audit.noteRead('export.proof_json', ctx.user, { contactId: input.contactId, sha256: proof.sha256 });
    return proof;
  },
  'history:proofPdf': async (input, ctx) => {
    const proof = await s.proof.build(input.contactId, requireUser(ctx));
    const bytes = await renderProofPdf(proof);
    await s.audit.noteRead('export.proof_pdf', ctx.user, { contactId: input.contactId, sha256: proof.sha256 });
    return {
      fileName: `consent-proof-${fileSafeName(proof.document.contact.name)}-${proof.sha256.slice(0, 12)}.pdf`,
      mimeType: 'application/pdf',
      encoding: 'base64',
      content: Buffer.from(bytes).toString('base64'),
      rows: proof.document.events.length,
    };
  },
  'audit:list': async (input) => s.audit.list(input),
  };
};

export const reviewHandlers = (s: AppServices): HandlersFor<typeof reviewChannels> => ({
  'review:list': async (input) => s.reviewDesk.list(input),
  'review:resolve': async (input, ctx) => s.reviewDesk.resolve(input, requireUser(ctx)),
});
