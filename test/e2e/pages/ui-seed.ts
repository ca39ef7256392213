import type { OpenedApp } from '../../../src/main/app';
import type { Session } from '../../../src/main/api/handler-types';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';
import type { User } from '../../../src/shared/domain';
import { callAs } from '../seed';

// Seeds for the everyday-screen flows, through the same API the UI uses.
export const MARKETING = { name: 'WhatsApp marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski' };

export async function seedTypes(app: OpenedApp, session: Session) {
  const marketing = await callAs(app, session, 'types:create', { ...MARKETING, purpose: 'marketing' });
  const service = await callAs(app, session, 'types:create', { ...MARKETING, name: 'WhatsApp service', purpose: 'transactional' });
  return { marketing, service };
}

let messageSeq = 0;
// A message from the contact's phone to the business number, as Meta's webhook delivers it.
// `secondsAgo` orders messages in time without waiting: the ledger folds by occurredAt.
export async function ingestText(app: OpenedApp, session: Session, body: string, opts: { from?: string; secondsAgo?: number } = {}) {
  messageSeq += 1;
  const from = opts.from ?? '48601234567';
  const id = `wamid.ui-${Date.now()}-${messageSeq}`;
  const timestamp = Math.floor(Date.now() / 1000) - (opts.secondsAgo ?? 0);
  return callAs(app, session, 'messages:ingest', { payload: webhook([textMessage(id, body, timestamp, from)], { from }) });
}

// A manual subscription recorded an hour ago, so anything the test does next is newer.
export async function seedSubscribed(app: OpenedApp, admin: User, contactId: string, typeId: string) {
  const { inserted } = await app.services.ledger.append([
    {
      contactId, typeId, status: 'subscribed', source: 'manual', legalBasis: 'consent_with_notice', explanation: 'Signed form',
      actor: { kind: 'user', id: admin.id, name: admin.name }, evidence: {}, occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    },
  ]);
  return inserted;
}
