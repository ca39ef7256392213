import type { ConsentStatus, Contact, SubscriptionType } from '../../shared/domain';
import { INGEST_OUTCOMES, type IngestItemReport, type IngestOutcome, type IngestReport } from '../../shared/api/messages-channels';
import type { InboundItem, InboundParseResult } from '../../shared/consent/inbound-item';
import { detectStopRequest } from '../../shared/consent/stop-request-detector';
import { createMarketingOptOutRecogniser } from '../../shared/consent/template-button';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import type { ReviewQueue } from '../review/review-queue';
import type { AppDatabase } from '../store/database';
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
// devices, yields one event.

export type MessageIngestion = { ingest(parsed: InboundParseResult): Promise<IngestReport> };

const emptyCounts = () => Object.fromEntries(INGEST_OUTCOMES.map((o) => [o, 0])) as Record<IngestOutcome, number>;

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

  const contactFor = async (item: InboundItem): Promise<Contact> => {
    const known = directory.findByWaNumber(item.from);
    if (known) return known;
    // A keyword from an unknown number is still that person's own decision: keep it.
    const created = await contacts.create({ name: item.profileName || item.from, phoneInput: item.from });
    return created;
  };

  const processItem = async (item: InboundItem, allTypes: SubscriptionType[]): Promise<IngestItemReport> => {
    const report = (outcome: IngestOutcome, detail: string, contactId = ''): IngestItemReport => ({
      messageId: item.messageId, from: item.from, outcome, detail, contactId,
    });
    const numberTypes = typesOfNumber(allTypes, item);
    if (numberTypes.length === 0) {
      return report('unknown_number', `No subscription type is set up for the business number ${item.businessDisplayNumber || item.phoneNumberId}.`);
    }
    const inboundId = `msg:${item.messageId}`;
    if (await db.inbound_messages.findOne(inboundId).exec()) return report('duplicate', 'This message was processed before.');

    const contact = await contactFor(item);
    const marketing = numberTypes.find((t) => t.purpose === 'marketing');
    const actor = { kind: 'contact' as const, id: contact.id, name: item.profileName || contact.name };
    const evidenceBase = {
      messageId: item.messageId,
      businessNumber: item.businessDisplayNumber,
      phoneNumberId: item.phoneNumberId,
      messageType: item.messageType,
    };
    const changes: ConsentChange[] = [];
    const change = async (type: SubscriptionType, status: ConsentStatus, rest: Omit<ConsentChange, 'contactId' | 'typeId' | 'status' | 'actor' | 'id' | 'occurredAt'>) => {
      const state = await ledger.state(contact.id, type.id);
      if ((state?.status ?? 'not_specified') === status) return;
      changes.push({ ...rest, id: `msg:${item.messageId}:${type.id}`, contactId: contact.id, typeId: type.id, status, actor, occurredAt: item.timestamp });
    };

    let outcome: IngestOutcome = 'no_change';
    let detail = 'Not a keyword; nothing changed.';
    if (item.kind === 'text' && item.body !== undefined) {
      const verdict = (await keywords.matcher()).classify(item.body);
      const evidence = { ...evidenceBase, messageText: item.body.slice(0, 1000), keyword: verdict.keyword ?? '', language: verdict.language ?? '' };
      if (verdict.kind === 'opt_in') {
        const target = marketing ?? numberTypes[0];
        if (target) await change(target, 'subscribed', { source: 'keyword', legalBasis: 'consent_with_notice', explanation: `Sent "${item.body.trim()}" to ${item.businessDisplayNumber}.`, evidence });
        outcome = 'opted_in';
        detail = verdict.reason;
      } else if (verdict.kind === 'opt_out') {
        for (const t of numberTypes) await change(t, 'unsubscribed', { source: 'keyword', legalBasis: '', explanation: `Sent "${item.body.trim()}" to ${item.businessDisplayNumber}.`, evidence });
        outcome = 'opted_out';
        detail = verdict.reason;
      } else {
        const stop = detectStopRequest(item.body);
        if (stop.likelyStopRequest) {
          await review.add([{
            id: `review:${inboundId}`,
            kind: 'stop_request',
            contactId: contact.id,
            typeId: marketing?.id ?? numberTypes[0]?.id ?? '',
            summary: `"${item.body.slice(0, 200)}" looks like a request to stop, but it is not a keyword.`,
            evidence: { ...evidence, matched: stop.matched ?? '' },
          }]);
          outcome = 'review';
          detail = 'Looks like a request to stop; sent to the review queue.';
        }
      }
    } else if (item.kind === 'button') {
      const match = isOptOutButton({ payload: item.buttonPayload, text: item.buttonText });
      if (match.optOut && marketing) {
        await change(marketing, 'unsubscribed', {
          source: 'template_button',
          legalBasis: '',
          explanation: `Pressed the marketing opt-out button "${item.buttonText ?? item.buttonPayload ?? ''}".`,
          evidence: { ...evidenceBase, buttonPayload: item.buttonPayload ?? '', buttonText: item.buttonText ?? '', template: item.contextMessageId ?? '' },
        });
        outcome = 'button_opt_out';
        detail = 'Marketing opt-out button.';
      }
    } else if (item.kind === 'preference' && marketing) {
      const evidence = { ...evidenceBase, preference: item.preference ?? '', detail: item.preferenceDetail ?? '' };
      if (item.preference === 'stop') {
        await change(marketing, 'unsubscribed', { source: 'platform_preference', legalBasis: '', explanation: 'Stopped marketing messages in WhatsApp.', evidence });
        outcome = 'preference_stop';
        detail = 'The platform reports a marketing stop.';
      } else {
        const state = await ledger.state(contact.id, marketing.id);
        const last = state?.lastEventId ? await db.consent_events.findOne(state.lastEventId).exec() : null;
        if (state?.status === 'unsubscribed' && last?.source === 'platform_preference') {
          await change(marketing, 'not_specified', { source: 'platform_preference', legalBasis: '', explanation: 'Resumed marketing messages in WhatsApp (lifts the platform stop; not an opt-in).', evidence });
        }
        outcome = 'preference_resume';
        detail = 'The platform reports a marketing resume.';
      }
    }

    if (changes.length) await ledger.append(changes);
    if (item.timestamp > contact.lastInboundAt && item.kind !== 'preference') await contacts.noteInbound(contact.id, item.timestamp);
    await db.inbound_messages.insert({
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
    if (outcome === 'opted_in' || outcome === 'opted_out') {
      if (changes.length === 0) detail = `${detail} The status was already set; nothing changed.`;
    }
    return report(outcome, detail, contact.id);
  };

  return {
    async ingest(parsed) {
      const allTypes = await types.list(true);
      const items: IngestItemReport[] = [];
      const counts = emptyCounts();
      // Oldest first, so "STOP" then "START" from the same person ends subscribed.
      const ordered = [...parsed.items].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.messageId.localeCompare(b.messageId));
      for (const item of ordered) {
        const r = await processItem(item, allTypes);
        counts[r.outcome] += 1;
        items.push(r);
      }
      return { items, errors: parsed.errors, counts };
    },
  };
}
