// Meta WhatsApp Cloud API webhook payloads → InboundItems (SPEC 2). Each level is
// validated on its own, so one malformed message is reported with its path while
// the valid messages of the same payload still come through.
//
// Handled: changes with field 'messages' (text; button; interactive button_reply and
// list_reply, read as a button reply; image/video/document captions, read as text;
// system user_preference_changed; any other type as kind 'other') and field
// 'user_preferences' (marketing stop/resume). Other fields (account updates) are not
// inbound messages and are skipped without error. Number and identity changes and send
// error 131050 (in statuses) are platform signals: `signals` of the result.
import { z } from 'zod';
import {
  childPath,
  issueToError,
  toE164,
  unixSecondsToIso,
  type InboundError,
  type InboundItem,
  type InboundParseResult,
} from './inbound-item';
import { isPlatformSignalSystemMessage, parsePlatformSignals } from './platform-signals';

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });
const unixSeconds = z.union([z.string(), z.number()], { error: 'must be Unix seconds (a number or a string of digits)' });

const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account', { error: 'must be "whatsapp_business_account"' }),
  entry: z.array(z.unknown(), { error: 'must be an array' }),
});
const entrySchema = z.object({ changes: z.array(z.unknown(), { error: 'must be an array' }) });
const changeSchema = z.object({ field: z.string(), value: z.unknown() });
const valueSchema = z.object({
  metadata: z.object({ display_phone_number: z.string(), phone_number_id: nonEmpty }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  user_preferences: z.array(z.unknown()).optional(),
});
const contactSchema = z.object({ wa_id: nonEmpty, profile: z.object({ name: z.string().optional() }).optional() });
const messageSchema = z.object({
  id: nonEmpty,
  from: nonEmpty,
  timestamp: unixSeconds,
  type: nonEmpty,
  context: z.object({ id: z.string().optional() }).optional(),
});
const textSchema = z.object({ text: z.object({ body: z.string() }) });
const buttonSchema = z.object({
  button: z
    .object({ payload: z.string().optional(), text: z.string().optional() })
    .refine((b) => b.payload !== undefined || b.text !== undefined, { error: 'needs a payload or a text' }),
});
const replySchema = z.object({ id: z.string(), title: z.string() });
const interactiveSchema = z.object({
  interactive: z.object({ type: z.string(), button_reply: replySchema.optional(), list_reply: replySchema.optional() }),
});
// Media whose caption is read like a typed message (SPEC 2).
const CAPTIONED_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'document']);
const captionSchema = z.object({ caption: z.string().optional() });
const systemSchema = z.object({
  system: z.object({ type: z.string().optional(), body: z.string().optional(), marketing: z.string().optional() }),
});
const preferenceSchema = z.object({
  wa_id: nonEmpty,
  detail: z.string().optional(),
  category: z.literal('marketing_messages', { error: 'unsupported category (only "marketing_messages" is known)' }),
  value: z.enum(['stop', 'resume'], { error: 'must be "stop" or "resume"' }),
  timestamp: unixSeconds,
});

type Receiver = { businessDisplayNumber: string; phoneNumberId: string; names: ReadonlyMap<string, string> };
type Sink = InboundParseResult;

function report(sink: Sink, base: string, error: z.ZodError): void {
  for (const issue of error.issues) sink.errors.push(issueToError(base, issue));
}

