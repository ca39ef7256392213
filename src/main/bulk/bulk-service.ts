import { ulid } from 'ulid';
import {
  ALL_WHATSAPP_TARGET, BULK_SKIP_REASONS, bulkRequest, type BulkActionInfo, type BulkContactRef, type BulkPreview, type BulkRequest,
  type BulkResult, type BulkSkipReason, type BulkUndoResult,
} from '../../shared/api/bulk-channels';
import { ALL_WHATSAPP_TYPE_ID, type ConsentStateRow, type User } from '../../shared/domain';
import { AppError } from '../app-error';
import { actorOf } from '../consent/consent-service';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { EventHub } from '../events/event-hub';
import { undoByCompensation } from '../ledger/compensation';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import { stateId } from '../ledger/projection';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import type { AuditEntry, AuditLog } from '../audit/audit-log';
import { decide, type BulkDecision } from './bulk-plan';

// Bulk status changes from the contacts home (SPEC 6): preview, apply in slices with
// progress and cancel, undo by compensating events. Every change goes through the ledger.
export type BulkService = {
  preview(input: BulkRequest, user: User): Promise<BulkPreview>;
  apply(bulkId: string, user: User): Promise<BulkResult>;
  resume(bulkId: string, user: User): Promise<BulkResult>;
  cancel(bulkId: string): { cancelled: boolean };
  undo(bulkId: string, explanation: string, user: User): Promise<BulkUndoResult>;
  list(limit: number): Promise<BulkActionInfo[]>;
};

const SLICE = 1000;
const SAMPLE = 100;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));
export const bulkEventId = (bulkId: string, contactId: string) => `bulk:${bulkId}:${contactId}`;
const undoEventId = (bulkId: string, contactId: string) => `bulkundo:${bulkId}:${contactId}`;

