import type { Actor, ConsentStateRow, Contact } from '../../shared/domain';
import type { RowDiff, StatusOutcome } from '../../shared/imports/import-report';
import type { RowIssue } from '../../shared/imports/row-issues';
import type { RowPlan, StatusChange } from '../../shared/imports/row-validate';
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
  // Ids of this import's events already in the ledger (an earlier run of the same file):
  // the ledger would not record them again, so the plan does not count them as changes.
  recorded: ReadonlySet<string>;
};

export const contactIdFor = (importId: string, row: number) => `csv-${importId}-${row}`;
export const eventIdFor = (importId: string, row: number, typeId: string) => `csv:${importId}:${row}:${typeId}`;

export function planSlice(rows: readonly RowPlan[], ctx: PlanContext): SlicePlan {
  const plan: SlicePlan = { inserts: [], updates: [], changes: [], diffs: [], issues: [] };
  for (const r of rows) {
    const existing = ctx.directory.findByWaNumber(r.waNumber);
    if (!existing && !r.name) {
      plan.issues.push({ row: r.row, code: 'missing_name', column: '', value: r.phoneInput });
      continue;
    }
    const statuses = r.statuses.map((s) =>
      statusOutcome(s, existing ? ctx.states.get(stateId(existing.id, s.typeId)) : undefined, ctx.confirmedRows.has(r.row), ctx.recorded.has(eventIdFor(ctx.importId, r.row, s.typeId))),
    );
    // A subscription this row would record needs a legal basis; without one the row is
    // skipped whole, as any other problem skips it. A status the contact already has needs none.
    const unfounded = statuses.find((o) => (o.outcome === 'change' || o.outcome === 'needs_confirmation') && o.change.status === 'subscribed' && !o.change.legalBasis);
    if (unfounded) {
      plan.issues.push({ row: r.row, code: 'legal_basis_required', column: unfounded.change.column, value: unfounded.change.cell });
      continue;
    }
    let contact: Contact;
    let kind: RowDiff['contact'] = 'same';
    let fields: string[] = [];
    if (!existing) {
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
    for (const { change: s, state, from, outcome } of statuses) {
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

// What one status cell would do to the contact's current state.
function statusOutcome(change: StatusChange, state: ConsentStateRow | undefined, confirmed: boolean, recorded: boolean) {
  const from = state?.status ?? 'not_specified';
  let outcome: StatusOutcome = 'change';
  if (from === change.status) outcome = 'unchanged';
  else if (recorded) outcome = 'already_imported';
  else if (state?.ownOptOut) {
    // Only an explicit "subscribed" the user confirmed may lift a contact's own opt-out.
    outcome = change.status === 'subscribed' ? (confirmed ? 'change' : 'needs_confirmation') : 'own_opt_out';
  }
  return { change, state, from, outcome };
}

export const eventIdsFor = (rows: readonly RowPlan[], importId: string): string[] => rows.flatMap((r) => r.statuses.map((s) => eventIdFor(importId, r.row, s.typeId)));

export const stateKeysFor = (rows: readonly RowPlan[], directory: ContactDirectory): string[] => {
  const keys: string[] = [];
  for (const r of rows) {
    const c = directory.findByWaNumber(r.waNumber);
    if (c) for (const s of r.statuses) keys.push(stateId(c.id, s.typeId));
  }
  return keys;
};
