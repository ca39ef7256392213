import type { IngestSignalReport } from '../../shared/api/messages-channels';
import type { PlatformSignal } from '../../shared/consent/platform-signal-types';
import type { Actor, Contact, SubscriptionType } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import { createSerialQueue } from '../ledger/serial-queue';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';

// Acts on what the platform says about a number (platform-signals.ts). Every ingestion route
// (messages:ingest, files, the relay inbox) reaches it through one place, the message
// ingestion, which applies each signal in time order among the items it ingests:
// - The number changed hands, or the person behind it changed identity: every subscribed
//   marketing type of the contact on that number is suspended (an 'unsubscribed' event by
//   the system, with the platform's notice as evidence) until someone confirms again: the
//   new owner's own START, or a resubscribe with a legal basis. Nothing moves to the new
//   number: consent was given by a person for a number, so it is not carried over.
// - A send failed with 131050 (the user stopped marketing): the platform's marketing stop,
//   recorded exactly like the `user_preferences` stop (the contact's own opt-out).
// The suspension is dated one millisecond before the notice, so a START in the same
// payload from the new owner (dated at the notice) orders after it and stands.
// Event ids come from the platform's message or status id: one event on every device.
//
// The last identity_key_hash seen per contact is kept in the settings collection (key
// `identity:<contactId>`, replicated field by field): RxDB's free build allows no 14th
// collection, and a contact field would be editable by users. An observation older than the
// one kept (a redelivery, a file of old payloads) is not a change.

export type PlatformSignalOutcome = IngestSignalReport;
export type PlatformSignalService = {
  // `ledger` is the ingestion's own (the relay's attributes its events to the relay).
  apply(signals: readonly PlatformSignal[], ledger?: ConsentLedger): Promise<PlatformSignalOutcome[]>;
};

const PLATFORM: Actor = { kind: 'system', id: 'whatsapp', name: 'WhatsApp' };
export const identityKey = (contactId: string) => `identity:${contactId}`;

const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