export function createBulkService(deps: {
  db: AppDatabase;
  directory: ContactDirectory;
  ledger: ConsentLedger;
  types: TypeService;
  events: EventHub;
  audit: AuditLog;
}): BulkService {
  const { db, directory, ledger, types, events, audit } = deps;
  const previews = new Map<string, { request: BulkRequest; userId: string }>();
  const running = new Map<string, { cancelled: boolean }>();

  // Bulk actions are remembered in the audit log; undo looks back this far. 'bulk.begin'
  // is written before the first slice, 'bulk.apply' when a run ends (finished or cancelled).
  const recentBulk = async (action: 'bulk.begin' | 'bulk.apply' | 'bulk.undo') => (await audit.list({ action, offset: 0, limit: 1000 })).entries;
  const beginOf = async (bulkId: string) => (await recentBulk('bulk.begin')).find((a) => a.details.bulkId === bulkId);
  // Every event a bulk change recorded, over all its runs: their ids share its prefix.
  const changedBy = async (bulkId: string) => {
    const prefix = `bulk:${bulkId}:`;
    return db.consent_events.count({ selector: { id: { $gte: prefix, $lt: `${prefix}\uffff` } } }).exec();
  };

  const typeIdOf = (target: string) => (target === ALL_WHATSAPP_TARGET ? ALL_WHATSAPP_TYPE_ID : target);

  const validate = async (r: BulkRequest) => {
    if (r.target === ALL_WHATSAPP_TARGET) {
      if (r.status === 'subscribed') throw new AppError('invalid_input', 'The "opted out of all WhatsApp" flag is either set (unsubscribed) or removed (not specified).');
    } else {
      const type = await types.get(r.target);
      if (!type) throw new AppError('not_found', 'No such subscription type.');
      if (type.archived && r.status === 'subscribed') throw new AppError('conflict', `"${type.name}" is archived.`);
    }
    if (r.status === 'subscribed' && !r.legalBasis) throw new AppError('legal_basis_required', 'Choose the legal basis for these subscriptions.');
    if (!r.explanation) throw new AppError('explanation_required', 'Write why this change is made.');
  };

  const idsOf = async (r: BulkRequest) => {
    await directory.ready;
    return 'ids' in r.selection ? [...new Set(r.selection.ids)] : directory.query(r.selection.query);
  };

  const statesFor = async (ids: string[], typeId: string) => {
    const out = new Map<string, ConsentStateRow>();
    for (const [id, doc] of await db.consent_state.findByIds(ids.map((c) => stateId(c, typeId))).exec()) {
      out.set(id, doc.toMutableJSON() as ConsentStateRow);
    }
    return out;
  };

  // Decides slice by slice, yielding between slices; `onSlice` may write each slice.
  const walk = async (r: BulkRequest, onSlice?: (d: BulkDecision[]) => Promise<boolean>) => {
    const typeId = typeIdOf(r.target);
    const ids = await idsOf(r);
    const skipped = Object.fromEntries(BULK_SKIP_REASONS.map((k) => [k, 0])) as Record<BulkSkipReason, number>;
    const skippedContacts: BulkContactRef[] = [];
    let change = 0;
    let stopped = false;
    for (let i = 0; i < ids.length && !stopped; i += SLICE) {
      const slice = ids.slice(i, i + SLICE);
      const states = await statesFor(slice, typeId);
      const decisions = slice.map((id) => decide(id, typeId, r.status, directory, states.get(stateId(id, typeId))));
      for (const d of decisions) {
        if (d.change) change += 1;
        else {
          skipped[d.reason] += 1;
          if (skippedContacts.length < SAMPLE) skippedContacts.push({ contactId: d.contactId, name: d.name, reason: d.reason });
        }
      }
      if (onSlice) stopped = !(await onSlice(decisions));
      await yieldNow();
    }
    return { selected: ids.length, change, skipped, skippedContacts, stopped };
  };

  // One run of a bulk change: decided again slice by slice from current statuses, so a
  // resumed run finds the contacts an earlier run changed unchanged (and the ledger would
  // not record an event id twice anyway).
  const execute = async (bulkId: string, r: BulkRequest, user: User): Promise<BulkResult> => {
    const typeId = typeIdOf(r.target);
    const control = { cancelled: false };
    running.set(bulkId, control);
    let done = 0;
    const total = (await idsOf(r)).length;
    const emit = (state: 'running' | 'finished' | 'cancelled') => events.emit({ type: 'progress', jobId: bulkId, kind: 'bulk', done, total, state });
    try {
      emit('running');
      const result = await walk(r, async (decisions) => {
        const changes: ConsentChange[] = [];
        for (const d of decisions) {
          if (!d.change) continue;
          changes.push({
            id: bulkEventId(bulkId, d.contactId),
            contactId: d.contactId,
            typeId,
            status: r.status,
            source: 'bulk',
            legalBasis: r.status === 'subscribed' ? r.legalBasis : '',
            explanation: r.explanation,
            actor: actorOf(user),
            evidence: { bulkId },
            basedOn: d.state?.lastEventId ?? '',
          });
        }
        if (changes.length) await ledger.append(changes);
        done += decisions.length;
        emit('running');
        return !control.cancelled;
      });
      const state = result.stopped && done < total ? 'cancelled' : 'finished';
      const changed = await changedBy(bulkId);
      await audit.record('bulk.apply', user, {
        bulkId, target: r.target, status: r.status, legalBasis: r.legalBasis, explanation: r.explanation, state, changed,
        selected: result.selected, skipped: result.skipped,
      });
      emit(state);
      const { stopped: _s, ...rest } = result;
      void _s;
      return { bulkId, ...rest, state, changed };
    } finally {
      running.delete(bulkId);
    }
  };

  return {
    async preview(input, user) {
      await validate(input);
      const bulkId = ulid();
      const result = await walk(input);
      previews.set(bulkId, { request: input, userId: user.id });
      const { stopped: _s, ...rest } = result;
      void _s;
      return { bulkId, ...rest };
    },

    async apply(bulkId, user) {
      const preview = previews.get(bulkId);
      if (!preview) throw new AppError('not_found', 'This preview has expired; preview the change again.');
      if (running.has(bulkId)) throw new AppError('conflict', 'This bulk change is already running.');
      previews.delete(bulkId);
      const r = preview.request;
      await validate(r);
      // Before the first slice: a run killed midway is then listed as interrupted, and can
      // be resumed or undone (its events carry its id).
      await audit.record('bulk.begin', user, {
        bulkId, target: r.target, status: r.status, legalBasis: r.legalBasis, explanation: r.explanation, selection: r.selection,
      });
      return execute(bulkId, r, user);
    },

    async resume(bulkId, user) {
      const begin = await beginOf(bulkId);
      if (!begin) throw new AppError('not_found', 'No such bulk change (or it was made before bulk changes could be resumed).');
      if (running.has(bulkId)) throw new AppError('conflict', 'This bulk change is already running.');
      const ended = (await recentBulk('bulk.apply')).find((a) => a.details.bulkId === bulkId && a.details.state === 'finished');
      if (ended) throw new AppError('conflict', 'This bulk change has finished; there is nothing to resume.');
      if ((await recentBulk('bulk.undo')).some((a) => a.details.bulkId === bulkId)) throw new AppError('conflict', 'This bulk change was undone; make it again instead.');
      const parsed = bulkRequest.safeParse({
        target: begin.details.target, status: begin.details.status, legalBasis: begin.details.legalBasis, explanation: begin.details.explanation, selection: begin.details.selection,
      });
      if (!parsed.success) throw new AppError('conflict', 'This bulk change cannot be resumed: its record is incomplete.');
      await validate(parsed.data);
      return execute(bulkId, parsed.data, user);
    },

    cancel(bulkId) {
      const control = running.get(bulkId);
      if (control) control.cancelled = true;
      return { cancelled: !!control };
    },

    async undo(bulkId, explanation, user) {
      const applied = (await recentBulk('bulk.apply')).find((a) => a.details.bulkId === bulkId) ?? (await beginOf(bulkId));
      if (!applied) throw new AppError('not_found', 'No such bulk action.');
      if (running.has(bulkId)) throw new AppError('conflict', 'Cancel the bulk change before undoing it.');
      if ((await recentBulk('bulk.undo')).some((a) => a.details.bulkId === bulkId)) throw new AppError('conflict', 'This bulk action was already undone.');
      const progress = (done: number, state: 'running' | 'finished') => events.emit({ type: 'progress', jobId: bulkId, kind: 'bulk-undo', done, total: Math.max(Number(applied.details.changed ?? 0), done), state });
      const outcome = await undoByCompensation({ db, ledger, directory }, `bulk:${bulkId}:`, (e, restore) => ({
        id: undoEventId(bulkId, e.contactId),
        contactId: e.contactId,
        typeId: e.typeId,
        status: restore.status,
        source: 'bulk',
        legalBasis: restore.legalBasis,
        // Read by compliance officers in the history and the proof: say which change, not its id.
        explanation: explanation || `Undo of the bulk change "${String(applied.details.explanation ?? '')}" of ${applied.at.slice(0, 10)}`,
        actor: actorOf(user),
        evidence: { undoOf: bulkId },
        basedOn: e.id,
      }), { sample: SAMPLE, onProgress: (done) => progress(done, 'running') });
      const { restored, skipped, skippedContacts } = outcome;
      await audit.record('bulk.undo', user, { bulkId, restored, skipped });
      progress(restored + skipped, 'finished');
      return { bulkId, restored, skipped, skippedContacts };
    },

    async list(limit) {
      const undone = new Set((await recentBulk('bulk.undo')).map((a) => String(a.details.bulkId)));
      // The last end of each bulk change (a resumed one has several), newest entries first.
      const ends = new Map<string, AuditEntry>();
      for (const a of await recentBulk('bulk.apply')) if (!ends.has(String(a.details.bulkId))) ends.set(String(a.details.bulkId), a);
      const begins = await recentBulk('bulk.begin');
      const begun = new Set(begins.map((a) => String(a.details.bulkId)));
      // Changes made before begin records existed are listed by their end alone.
      const entries = [...begins, ...[...ends.values()].filter((a) => !begun.has(String(a.details.bulkId)))]
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit);
      const out: BulkActionInfo[] = [];
      for (const a of entries) {
        const bulkId = String(a.details.bulkId);
        const end = ends.get(bulkId);
        const state: BulkActionInfo['state'] = running.has(bulkId) ? 'running' : end ? (end.details.state === 'cancelled' ? 'cancelled' : 'finished') : 'interrupted';
        out.push({
          bulkId,
          at: a.at,
          actorName: a.actorName,
          target: String(a.details.target),
          status: a.details.status as BulkActionInfo['status'],
          legalBasis: String(a.details.legalBasis ?? ''),
          explanation: String(a.details.explanation ?? ''),
          state,
          changed: end && state !== 'running' ? Number(end.details.changed ?? 0) : await changedBy(bulkId),
          undone: undone.has(bulkId),
        });
      }
      return out;
    },
  };
}
