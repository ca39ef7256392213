import type { ConsentSource, ConsentStatus, Contact, SubscriptionType } from '../../shared/domain';
import { copyWith } from '../../shared/copy-with';
import { INGEST_OUTCOMES, type IngestItemReport, type IngestOutcome, type IngestReport } from '../../shared/api/messages-channels';
import type { InboundItem, InboundParseResult } from '../../shared/consent/inbound-item';
import { detectStopRequest } from '../../shared/consent/stop-request-detector';
import { createMarketingOptOutRecogniser } from '../../shared/consent/template-button';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import { stateId } from '../ledger/projection';
import type { NewReviewItem, ReviewQueue } from '../review/review-queue';
import type { AppDatabase } from '../store/database';
import { insertDocuments } from '../store/insert-documents';
import type { InboundMessageDoc } from '../store/schemas/operations-schemas';
import type { TypeService } from '../subscription-types/type-service';
import type { KeywordSettings } from './keyword-settings';

// Turns parsed inbound WhatsApp items into consent events (SPEC 2 and 3).
// - An opt-in keyword subscribes the contact to the marketing type of the receiving
//   number (the one a click-to-chat link collects); an opt-out keyword unsubscribes
//   them from every type of that number.
// - The marketing opt-out button unsubscribes from that number's marketing type.
// - The platform's marketing stop unsubscribes from it; resume only lifts a stop the
//   platform itself set (it is not an opt-in).
// - A message that plainly asks to stop without being a keyword changes nothing and
//   goes to the review queue.
// Event ids are `msg:<message id>:<type id>`: the same message seen twice, or on two
// devices, yields one event. A batch is decided in memory, in message order, and then
// written with one ledger append, so a day of webhooks is a handful of transactions.

export type MessageIngestion = { ingest(parsed: InboundParseResult): Promise<IngestReport> };

const emptyCounts = () => Object.fromEntries(INGEST_OUTCOMES.map((o) => [o, 0])) as Record<IngestOutcome, number>;

type KeyState = { status: ConsentStatus; lastSource: ConsentSource | '' };

