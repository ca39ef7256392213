import type { ConsentSource, ConsentStatus, SubscriptionType, User } from '../../shared/domain';
import { copyWith } from '../../shared/copy-with';
import { INGEST_OUTCOMES, type IngestItemReport, type IngestOutcome, type IngestReport, type IngestSignalReport } from '../../shared/api/messages-channels';
import { FUTURE_TOLERANCE_MS } from '../../shared/consent/consent-fold';
import { actionRank, decideInbound, type InboundDecision } from '../../shared/consent/inbound-action';
import { asInboundItem, type InboundItem, type InboundParseResult } from '../../shared/consent/inbound-item';
import type { PlatformSignal } from '../../shared/consent/platform-signal-types';
import { createMarketingOptOutRecogniser, findMarketingType } from '../../shared/consent/template-button';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import { stateId } from '../ledger/projection';
import type { NewReviewItem, ReviewQueue } from '../review/review-queue';
import type { AppDatabase } from '../store/database';
import { insertDocuments } from '../store/insert-documents';
import type { InboundMessageDoc } from '../store/schemas/operations-schemas';
import type { TypeService } from '../subscription-types/type-service';
import { resolveSenders, type Sender } from './inbound-senders';
import type { KeywordSettings } from './keyword-settings';

// Turns parsed inbound WhatsApp items into consent events (SPEC 2 and 3).
// - What an item asks for is decided by inbound-action.ts (the one text rule, buttons
//   by payload and text, captions as text, platform preferences).
// - An opt-in subscribes the sender to the marketing type of the receiving number (an
//   ACTIVE type only); an opt-out unsubscribes them from every type of that number,
//   ARCHIVED ones included, so un-archiving a type never brings back a subscription
//   its contact stopped.
// - A message to a number with no subscription type at all is kept (outcome
//   unknown_number) and an opt-out or stop request from it becomes a review item: the
//   number may belong to another business, so it does not silence every WhatsApp
//   message. reprocessKept() runs kept messages again once the number is set up (the
//   relay inbox does so by itself whenever the types change: inbox/kept-replay.ts).
// - A sender whose wa_id no spelling of which is a valid number gets no contact: the
//   message is kept (unknown_contact) and raised for review.
// - Ids are deterministic (`msg:<message id>:<type id>` for events, `review:msg:<id>`
//   for review items), so redelivery, re-imports and two devices yield one of each.
// - Platform signals in the input (a number changed hands, an identity changed, send error
//   131050: platform-signals.ts) are applied here, and only here, for every route (one
//   payload, a file, the relay inbox): each in time order among the items, after the items
//   dated before it and before those dated at or after it, so a file or a relay page that
//   holds an opt-in, then the number's change of hands, ends suspended, and the new
//   owner's START at the notice's time stands.
// Items are handled oldest first (at equal times opt-ins before opt-outs, as the fold
// orders them) in slices of SLICE items, yielding to the event loop between slices.

export type IngestOptions = {
  // The signed-in user who imported the messages; recorded in each event's evidence.
  by?: Pick<User, 'id' | 'name'> | null;
  onProgress?: (done: number, total: number) => void;
};

export type MessageIngestion = {
  ingest(parsed: InboundParseResult, options?: IngestOptions): Promise<IngestReport>;
  reprocessKept(options?: IngestOptions): Promise<IngestReport>;
};

// Applies platform signals (lifecycle/platform-signal-service.ts) through the given ledger.
export type PlatformSignalApplier = { apply(signals: readonly PlatformSignal[], ledger: ConsentLedger): Promise<IngestSignalReport[]> };

// Reports list at most this many items and errors; the counts cover all of them.
export const REPORT_LIMIT = 1000;
const SLICE = 50;
// The longest stretch of work between two yields to the event loop (target: no stall over 100 ms).
const TURN_MS = 10;
const KEPT_UNROUTED: IngestOutcome = 'unknown_number';

