// Domain vocabulary shared by main and renderer. Pure types and constant tables only:
// no Node, DOM or Electron here.

export const ROLES = ['field_agent', 'compliance_officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const CONSENT_STATUSES = ['not_specified', 'subscribed', 'unsubscribed'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const PURPOSES = ['marketing', 'transactional'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const CONSENT_SOURCES = [
  'keyword',
  'template_button',
  'manual',
  'bulk',
  'csv_import',
  'workflow',
  // The platform's own marketing stop/resume (`user_preferences` in the webhook).
  'platform_preference',
  // What the platform reports about the number itself: it changed hands, or its identity changed.
  'platform_signal',
  // A person resolving a review-queue item.
  'review',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

// GDPR legal bases, the same set a leading CRM's subscription API uses.
export const LEGAL_BASES = [
  'consent_with_notice',
  'legitimate_interest_client',
  'legitimate_interest_prospect',
  'legitimate_interest_other',
  'performance_of_contract',
  'process_and_store',
  'non_gdpr',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const ACTOR_KINDS = ['user', 'contact', 'workflow', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
export type Actor = { kind: ActorKind; id: string; name: string };

// The channel-wide "opted out of all WhatsApp" flag is folded exactly like a
// subscription type under this reserved type id: `unsubscribed` means the flag is
// set, `not_specified` means it is cleared. One fold, one protection rule.
export const ALL_WHATSAPP_TYPE_ID = '__all_whatsapp__';

export type User = {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
  // Per-field write stamps for sync merges ("<ISO time>|<device id>"); absent fields fall back to updatedAt.
  fieldClock?: Record<string, string>;
};

export type Contact = {
  id: string;
  name: string;
  email: string;
  // What the user typed, kept so an invalid number can be shown and corrected.
  phoneInput: string;
  // E.164 when valid, '' otherwise.
  waNumber: string;
  phoneValid: boolean;
  properties: Record<string, string>;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  // Per-field write stamps for sync merges ("<ISO time>|<device id>"); absent fields fall back to updatedAt.
  fieldClock?: Record<string, string>;
  // Newest inbound WhatsApp message, for the 24-hour service window.
  lastInboundAt: string;
};

export type SubscriptionType = {
  id: string;
  name: string;
  purpose: Purpose;
  // E.164 of the connected WhatsApp Business number.
  businessNumber: string;
  // Meta's phone_number_id, used to route webhook payloads.
  phoneNumberId: string;
  businessName: string;
  // Consent to this type lasts this many months from the event that gave it (0 or
  // absent: it does not expire). See consent/consent-expiry.ts.
  validForMonths?: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  // Per-field write stamps for sync merges ("<ISO time>|<device id>"); absent fields fall back to updatedAt.
  fieldClock?: Record<string, string>;
};

export type Evidence = Record<string, string | number | boolean>;

export type ConsentEvent = {
  id: string;
  contactId: string;
  typeId: string;
  status: ConsentStatus;
  // The status the recorder saw before this change (display only; the fold decides).
  previousStatus: ConsentStatus;
  source: ConsentSource;
  legalBasis: LegalBasis | '';
  explanation: string;
  actor: Actor;
  evidence: Evidence;
  occurredAt: string;
  recordedAt: string;
  deviceId: string;
  seq: number;
  // Newest event for this contact and type the actor had seen ('' when none).
  basedOn: string;
  // sha-256 of the canonical content, and of the previous event of the same device.
  hash: string;
  prevHash: string;
  // Salted digests of the personal values (explanation, a contact actor's name, evidence
  // texts), by path: the hash covers the digests instead of the values, so erasure can delete
  // values and salts (`s`) and the event still verifies (src/main/erasure/personal-digests.ts).
  // Absent on events written before salted digests.
  personal?: PersonalDigests;
  // Ed25519 signature of the hash by the recording device's key (base64url); absent on
  // events written before devices signed ("legacy, unsigned").
  sig?: string;
};

export type PersonalDigests = Record<string, { d: string; s?: string }>;

export type ConsentStateRow = {
  id: string;
  contactId: string;
  typeId: string;
  status: ConsentStatus;
  lastEventId: string;
  // True when the winning opt-out was the contact's own (keyword, button, platform).
  ownOptOut: boolean;
  updatedAt: string;
  // Sort position of the last applied event, so a newer event can extend the row
  // without re-reading the key's whole history.
  lastOccurredAt: string;
  lastDeviceId: string;
  lastSeq: number;
};
