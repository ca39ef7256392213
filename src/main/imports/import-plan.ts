import type { Actor, ConsentStateRow, Contact } from '../../shared/domain';
import type { RowDiff, StatusOutcome } from '../../shared/imports/import-report';
import type { RowIssue, RowPlan } from '../../shared/imports/row-validate';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentChange } from '../ledger/ledger-service';
import { stateId } from '../ledger/projection';
import { changedFields, stampFields } from '../sync/field-clock';

// What a slice of valid rows would do to the store: contacts to create or update and
// consent changes to record. The same plan serves the dry run (shown) and the apply
// (written), so what the user approved is what happens.

export type SlicePlan = {
  inserts: Contact[];
  updates: Contact[];
  changes: ConsentChange[];
  diffs: RowDiff[];
  issues: RowIssue[];
};

export type PlanContext = {
  importId: string;
  fileName: string;
  fileHash: string;
  deviceId: string;
  at: string;
  actor: Actor;
  // Rows whose own opt-out the user confirmed may be resubscribed (SPEC 5 rule, applied per row).
  confirmedRows: ReadonlySet<number>;
  directory: ContactDirectory;
  states: ReadonlyMap<string, ConsentStateRow>;
};

export const contactIdFor = (importId: string, row: number) => `csv-${importId}-${row}`;
export const eventIdFor = (importId: string, row: number, typeId: string) => `csv:${importId}:${row}:${typeId}`;

export function planSlice(rows: readonly RowPlan[], ctx: PlanContext): SlicePlan {
  const plan: SlicePlan = { inserts: [], updates: [], changes: [], diffs: [], issues: [] };
  for (const r of rows) {
    const existing = ctx.directory.findByWaNumber(r.waNumber);
    let contact: Contact;
    let kind: RowDiff['contact'] = 'same';
    let fields: string[] = [];
    if (!existing) {
      if (!r.name) {
        plan.issues.push({ row: r.row, code: 'missing_name', column: '', value: r.phoneInput });
        continue;
      }
      contact = {
        id: contactIdFor(ctx.importId, r.row),
        name: r.name,
        email: r.email ?? '',
        phoneInput: r.phoneInput,
        waNumber: r.waNumber,
        phoneValid: true,
        properties: r.properties,
        tags: r.tags ?? [],
        createdAt: ctx.at,
        updatedAt: ctx.at,
        lastInboundAt: '',
      };
      kind = 'create';
      plan.inserts.push(contact);
    } else {
      // Empty cells keep what is stored; imports add tags and properties, never remove them.
      const patch: Partial<Contact> = {};
      if (r.name) patch.name = r.name;
      if (r.email) patch.email = r.email;
      if (Object.keys(r.properties).length) patch.properties = { ...existing.properties, ...r.properties };
      if (r.tags?.length) patch.tags = [...new Set([...existing.tags, ...r.tags])];
      fields = changedFields(existing as unknown as Record<string, unknown>, patch as Record<string, unknown>);
      contact = existing;
      if (fields.length) {
        kind = 'update';
        contact = { ...existing, ...patch, updatedAt: ctx.at, fieldClock: stampFields(existing.fieldClock, fields, ctx.at, ctx.deviceId) };
        plan.updates.push(contact);
      }
    }
    const diff: RowDiff = { row: r.row, contactId: contact.id, name: contact.name, waNumber: r.waNumber, contact: kind, fields, statuses: [] };
    for (const s of r.statuses) {
      const state = existing ? ctx.states.get(stateId(existing.id, s.typeId)) : undefined;
      const from = state?.status ?? 'not_specified';
      let outcome: StatusOutcome = 'change';
      if (from === s.status) outcome = 'unchanged';
      else if (state?.ownOptOut) {
        // Only an explicit "subscribed" the user confirmed may lift a contact's own opt-out.
        outcome = s.status === 'subscribed' ? (ctx.confirmedRows.has(r.row) ? 'change' : 'needs_confirmation') : 'own_opt_out';
      }
      diff.statuses.push({ typeId: s.typeId, from, to: s.status, outcome });
      if (outcome !== 'change') continue;
      plan.changes.push({
        id: eventIdFor(ctx.importId, r.row, s.typeId),
        contactId: contact.id,
        typeId: s.typeId,
        status: s.status,
        source: 'csv_import',
        legalBasis: s.legalBasis,
        explanation: s.explanation || `Imported from ${ctx.fileName}, row ${r.row}`,
        actor: ctx.actor,
        evidence: {
          fileName: ctx.fileName,
          row: r.row,
          importId: ctx.importId,
          fileHash: ctx.fileHash,
          ...(state?.ownOptOut ? { confirmedNewConsentAfterOwnOptOut: true } : {}),
        },
        basedOn: state?.lastEventId ?? '',
      });
    }
    plan.diffs.push(diff);
  }
  return plan;
}

export const stateKeysFor = (rows: readonly RowPlan[], directory: ContactDirectory): string[] => {
  const keys: string[] = [];
  for (const r of rows) {
    const c = directory.findByWaNumber(r.waNumber);
    if (c) for (const s of r.statuses) keys.push(stateId(c.id, s.typeId));
  }
  return keys;
};