const emptyCounts = () => Object.fromEntries(INGEST_OUTCOMES.map((o) => [o, 0])) as Record<IngestOutcome, number>;
// ISO times of one format order the same by code units as by collation, at a fraction of the
// cost: sorting 20,000 items with localeCompare held the main thread for tens of ms.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

type KeyState = { status: ConsentStatus; lastSource: ConsentSource | '' };
type Routed = { item: InboundItem; decision: InboundDecision; numberTypes: SubscriptionType[] };

export function createMessageIngestion(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  contacts: ContactService;
  directory: ContactDirectory;
  keywords: KeywordSettings;
  review: ReviewQueue;
  // Without it (tools, benches) signals in the input are reported as not applied.
  signals?: PlatformSignalApplier;
  now?: () => Date;
  // Where this ingestion's messages come from ('relay' for the relay inbox, '' otherwise).
  // Kept messages record it, and reprocessKept() takes only its own, so each is replayed
  // through the ingestion (and the attribution) it first came through.
  origin?: string;
}): MessageIngestion {
  const { db, ledger, types, contacts, directory, keywords, review } = deps;
  const now = deps.now ?? (() => new Date());
  const origin = deps.origin ?? '';
  const isOptOutButton = createMarketingOptOutRecogniser();

  // Every type of the receiving number, archived ones included (opt-outs reach them).
  const typesOfNumber = (all: SubscriptionType[], item: InboundItem) =>
    all.filter((t) => (item.phoneNumberId !== '' && t.phoneNumberId === item.phoneNumberId) || (item.businessDisplayNumber !== '' && t.businessNumber === item.businessDisplayNumber));

  const loadStates = async (keys: string[], states: Map<string, KeyState>): Promise<void> => {
    const missing = [...new Set(keys)].filter((k) => !states.has(k));
    if (missing.length === 0) return;
    const rows = await db.consent_state.findByIds(missing).exec();
    const lastIds = [...rows.values()].map((r) => r.lastEventId).filter(Boolean);
    const last = await db.consent_events.findByIds(lastIds).exec();
    for (const [id, r] of rows) states.set(id, { status: r.status, lastSource: last.get(r.lastEventId)?.source ?? '' });
  };

  const ingest = async (parsed: InboundParseResult, options: IngestOptions = {}): Promise<IngestReport> => {
    const allTypes = await types.list(true);
    const matcher = await keywords.matcher();
    const recordedAt = now();
    // Deciding reads every text through the keyword rule: done in turns of at most TURN_MS,
    // so a 20,000-message file never holds the main thread (and the window) for long.
    const decided: Routed[] = [];
    let turnStart = performance.now();
    for (const item of parsed.items) {
      decided.push({ item, decision: decideInbound(item, matcher, isOptOutButton), numberTypes: typesOfNumber(allTypes, item) });
      if (performance.now() - turnStart > TURN_MS) {
        await nextTick();
        turnStart = performance.now();
      }
    }
    const routed = decided.sort(
        (a, b) =>
          byCodeUnits(a.item.timestamp, b.item.timestamp) ||
          actionRank(a.decision.action) - actionRank(b.decision.action) ||
          a.item.messageId.localeCompare(b.item.messageId),
      );
    const reports: IngestItemReport[] = [];
    const counts = emptyCounts();
    const states = new Map<string, KeyState>();
    const handled = new Set<string>();
    const importedBy = options.by ? { id: options.by.id, name: options.by.name } : undefined;
    const signals = [...(parsed.signals ?? [])].sort((a, b) => byCodeUnits(a.timestamp, b.timestamp));
    const signalReports: IngestSignalReport[] = [];
    let nextSignal = 0;
    // Applies the signals dated at or before `until` (all that are left when undefined).
    const applySignals = async (until?: string) => {
      const due: PlatformSignal[] = [];
      while (nextSignal < signals.length && (until === undefined || (signals[nextSignal]?.timestamp ?? '') <= until)) {
        const signal = signals[nextSignal++];
        if (signal) due.push(signal);
      }
      if (due.length === 0) return;
      const outcomes = deps.signals
        ? await deps.signals.apply(due, ledger)
        : due.map((s) => ({ kind: s.kind, id: s.kind === 'marketing_stopped' ? s.statusId : s.messageId, number: s.kind === 'marketing_stopped' ? s.recipient : s.from, contactId: '', eventIds: [], detail: 'Platform signals are not applied here.' }));
      signalReports.push(...outcomes.slice(0, REPORT_LIMIT - signalReports.length));
      // The statuses read so far may be stale now.
      states.clear();
    };

    for (let start = 0; start < routed.length; ) {
      const first = routed[start];
      if (first) await applySignals(first.item.timestamp);
      // A slice ends before the next signal's time, so the items before it are written first.
      const boundary = signals[nextSignal]?.timestamp;
      let end = Math.min(start + SLICE, routed.length);
      if (boundary !== undefined) {
        // Never 0: the signals dated at or before the slice's first item were just applied.
        const cut = routed.slice(start, end).findIndex((r) => r.item.timestamp >= boundary);
        if (cut > 0) end = start + cut;
      }
      const slice = routed.slice(start, end);
      const stored = await db.inbound_messages.findByIds(slice.map((r) => `msg:${r.item.messageId}`)).exec();
      // A message kept because its number had no type is taken again once the number has one.
      const isRetry = (r: Routed) => stored.get(`msg:${r.item.messageId}`)?.outcome === KEPT_UNROUTED && r.numberTypes.length > 0;
      const fresh = slice.filter((r) => !handled.has(r.item.messageId) && (!stored.has(`msg:${r.item.messageId}`) || isRetry(r)));
      await nextTick();
      const senders = await resolveSenders(
        { directory, contacts },
        fresh.map((r) => ({ from: r.item.from, profileName: r.item.profileName, create: r.numberTypes.length > 0, at: r.item.timestamp, opensWindow: r.item.kind !== 'preference' })),
      );
      await nextTick();
      await loadStates(
        fresh.flatMap((r) => {
          const c = senders.get(r.item.from)?.contact;
          return c ? r.numberTypes.map((t) => stateId(c.id, t.id)) : [];
        }),
        states,
      );

      await nextTick();
      const changes: ConsentChange[] = [];
      const reviewItems: NewReviewItem[] = [];
      const inserts: InboundMessageDoc[] = [];
      const retries: InboundMessageDoc[] = [];
      const lastInbound = new Map<string, string>();
      for (const r of slice) {
        const { item, decision, numberTypes } = r;
        const inboundId = `msg:${item.messageId}`;
        const report = (outcome: IngestOutcome, detail: string, contactId = '') => {
          counts[outcome] += 1;
          if (reports.length < REPORT_LIMIT) reports.push({ messageId: item.messageId, from: item.from, outcome, detail, contactId });
        };
        if (handled.has(item.messageId) || (stored.has(inboundId) && !isRetry(r))) {
          report('duplicate', 'This message was processed before.');
          continue;
        }
        handled.add(item.messageId);
        const sender: Sender = senders.get(item.from) ?? { contact: null, number: '' };
        const contact = sender.contact;
        const marketing = findMarketingType(numberTypes, { phoneNumberId: item.phoneNumberId, businessNumber: item.businessDisplayNumber });
        const typeId = marketing?.id ?? numberTypes[0]?.id ?? '';
        const keep = (outcome: IngestOutcome, contactId: string) =>
          (isRetry(r) ? retries : inserts).push({
            id: inboundId,
            contactId,
            typeId,
            kind: item.kind,
            from: item.from,
            body: item.body ?? item.buttonText ?? item.preference ?? '',
            receivedAt: item.timestamp,
            outcome,
            payload: { ...item, ...(importedBy ? { importedBy } : {}), ...(origin ? { origin } : {}) },
          });
        const text = (item.body ?? item.buttonText ?? item.buttonPayload ?? item.preference ?? '').slice(0, 200);
        const evidenceBase = {
          messageId: item.messageId,
          businessNumber: item.businessDisplayNumber,
          phoneNumberId: item.phoneNumberId,
          messageType: item.messageType,
          ...(importedBy ? { importedById: importedBy.id, importedByName: importedBy.name } : {}),
          ...(Date.parse(item.timestamp) > recordedAt.getTime() + FUTURE_TOLERANCE_MS ? { futureDated: true } : {}),
        };
        const asksToStop = ['opt_out', 'button_opt_out', 'review', 'preference_stop'].includes(decision.action);
        const raise = (kind: NewReviewItem['kind'], summary: string) =>
          reviewItems.push({ id: `review:${inboundId}`, kind, contactId: contact?.id ?? '', typeId, summary, evidence: { ...evidenceBase, messageText: text, matched: decision.matched, from: item.from } });

        if (numberTypes.length === 0) {
          const number = item.businessDisplayNumber || item.phoneNumberId;
          if (asksToStop) raise('stop_request', `"${text}" asks to stop, but ${number} has no subscription type: nothing changed. Set up the number and reprocess kept messages, or act by hand.`);
          keep(KEPT_UNROUTED, contact?.id ?? '');
          report(KEPT_UNROUTED, `No subscription type is set up for the business number ${number}. The message is kept and will be processed again once the number is set up${asksToStop ? '; the stop request is in the review queue' : ''}.`, contact?.id ?? '');
          continue;
        }
        if (!contact) {
          raise('unmatched_message', `"${text}" came from the WhatsApp id ${item.from}, which is not a valid phone number: no contact was created. Find the person and act by hand.`);
          keep('unknown_contact', '');
          report('unknown_contact', `${item.from} is not a valid phone number, so no contact was found or created; the message is kept and in the review queue.`);
          continue;
        }
        const actor = { kind: 'contact' as const, id: contact.id, name: item.profileName || contact.name };
        let changed = 0;
        const change = (type: SubscriptionType, status: ConsentStatus, rest: Pick<ConsentChange, 'source' | 'legalBasis' | 'explanation' | 'evidence'>) => {
          const key = stateId(contact.id, type.id);
          // A repeated opt-in to a type whose consent expires is a renewal: it starts a new term.
          const renews = status === 'subscribed' && (type.validForMonths ?? 0) > 0;
          if ((states.get(key)?.status ?? 'not_specified') === status && !renews) return;
          states.set(key, { status, lastSource: rest.source });
          changes.push(copyWith(rest, { id: `${inboundId}:${type.id}`, contactId: contact.id, typeId: type.id, status, actor, occurredAt: item.timestamp }));
          changed += 1;
        };
        const isButton = item.kind === 'button';
        const source: ConsentSource = isButton ? 'template_button' : 'keyword';
        const evidence = isButton
          ? { ...evidenceBase, buttonPayload: item.buttonPayload ?? '', buttonText: item.buttonText ?? '', template: item.contextMessageId ?? '', keyword: decision.matched, language: decision.language }
          : { ...evidenceBase, messageText: (item.body ?? '').slice(0, 1000), keyword: decision.matched, language: decision.language };
        const explanation = isButton
          ? `Pressed "${item.buttonText ?? item.buttonPayload ?? ''}" on ${item.businessDisplayNumber}.`
          : `Sent "${(item.body ?? '').trim().slice(0, 100)}" to ${item.businessDisplayNumber}.`;

        let outcome: IngestOutcome = 'no_change';
        let detail = decision.reason;
        if (decision.action === 'opt_in') {
          const target = numberTypes.find((t) => !t.archived && t.purpose === 'marketing') ?? numberTypes.find((t) => !t.archived);
          if (target) {
            change(target, 'subscribed', { source, legalBasis: 'consent_with_notice', explanation, evidence });
            outcome = 'opted_in';
          } else detail = `${decision.reason} Every subscription type of this number is archived, so nothing changed.`;
        } else if (decision.action === 'opt_out') {
          for (const t of numberTypes) change(t, 'unsubscribed', { source, legalBasis: '', explanation, evidence });
          outcome = 'opted_out';
        } else if (decision.action === 'button_opt_out' && marketing) {
          change(marketing, 'unsubscribed', {
            source: 'template_button',
            legalBasis: '',
            explanation: `Pressed the marketing opt-out button "${item.buttonText ?? item.buttonPayload ?? ''}".`,
            evidence: { ...evidenceBase, buttonPayload: item.buttonPayload ?? '', buttonText: item.buttonText ?? '', template: item.contextMessageId ?? '' },
          });
          outcome = 'button_opt_out';
        } else if (decision.action === 'preference_stop' && marketing) {
          change(marketing, 'unsubscribed', { source: 'platform_preference', legalBasis: '', explanation: 'Stopped marketing messages in WhatsApp.', evidence: { ...evidenceBase, preference: 'stop', detail: item.preferenceDetail ?? '' } });
          outcome = 'preference_stop';
        } else if (decision.action === 'preference_resume') {
          const state = marketing ? states.get(stateId(contact.id, marketing.id)) : undefined;
          if (marketing && state?.status === 'unsubscribed' && state.lastSource === 'platform_preference') {
            change(marketing, 'not_specified', { source: 'platform_preference', legalBasis: '', explanation: 'Resumed marketing messages in WhatsApp (lifts the platform stop; not an opt-in).', evidence: { ...evidenceBase, preference: 'resume', detail: item.preferenceDetail ?? '' } });
          }
          outcome = 'preference_resume';
        } else if (asksToStop) {
          // A stop request, or a marketing stop that reached a number without a marketing type.
          raise('stop_request', `"${text}" looks like a request to stop, but it is not a keyword alone. ${decision.reason}`);
          outcome = 'review';
          detail = `Sent to the review queue. ${decision.reason}`;
        }
        if ((outcome === 'opted_in' || outcome === 'opted_out') && changed === 0) detail = `${detail} The status was already set; nothing changed.`;
        if (item.kind !== 'preference' && item.timestamp > (lastInbound.get(contact.id) ?? contact.lastInboundAt)) lastInbound.set(contact.id, item.timestamp);
        keep(outcome, contact.id);
        report(outcome, detail, contact.id);
      }

      // Events first: if the process dies after this, re-processing the same messages
      // finds their event ids taken and adds nothing.
      // Each write is its own turn: the store answers synchronously, so awaiting one alone
      // would not let the event loop run in between.
      if (changes.length) await ledger.append(changes);
      await nextTick();
      await review.add(reviewItems);
      if (lastInbound.size) {
        await nextTick();
        await contacts.noteInbound(lastInbound);
      }
      await nextTick();
      if (inserts.length) await insertDocuments(db.inbound_messages, inserts);
      if (retries.length) await db.inbound_messages.bulkUpsert(retries);
      options.onProgress?.(end, routed.length);
      start = end;
      if (start < routed.length) await nextTick();
    }
    await applySignals();
    return { items: reports, errors: parsed.errors.slice(0, REPORT_LIMIT), counts, itemCount: routed.length, errorCount: parsed.errorCount ?? parsed.errors.length, signals: signalReports };
  };

  return {
    ingest,
    async reprocessKept(options) {
      const kept = await db.inbound_messages.find({ selector: { outcome: KEPT_UNROUTED } }).exec();
      const items = kept.flatMap((doc) => {
        const payload = doc.toMutableJSON().payload;
        if ((payload.origin ?? '') !== origin) return [];
        const item = asInboundItem(payload);
        return item ? [item] : [];
      });
      return ingest({ items, errors: [] }, options);
    },
  };
}