export function createPlatformSignalService(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  directory: ContactDirectory;
  now: () => Date;
}): PlatformSignalService {
  const { db, types, directory, now } = deps;
  const serial = createSerialQueue();

  const knownHash = async (contactId: string): Promise<{ hash: string; at: string }> => {
    const doc = await db.settings.findOne(identityKey(contactId)).exec();
    const value = doc?.toJSON().value as { v?: { hash?: unknown; at?: unknown } } | undefined;
    return { hash: typeof value?.v?.hash === 'string' ? value.v.hash : '', at: typeof value?.v?.at === 'string' ? value.v.at : '' };
  };
  const rememberHash = async (contactId: string, hash: string, messageId: string, at: string) => {
    await db.settings.upsert({ id: identityKey(contactId), value: { v: { hash, messageId, at } }, updatedAt: now().toISOString() });
  };

  const suspend = async (ledger: ConsentLedger, contact: Contact, marketing: SubscriptionType[], messageId: string, at: string, explanation: string, evidence: ConsentChange['evidence']) => {
    const changes: ConsentChange[] = [];
    for (const type of marketing) {
      if ((await ledger.state(contact.id, type.id))?.status !== 'subscribed') continue;
      changes.push({
        id: `signal:${messageId}:${type.id}`,
        contactId: contact.id,
        typeId: type.id,
        status: 'unsubscribed',
        source: 'platform_signal',
        legalBasis: '',
        explanation,
        actor: PLATFORM,
        evidence: { ...evidence, messageId, suspendedUntilReconfirmed: true },
        occurredAt: justBefore(at),
      });
    }
    if (changes.length === 0) return [];
    return (await ledger.append(changes)).inserted.map((e) => e.id);
  };

  const applyOne = async (ledger: ConsentLedger, signal: PlatformSignal, allTypes: SubscriptionType[]): Promise<PlatformSignalOutcome> => {
    const from = signal.kind === 'marketing_stopped' ? signal.recipient : signal.from;
    const id = signal.kind === 'marketing_stopped' ? signal.statusId : signal.messageId;
    const contact = directory.findByWaNumber(from);
    if (!contact) return { kind: signal.kind, id, number: from, contactId: '', eventIds: [], detail: `No contact has the number ${from}; nothing changed and no contact was made.` };
    const marketing = allTypes.filter((t) => t.purpose === 'marketing' && !t.archived);
    const where = { businessNumber: signal.businessDisplayNumber, phoneNumberId: signal.phoneNumberId };
    const outcome = (eventIds: string[], detail: string): PlatformSignalOutcome => ({ kind: signal.kind, id, number: from, contactId: contact.id, eventIds, detail });
    switch (signal.kind) {
      case 'number_changed': {
        const ids = await suspend(ledger, contact, marketing, signal.messageId, signal.timestamp,
          `WhatsApp reports that ${signal.from} changed hands (the user moved to ${signal.newNumber || 'another number'}). Marketing consent on ${signal.from} is suspended until it is confirmed again; it does not move to the new number.`,
          { ...where, signal: 'user_changed_number', systemBody: signal.body.slice(0, 500), newNumber: signal.newNumber });
        return outcome(ids, ids.length ? 'Number changed hands: marketing consent suspended.' : 'Number changed hands: no marketing consent to suspend, or applied before.');
      }
      case 'identity_changed': {
        const ids = await suspend(ledger, contact, marketing, signal.messageId, signal.timestamp,
          `WhatsApp reports that the identity behind ${signal.from} changed. Marketing consent is suspended until it is confirmed again.`,
          { ...where, signal: 'customer_identity_changed', systemBody: signal.body.slice(0, 500), identityHash: signal.identityHash });
        if (signal.identityHash && (await knownHash(contact.id)).at <= signal.timestamp) await rememberHash(contact.id, signal.identityHash, signal.messageId, signal.timestamp);
        return outcome(ids, ids.length ? 'Identity changed: marketing consent suspended.' : 'Identity changed: no marketing consent to suspend, or applied before.');
      }
      case 'identity_seen': {
        const { hash: previous, at } = await knownHash(contact.id);
        if (previous === signal.identityHash) return outcome([], 'Same identity as before.');
        if (at !== '' && signal.timestamp < at) return outcome([], 'An older identity than the last one seen: not a change.');
        await rememberHash(contact.id, signal.identityHash, signal.messageId, signal.timestamp);
        if (previous === '') return outcome([], 'First identity seen for this contact; remembered.');
        const ids = await suspend(ledger, contact, marketing, signal.messageId, signal.timestamp,
          `The identity behind ${signal.from} changed (identity_key_hash). Marketing consent is suspended until it is confirmed again.`,
          { ...where, signal: 'identity_key_hash_changed', previousIdentityHash: previous, identityHash: signal.identityHash });
        return outcome(ids, 'Identity changed: marketing consent suspended.');
      }
      case 'marketing_stopped': {
        const type = marketing.find((t) => (signal.phoneNumberId !== '' && t.phoneNumberId === signal.phoneNumberId) || t.businessNumber === signal.businessDisplayNumber);
        if (!type) return outcome([], `No marketing type is set up for ${signal.businessDisplayNumber || signal.phoneNumberId}.`);
        if ((await ledger.state(contact.id, type.id))?.status === 'unsubscribed') return outcome([], 'Already unsubscribed.');
        const { inserted } = await ledger.append([{
          id: `status:${signal.statusId}:${type.id}`,
          contactId: contact.id,
          typeId: type.id,
          status: 'unsubscribed',
          source: 'platform_preference',
          legalBasis: '',
          explanation: `A marketing message could not be delivered: WhatsApp error 131050 (the user stopped marketing messages${signal.errorTitle ? `: ${signal.errorTitle.slice(0, 200)}` : ''}).`,
          actor: { kind: 'contact', id: contact.id, name: contact.name },
          evidence: { ...where, statusId: signal.statusId, errorCode: 131050, errorTitle: signal.errorTitle.slice(0, 500) },
          occurredAt: signal.timestamp,
        }]);
        return outcome(inserted.map((e) => e.id), 'Send error 131050: the platform’s marketing stop.');
      }
    }
  };

  return {
    apply: (signals, ledger = deps.ledger) =>
      serial(async () => {
        if (signals.length === 0) return [];
        await directory.ready;
        const allTypes = await types.list(true);
        const outcomes: PlatformSignalOutcome[] = [];
        for (const signal of signals) outcomes.push(await applyOne(ledger, signal, allTypes));
        return outcomes;
      }),
  };
}