export function createMessageIngestion(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  contacts: ContactService;
  directory: ContactDirectory;
  keywords: KeywordSettings;
  review: ReviewQueue;
}): MessageIngestion {
  const { db, ledger, types, contacts, directory, keywords, review } = deps;
  const isOptOutButton = createMarketingOptOutRecogniser();

  const typesOfNumber = (all: SubscriptionType[], item: InboundItem) =>
    all.filter(
      (t) => !t.archived && ((item.phoneNumberId !== '' && t.phoneNumberId === item.phoneNumberId) || t.businessNumber === item.businessDisplayNumber),
    );

  // Senders we have not met become contacts: a keyword from them is still their own decision.
  const resolveContacts = async (items: InboundItem[]): Promise<Map<string, Contact>> => {
    const byNumber = new Map<string, Contact>();
    const unknown = new Map<string, string>();
    for (const item of items) {
      const known = directory.findByWaNumber(item.from);
      if (known) byNumber.set(item.from, known);
      else if (!unknown.has(item.from)) unknown.set(item.from, item.profileName || item.from);
    }
    const created = await contacts.createMany([...unknown].map(([from, name]) => ({ name, phoneInput: from })));
    for (const c of created) byNumber.set(c.waNumber, c);
    return byNumber;
  };

  const loadStates = async (keys: string[]): Promise<Map<string, KeyState>> => {
    const rows = await db.consent_state.findByIds(keys).exec();
    const lastIds = [...rows.values()].map((r) => r.lastEventId).filter(Boolean);
    const last = await db.consent_events.findByIds(lastIds).exec();
    const states = new Map<string, KeyState>();
    for (const [id, r] of rows) states.set(id, { status: r.status, lastSource: last.get(r.lastEventId)?.source ?? '' });
    return states;
  };

  return {
    async ingest(parsed) {
      const allTypes = await types.list(true);
      const matcher = await keywords.matcher();
      // Oldest first, so "STOP" then "START" from the same person ends subscribed.
      const ordered = [...parsed.items].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.messageId.localeCompare(b.messageId));
      const seen = new Set((await db.inbound_messages.findByIds(ordered.map((i) => `msg:${i.messageId}`)).exec()).keys());
      const routed = ordered.map((item) => ({ item, numberTypes: typesOfNumber(allTypes, item) }));
      const fresh = routed.filter(({ item, numberTypes }) => numberTypes.length > 0 && !seen.has(`msg:${item.messageId}`));
      const contactOf = await resolveContacts(fresh.map((r) => r.item));
      const states = await loadStates(
        fresh.flatMap(({ item, numberTypes }) => {
          const c = contactOf.get(item.from);
          return c ? numberTypes.map((t) => stateId(c.id, t.id)) : [];
        }),
      );

      const reports: IngestItemReport[] = [];
      const changes: ConsentChange[] = [];
      const reviewItems: NewReviewItem[] = [];
      const inbound: InboundMessageDoc[] = [];
      const lastInbound = new Map<string, string>();

      for (const { item, numberTypes } of routed) {
        const report = (outcome: IngestOutcome, detail: string, contactId = '') =>
          reports.push({ messageId: item.messageId, from: item.from, outcome, detail, contactId });
        const inboundId = `msg:${item.messageId}`;
        if (numberTypes.length === 0) {
          report('unknown_number', `No subscription type is set up for the business number ${item.businessDisplayNumber || item.phoneNumberId}.`);
          continue;
        }
        if (seen.has(inboundId)) {
          report('duplicate', 'This message was processed before.');
          continue;
        }
        seen.add(inboundId);
        const contact = contactOf.get(item.from);
        if (!contact) {
          report('unknown_contact', `No contact could be found or created for ${item.from}.`);
          continue;
        }
        const marketing = numberTypes.find((t) => t.purpose === 'marketing');
        const actor = { kind: 'contact' as const, id: contact.id, name: item.profileName || contact.name };
        const evidenceBase = { messageId: item.messageId, businessNumber: item.businessDisplayNumber, phoneNumberId: item.phoneNumberId, messageType: item.messageType };
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

        let outcome: IngestOutcome = 'no_change';
        let detail = 'Not a keyword; nothing changed.';
        if (item.kind === 'text' && item.body !== undefined) {
          const verdict = matcher.classify(item.body);
          const evidence = { ...evidenceBase, messageText: item.body.slice(0, 1000), keyword: verdict.keyword ?? '', language: verdict.language ?? '' };
          const explanation = `Sent "${item.body.trim().slice(0, 100)}" to ${item.businessDisplayNumber}.`;
          if (verdict.kind === 'opt_in') {
            const target = marketing ?? numberTypes[0];
            if (target) change(target, 'subscribed', { source: 'keyword', legalBasis: 'consent_with_notice', explanation, evidence });
            [outcome, detail] = ['opted_in', verdict.reason];
          } else if (verdict.kind === 'opt_out') {
            for (const t of numberTypes) change(t, 'unsubscribed', { source: 'keyword', legalBasis: '', explanation, evidence });
            [outcome, detail] = ['opted_out', verdict.reason];
          } else if (detectStopRequest(item.body).likelyStopRequest) {
            reviewItems.push({
              id: `review:${inboundId}`,
              kind: 'stop_request',
              contactId: contact.id,
              typeId: marketing?.id ?? numberTypes[0]?.id ?? '',
              summary: `"${item.body.slice(0, 200)}" looks like a request to stop, but it is not a keyword.`,
              evidence: { ...evidence, matched: detectStopRequest(item.body).matched ?? '' },
            });
            [outcome, detail] = ['review', 'Looks like a request to stop; sent to the review queue.'];
          }
        } else if (item.kind === 'button') {
          if (isOptOutButton({ payload: item.buttonPayload, text: item.buttonText }).optOut && marketing) {
            change(marketing, 'unsubscribed', {
              source: 'template_button',
              legalBasis: '',
              explanation: `Pressed the marketing opt-out button "${item.buttonText ?? item.buttonPayload ?? ''}".`,
              evidence: { ...evidenceBase, buttonPayload: item.buttonPayload ?? '', buttonText: item.buttonText ?? '', template: item.contextMessageId ?? '' },
            });
            [outcome, detail] = ['button_opt_out', 'Marketing opt-out button.'];
          }
        } else if (item.kind === 'preference' && marketing) {
          const evidence = { ...evidenceBase, preference: item.preference ?? '', detail: item.preferenceDetail ?? '' };
          if (item.preference === 'stop') {
            change(marketing, 'unsubscribed', { source: 'platform_preference', legalBasis: '', explanation: 'Stopped marketing messages in WhatsApp.', evidence });
            [outcome, detail] = ['preference_stop', 'The platform reports a marketing stop.'];
          } else {
            const state = states.get(stateId(contact.id, marketing.id));
            if (state?.status === 'unsubscribed' && state.lastSource === 'platform_preference') {
              change(marketing, 'not_specified', { source: 'platform_preference', legalBasis: '', explanation: 'Resumed marketing messages in WhatsApp (lifts the platform stop; not an opt-in).', evidence });
            }
            [outcome, detail] = ['preference_resume', 'The platform reports a marketing resume.'];
          }
        }
        if ((outcome === 'opted_in' || outcome === 'opted_out') && changed === 0) detail = `${detail} The status was already set; nothing changed.`;
        if (item.kind !== 'preference' && item.timestamp > (lastInbound.get(contact.id) ?? contact.lastInboundAt)) lastInbound.set(contact.id, item.timestamp);
        inbound.push({
          id: inboundId,
          contactId: contact.id,
          typeId: marketing?.id ?? numberTypes[0]?.id ?? '',
          kind: item.kind,
          from: item.from,
          body: item.body ?? item.buttonText ?? item.preference ?? '',
          receivedAt: item.timestamp,
          outcome,
          payload: { ...item },
        });
        report(outcome, detail, contact.id);
      }

      // Events first: if the process dies after this, re-processing the same messages
      // finds their event ids taken and adds nothing.
      if (changes.length) await ledger.append(changes);
      await review.add(reviewItems);
      if (lastInbound.size) await contacts.noteInbound(lastInbound);
      if (inbound.length) await insertDocuments(db.inbound_messages, inbound);
      const counts = emptyCounts();
      for (const r of reports) counts[r.outcome] += 1;
      return { items: reports, errors: parsed.errors, counts };
    },
  };
}
