import type { AccessExportDocument } from '../../shared/api/lifecycle-channels';
import { consentExpiry } from '../../shared/consent/consent-expiry';
import { ALL_WHATSAPP_TYPE_ID, type Contact, type User } from '../../shared/domain';
import { AppError } from '../app-error';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { AuditLogDoc, InboundMessageDoc, ReviewItemDoc } from '../store/schemas/operations-schemas';
import type { TypeService } from '../subscription-types/type-service';
import { identityKey } from './platform-signal-service';

// Everything held about one contact (GDPR Art. 15). The audit log has no index by contact,
// so it is read once and an entry counts when its details name the contact's id (a ULID,
// never a substring of anything else) or, when the contact has one, their WhatsApp number.

export type AccessExport = { build(contactId: string, requestedBy: User): Promise<AccessExportDocument> };

const mentions = (entry: AuditLogDoc, needles: readonly string[]) => {
  const text = JSON.stringify(entry.details);
  return needles.some((n) => text.includes(n));
};

export function createAccessExport(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  directory: ContactDirectory;
  deviceId: string;
  now: () => Date;
}): AccessExport {
  const { db, ledger, types, directory, deviceId, now } = deps;
  return {
    async build(contactId, requestedBy) {
      await directory.ready;
      const doc = await db.contacts.findOne(contactId).exec();
      if (!doc) throw new AppError('not_found', 'No such contact.');
      const contact = doc.toMutableJSON() as Contact;
      const at = now();
      const [events, states, typeList, inbound, review, audit, identity] = await Promise.all([
        ledger.events(contactId),
        ledger.statesForContact(contactId),
        types.list(true),
        queryPlain<InboundMessageDoc>(db.inbound_messages, { selector: { contactId } }),
        queryPlain<ReviewItemDoc>(db.review_items, { selector: { contactId } }),
        queryPlain<AuditLogDoc>(db.audit_log, { selector: {} }),
        db.settings.findOne(identityKey(contactId)).exec(),
      ]);
      const typeById = new Map(typeList.map((t) => [t.id, t]));
      const needles = [contact.id, ...(contact.waNumber ? [contact.waNumber] : [])];
      const identityValue = identity?.toJSON().value as { v?: { hash?: unknown } } | undefined;
      return {
        format: 'consent-desk/access@1',
        generatedAt: at.toISOString(),
        generatedBy: { id: requestedBy.id, name: requestedBy.name },
        generatedOnDevice: deviceId,
        contact,
        subscriptions: states
          .map((s) => {
            const type = typeById.get(s.typeId);
            const expiry = s.status === 'subscribed' ? consentExpiry({ subscribedAt: s.lastOccurredAt, validForMonths: type?.validForMonths, now: at }) : null;
            return {
              typeId: s.typeId,
              typeName: s.typeId === ALL_WHATSAPP_TYPE_ID ? 'All WhatsApp' : (type?.name ?? s.typeId),
              status: s.status,
              since: s.lastOccurredAt,
              expiresAt: expiry?.expiresAt ?? '',
            };
          })
          .sort((a, b) => a.typeName.localeCompare(b.typeName)),
        events: events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.deviceId.localeCompare(b.deviceId) || a.seq - b.seq),
        inboundMessages: inbound
          .map((m) => ({ id: m.id, receivedAt: m.receivedAt, kind: m.kind, from: m.from, body: m.body, outcome: m.outcome, typeId: m.typeId }))
          .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id)),
        reviewItems: review
          .map((r) => ({ id: r.id, kind: r.kind, state: r.state, summary: r.summary, createdAt: r.createdAt, resolvedAt: r.resolvedAt, resolution: r.resolution, evidence: r.evidence }))
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
        auditEntries: audit
          .filter((e) => mentions(e, needles))
          .map((e) => ({ id: e.id, at: e.at, action: e.action, actorName: e.actorName, details: e.details }))
          .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)),
        platformIdentityHash: typeof identityValue?.v?.hash === 'string' ? identityValue.v.hash : '',
      };
    },
  };
}
