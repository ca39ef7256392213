import {
  ALL_WHATSAPP_TYPE_ID,
  type Actor,
  type ConsentEvent,
  type ConsentStateRow,
  type ConsentStatus,
  type LegalBasis,
  type User,
} from '../../shared/domain';
import type { ConsentAction, ContactConsent, TypeConsent } from '../../shared/api/consent-channels';
import { ordersBefore } from '../../shared/consent/consent-fold';
import { consentExpiry } from '../../shared/consent/consent-expiry';
import { canMessage, type MayMessageAnswer, type MessageCategory } from '../../shared/consent/may-message';
import { isBlankText, trimInvisible } from '../../shared/visible-text';
import { AppError } from '../app-error';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { TypeService } from '../subscription-types/type-service';
import type { AppDatabase } from '../store/database';

// Manual consent management on the contact record (SPEC 5) and the may-I-message
// rule (SPEC 10). The rules live here, in main: the UI only offers what they allow.

export type ManualChange = {
  contactId: string;
  typeId: string;
  action: ConsentAction;
  legalBasis: LegalBasis | '';
  explanation: string;
  basedOn: string;
  confirmOwnOptOut: boolean;
};

export type ConsentService = {
  forContact(contactId: string): Promise<ContactConsent>;
  change(input: ManualChange, user: User): Promise<ConsentEvent>;
  setOptOutAll(input: { contactId: string; optedOut: boolean; explanation: string; basedOn: string; confirmOwnOptOut: boolean }, user: User): Promise<ConsentEvent>;
  mayMessage(contactId: string, typeId: string, category: MessageCategory): Promise<MayMessageAnswer>;
};

export const actorOf = (user: User): Actor => ({ kind: 'user', id: user.id, name: user.name });

const actionFor = (status: ConsentStatus): ConsentAction =>
  status === 'subscribed' ? 'unsubscribe' : status === 'unsubscribed' ? 'resubscribe' : 'subscribe';

const SERVICE_TYPE = { id: '', name: '', purpose: 'transactional', archived: false } as const;

