import type { consentChannels } from '../../../shared/api/consent-channels';
import type { messagesChannels } from '../../../shared/api/messages-channels';
import type { settingsChannels } from '../../../shared/api/settings-channels';
import type { typesChannels } from '../../../shared/api/types-channels';
import { parseInboundFile } from '../../../shared/consent/inbound-file';
import { parseSimpleMessage } from '../../../shared/consent/inbound-file';
import { isWebhookPayload, parseWebhookPayload } from '../../../shared/consent/webhook-parser';
import { detectStopRequest } from '../../../shared/consent/stop-request-detector';
import { AppError } from '../../app-error';
import { requireUser, type HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const typesHandlers = (s: AppServices): HandlersFor<typeof typesChannels> => ({
  'types:list': async (input) => s.types.list(input.includeArchived),
  'types:create': async (input, ctx) => {
    const type = await s.types.create(input);
    await s.audit.record('types.create', ctx.user, { typeId: type.id, name: type.name, businessNumber: type.businessNumber });
    return type;
  },
  'types:update': async (input, ctx) => {
    const type = await s.types.update(input);
    await s.audit.record('types.update', ctx.user, { ...input, typeId: input.id });
    return type;
  },
});

export const consentHandlers = (s: AppServices): HandlersFor<typeof consentChannels> => ({
  'consent:forContact': async (input) => s.consent.forContact(input.contactId),
  'consent:change': async (input, ctx) => s.consent.change(input, requireUser(ctx)),
  'consent:setOptOutAll': async (input, ctx) => s.consent.setOptOutAll(input, requireUser(ctx)),
  'consent:history': async (input) => s.history.query(input),
  'consent:mayMessage': async (input, ctx) => {
    const answer = await s.consent.mayMessage(input.contactId, input.typeId, input.category);
    await s.lifecycle.refused.note(input, answer, ctx.user);
    return answer;
  },
});

export const messagesHandlers = (s: AppServices): HandlersFor<typeof messagesChannels> => ({
  'messages:ingest': async (input) => {
    if (!isWebhookPayload(input.payload)) return s.ingestion.ingest(parseSimpleMessage(input.payload, ''));
    // Number and identity changes first: a START in the same payload from a number's new owner must stand.
    await s.lifecycle.signals.apply(input.payload);
    return s.ingestion.ingest(parseWebhookPayload(input.payload));
  },
  'messages:ingestFile': async (input) => s.ingestion.ingest(parseInboundFile(input.content)),
  'keywords:test': async (input) => {
    const verdict = (await s.keywords.matcher()).classify(input.message);
    const type = input.typeId ? await s.types.get(input.typeId) : null;
    if (input.typeId && !type) throw new AppError('not_found', 'No such subscription type.');
    const typeName = type?.name ?? '';
    const numberText = type ? ` to ${type.businessNumber}` : '';
    const wouldSetStatus = verdict.kind === 'opt_in' ? 'subscribed' : verdict.kind === 'opt_out' ? 'unsubscribed' : '';
    const stop = verdict.kind === 'none' ? detectStopRequest(input.message) : { likelyStopRequest: false };
    const explanation =
      verdict.kind === 'opt_in'
        ? `Sent${numberText}, this subscribes the sender to the number's marketing messages.`
        : verdict.kind === 'opt_out'
          ? `Sent${numberText}, this unsubscribes the sender from every subscription type of that number.`
          : stop.likelyStopRequest
            ? 'Not a keyword, so nothing changes automatically; it looks like a request to stop and would go to the review queue.'
            : 'Not a keyword: nothing changes.';
    return { ...verdict, typeId: type?.id ?? '', typeName, wouldSetStatus, explanation, likelyStopRequest: stop.likelyStopRequest };
  },
});

export const settingsHandlers = (s: AppServices): HandlersFor<typeof settingsChannels> => ({
  'settings:get': async () => ({ defaultCountry: await s.settings.defaultCountry() }),
  'settings:set': async (input, ctx) => {
    await s.settings.set('defaultCountry', input.defaultCountry);
    await s.audit.record('settings.set', ctx.user, { defaultCountry: input.defaultCountry });
    return { defaultCountry: input.defaultCountry };
  },
  'keywords:get': async () => {
    const table = await s.keywords.table();
    return { table, isDefault: s.keywords.isDefault(table) };
  },
  'keywords:set': async (input, ctx) => {
    const table = await s.keywords.set(input.table);
    await s.audit.record('keywords.set', ctx.user, { table });
    return { table, isDefault: s.keywords.isDefault(table) };
  },
  'keywords:restoreDefaults': async (_input, ctx) => {
    const table = await s.keywords.restoreDefaults();
    await s.audit.record('keywords.restore_defaults', ctx.user);
    return { table, isDefault: true };
  },
});