function fail(sink: Sink, path: string, message: string): void {
  sink.errors.push({ path, message });
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

function profileNameFor(receiver: Receiver, from: string): string {
  const named = receiver.names.get(digitsOf(from));
  if (named !== undefined) return named;
  // WhatsApp ids and phone numbers may differ; a payload's only contact is still its sender.
  return receiver.names.size === 1 ? ([...receiver.names.values()][0] ?? '') : '';
}

function parseMessage(raw: unknown, path: string, receiver: Receiver, sink: Sink): void {
  const base = messageSchema.safeParse(raw);
  if (!base.success) return report(sink, path, base.error);
  const message = base.data;
  const from = toE164(message.from);
  if (from === undefined) return fail(sink, childPath(path, 'from'), `"${message.from}" is not a phone number`);
  const timestamp = unixSecondsToIso(message.timestamp);
  if (timestamp === undefined) return fail(sink, childPath(path, 'timestamp'), `"${message.timestamp}" is not Unix seconds`);
  const item: InboundItem = {
    kind: 'other',
    messageId: message.id,
    from,
    businessDisplayNumber: receiver.businessDisplayNumber,
    phoneNumberId: receiver.phoneNumberId,
    profileName: profileNameFor(receiver, message.from),
    timestamp,
    messageType: message.type,
    ...(message.context?.id ? { contextMessageId: message.context.id } : {}),
  };
  if (message.type === 'text') {
    const text = textSchema.safeParse(raw);
    if (!text.success) return report(sink, path, text.error);
    sink.items.push({ ...item, kind: 'text', body: text.data.text.body });
  } else if (message.type === 'button') {
    const button = buttonSchema.safeParse(raw);
    if (!button.success) return report(sink, path, button.error);
    const { payload, text } = button.data.button;
    sink.items.push({
      ...item,
      kind: 'button',
      ...(payload !== undefined ? { buttonPayload: payload } : {}),
      ...(text !== undefined ? { buttonText: text } : {}),
    });
  } else if (message.type === 'interactive') {
    const interactive = interactiveSchema.safeParse(raw);
    if (!interactive.success) return report(sink, path, interactive.error);
    const { type, button_reply: buttonReply, list_reply: listReply } = interactive.data.interactive;
    const reply = type === 'button_reply' ? buttonReply : type === 'list_reply' ? listReply : undefined;
    if (reply) sink.items.push({ ...item, kind: 'button', buttonPayload: reply.id, buttonText: reply.title });
    else sink.items.push(item);
  } else if (CAPTIONED_TYPES.has(message.type)) {
    const media = captionSchema.safeParse((raw as Record<string, unknown>)[message.type] ?? {});
    const caption = media.success ? media.data.caption : undefined;
    sink.items.push(caption !== undefined && caption.trim() !== '' ? { ...item, kind: 'text', body: caption } : item);
  } else if (message.type === 'system') {
    // A number or identity change is a platform signal (platform-signals.ts), not a message.
    if (isPlatformSignalSystemMessage(raw)) return;
    // The older form of the platform's marketing stop/resume arrives as a system message.
    const system = systemSchema.safeParse(raw);
    if (!system.success) return report(sink, path, system.error);
    const detail = system.data.system;
    const preference = detail?.marketing;
    if (detail?.type === 'user_preference_changed' && (preference === 'stop' || preference === 'resume')) {
      sink.items.push({
        ...item,
        kind: 'preference',
        preference,
        ...(detail.body !== undefined ? { preferenceDetail: detail.body } : {}),
      });
    } else sink.items.push(item);
  } else sink.items.push(item);
}

function parsePreference(raw: unknown, path: string, receiver: Receiver, sink: Sink): void {
  const parsed = preferenceSchema.safeParse(raw);
  if (!parsed.success) return report(sink, path, parsed.error);
  const pref = parsed.data;
  const from = toE164(pref.wa_id);
  if (from === undefined) return fail(sink, childPath(path, 'wa_id'), `"${pref.wa_id}" is not a phone number`);
  const timestamp = unixSecondsToIso(pref.timestamp);
  if (timestamp === undefined) return fail(sink, childPath(path, 'timestamp'), `"${pref.timestamp}" is not Unix seconds`);
  sink.items.push({
    kind: 'preference',
    messageId: `pref:${digitsOf(pref.wa_id)}:${String(pref.timestamp).trim()}:${pref.value}`,
    from,
    businessDisplayNumber: receiver.businessDisplayNumber,
    phoneNumberId: receiver.phoneNumberId,
    profileName: profileNameFor(receiver, pref.wa_id),
    timestamp,
    messageType: 'user_preferences',
    preference: pref.value,
    ...(pref.detail !== undefined ? { preferenceDetail: pref.detail } : {}),
  });
}

function parseValue(raw: unknown, path: string, sink: Sink): void {
  const parsed = valueSchema.safeParse(raw);
  if (!parsed.success) return report(sink, path, parsed.error);
  const value = parsed.data;
  const names = new Map<string, string>();
  (value.contacts ?? []).forEach((contactRaw, index) => {
    const contact = contactSchema.safeParse(contactRaw);
    if (!contact.success) return report(sink, childPath(childPath(path, 'contacts'), index), contact.error);
    names.set(digitsOf(contact.data.wa_id), contact.data.profile?.name ?? '');
  });
  const receiver: Receiver = {
    businessDisplayNumber: toE164(value.metadata.display_phone_number) ?? '',
    phoneNumberId: value.metadata.phone_number_id,
    names,
  };
  (value.messages ?? []).forEach((message, index) =>
    parseMessage(message, childPath(childPath(path, 'messages'), index), receiver, sink),
  );
  (value.user_preferences ?? []).forEach((pref, index) =>
    parsePreference(pref, childPath(childPath(path, 'user_preferences'), index), receiver, sink),
  );
}

const INBOUND_FIELDS: ReadonlySet<string> = new Set(['messages', 'user_preferences']);

export function isWebhookPayload(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('object' in value || 'entry' in value);
}

export function parseWebhookPayload(payload: unknown, basePath = ''): InboundParseResult {
  const sink: Sink = { items: [], errors: [] };
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) {
    report(sink, basePath, envelope.error);
    return sink;
  }
  envelope.data.entry.forEach((entryRaw, entryIndex) => {
    const entryPath = childPath(childPath(basePath, 'entry'), entryIndex);
    const entry = entrySchema.safeParse(entryRaw);
    if (!entry.success) return report(sink, entryPath, entry.error);
    entry.data.changes.forEach((changeRaw, changeIndex) => {
      const changePath = childPath(childPath(entryPath, 'changes'), changeIndex);
      const change = changeSchema.safeParse(changeRaw);
      if (!change.success) return report(sink, changePath, change.error);
      if (INBOUND_FIELDS.has(change.data.field)) parseValue(change.data.value, childPath(changePath, 'value'), sink);
    });
  });
  // The platform's signals, read from the same payload; an error both readers see is reported once.
  const platform = parsePlatformSignals(payload, basePath);
  const reported = new Set(sink.errors.map((e) => `${e.path}\n${e.message}`));
  for (const error of platform.errors) if (!reported.has(`${error.path}\n${error.message}`)) sink.errors.push(error);
  if (platform.signals.length > 0) sink.signals = platform.signals;
  return sink;
}

export type { InboundError, InboundItem, InboundParseResult };