export function createConsentService(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  directory: ContactDirectory;
  now: () => Date;
}): ConsentService {
  const { db, ledger, types, directory, now } = deps;

  const contactOrThrow = async (id: string) => {
    await directory.ready;
    const c = directory.get(id);
    if (!c) throw new AppError('not_found', 'No such contact.');
    return c;
  };

  const statesOf = async (contactId: string) => {
    const rows = await ledger.statesForContact(contactId);
    const byType = new Map<string, ConsentStateRow>(rows.map((r) => [r.typeId, r]));
    const statusByType: Record<string, ConsentStatus> = {};
    const sinceByType: Record<string, string> = {};
    for (const r of rows) {
      statusByType[r.typeId] = r.status;
      sinceByType[r.typeId] = r.lastOccurredAt;
    }
    return { byType, statusByType, sinceByType };
  };

  // The user must have seen the newest event: otherwise they decided on stale facts,
  // e.g. without knowing the contact just opted out by message.
  const assertSeen = (state: ConsentStateRow | undefined, basedOn: string) => {
    const latest = state?.lastEventId ?? '';
    if (latest !== basedOn) {
      throw new AppError('conflict', 'This subscription changed since you opened it (for example the contact replied STOP). Look at the new status and try again.', {
        latestEventId: latest,
      });
    }
  };

  // A change ordered before the latest event (this device's clock is behind it) would be
  // recorded yet never take effect: refuse it rather than answer ok with no effect.
  const assertTakesEffect = async (state: ConsentStateRow | null, status: ConsentStatus) => {
    if (!state?.lastEventId) return;
    const last = await db.consent_events.findOne(state.lastEventId).exec();
    if (!last) return;
    const at = now().toISOString();
    if (ordersBefore({ occurredAt: at, recordedAt: at, status }, last.toMutableJSON() as ConsentEvent)) {
      throw new AppError(
        'conflict',
        `This change cannot take effect: the latest change is dated ${last.occurredAt}, later than this device's clock (${at}). Check the date and time of this computer, then try again.`,
        { latestEventId: last.id, latestOccurredAt: last.occurredAt, deviceTime: at },
      );
    }
  };

  return {
    async forContact(contactId) {
      const contact = await contactOrThrow(contactId);
      const [typeList, { byType, statusByType, sinceByType }] = await Promise.all([types.list(), statesOf(contactId)]);
      const lastIds = [...byType.values()].map((r) => r.lastEventId).filter(Boolean);
      const lastEvents = await db.consent_events.findByIds(lastIds).exec();
      const eventOf = (r: ConsentStateRow | undefined) => {
        const doc = r?.lastEventId ? lastEvents.get(r.lastEventId) : undefined;
        return doc ? (doc.toMutableJSON() as ConsentEvent) : null;
      };
      const at = now();
      const rows: TypeConsent[] = typeList.map((type) => {
        const state = byType.get(type.id);
        const status = state?.status ?? 'not_specified';
        const expiry = status === 'subscribed' ? consentExpiry({ subscribedAt: state?.lastOccurredAt ?? '', validForMonths: type.validForMonths, now: at }) : null;
        return {
          type,
          status,
          ownOptOut: state?.ownOptOut ?? false,
          lastEvent: eventOf(state),
          action: expiry?.phase === 'expired' ? 'resubscribe' : actionFor(status),
          marketing: type.purpose === 'marketing' ? canMessage({ contact, type, category: 'marketing', stateByType: statusByType, sinceByType, now: at }) : null,
          expiry: expiry && expiry.phase !== 'no_expiry' ? expiry : null,
        };
      });
      const all = byType.get(ALL_WHATSAPP_TYPE_ID);
      return {
        contactId,
        types: rows,
        optedOutAll: { status: all?.status ?? 'not_specified', ownOptOut: all?.ownOptOut ?? false, lastEvent: eventOf(all) },
        service: canMessage({ contact, type: SERVICE_TYPE, category: 'service', stateByType: statusByType, now: at }),
      };
    },

    async change(input, user) {
      const contact = await contactOrThrow(input.contactId);
      const type = await types.get(input.typeId);
      if (!type) throw new AppError('not_found', 'No such subscription type.');
      const state = await ledger.state(input.contactId, input.typeId);
      const status = state?.status ?? 'not_specified';
      const expected = actionFor(status);
      // An expired subscription is renewed by resubscribing (a new term from new consent).
      const renews = status === 'subscribed' && input.action === 'resubscribe'
        && consentExpiry({ subscribedAt: state?.lastOccurredAt ?? '', validForMonths: type.validForMonths, now: now() }).phase === 'expired';
      if (input.action !== expected && !renews) {
        throw new AppError('conflict', `The contact is ${status.replace('_', ' ')} for "${type.name}", so "${input.action}" does not apply.`);
      }
      assertSeen(state ?? undefined, input.basedOn);
      const subscribing = input.action !== 'unsubscribe';
      if (subscribing) {
        if (type.archived) throw new AppError('conflict', `"${type.name}" is archived.`);
        if (!contact.phoneValid) {
          throw new AppError('invalid_phone', contact.phoneInput
            ? `"${contact.phoneInput}" is not a valid WhatsApp number; correct it before subscribing.`
            : 'The contact has no WhatsApp number; add one before subscribing.');
        }
        if (!input.legalBasis) throw new AppError('legal_basis_required', 'Choose the legal basis for this subscription.');
        if (state?.ownOptOut && !input.confirmOwnOptOut) {
          throw new AppError('confirmation_required', 'The contact unsubscribed by their own message. Confirm that you obtained new, verifiable consent before resubscribing.');
        }
      }
      if (isBlankText(input.explanation)) throw new AppError('explanation_required', 'Write why this change is made.');
      await assertTakesEffect(state, subscribing ? 'subscribed' : 'unsubscribed');
      const { inserted } = await ledger.append([
        {
          contactId: input.contactId,
          typeId: input.typeId,
          status: subscribing ? 'subscribed' : 'unsubscribed',
          source: 'manual',
          legalBasis: input.legalBasis,
          explanation: trimInvisible(input.explanation),
          actor: actorOf(user),
          evidence: renews
            ? { renewsExpiredConsent: state?.lastEventId ?? '' }
            : subscribing && state?.ownOptOut ? { confirmedNewConsentAfterOwnOptOut: true } : {},
          basedOn: input.basedOn,
        },
      ]);
      const event = inserted[0];
      if (!event) throw new AppError('conflict', 'The change was not recorded; try again.');
      return event;
    },

    async setOptOutAll(input, user) {
      await contactOrThrow(input.contactId);
      const state = await ledger.state(input.contactId, ALL_WHATSAPP_TYPE_ID);
      const current = state?.status ?? 'not_specified';
      if ((current === 'unsubscribed') === input.optedOut) {
        throw new AppError('conflict', input.optedOut ? 'The contact is already opted out of all WhatsApp.' : 'The contact is not opted out of all WhatsApp.');
      }
      assertSeen(state ?? undefined, input.basedOn);
      if (isBlankText(input.explanation)) throw new AppError('explanation_required', 'Write why this change is made.');
      if (!input.optedOut && state?.ownOptOut && !input.confirmOwnOptOut) {
        throw new AppError('confirmation_required', 'The contact opted out of all WhatsApp themselves. Confirm that they asked to receive messages again.');
      }
      await assertTakesEffect(state, input.optedOut ? 'unsubscribed' : 'not_specified');
      const { inserted } = await ledger.append([
        {
          contactId: input.contactId,
          typeId: ALL_WHATSAPP_TYPE_ID,
          status: input.optedOut ? 'unsubscribed' : 'not_specified',
          source: 'manual',
          legalBasis: '',
          explanation: trimInvisible(input.explanation),
          actor: actorOf(user),
          evidence: {},
          basedOn: input.basedOn,
        },
      ]);
      const event = inserted[0];
      if (!event) throw new AppError('conflict', 'The change was not recorded; try again.');
      return event;
    },

    async mayMessage(contactId, typeId, category) {
      const contact = await contactOrThrow(contactId);
      const { statusByType, sinceByType } = await statesOf(contactId);
      if (category === 'service') return canMessage({ contact, type: SERVICE_TYPE, category, stateByType: statusByType, now: now() });
      const type = await types.get(typeId);
      if (!type) throw new AppError('not_found', 'Name the marketing subscription type to check.');
      return canMessage({ contact, type, category, stateByType: statusByType, sinceByType, now: now() });
    },
  };
}
