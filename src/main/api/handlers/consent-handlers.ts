import type { consentChannels } from '../../../shared/api/consent-channels';
import type { messagesChannels } from '../../../shared/api/messages-channels';
import type { settingsChannels } from '../../../shared/api/settings-channels';
import type { typesChannels } from '../../../shared/api/types-channels';
import { parseInboundFileInSlices, parseSimpleMessage } from '../../../shared/consent/inbound-file';
import { REPORT_LIMIT } from '../../consent/message-ingestion';
import { isWebhookPayload, parseWebhookPayload } from '../../../shared/consent/webhook-parser';
import { decideText } from '../../../shared/consent/inbound-text-rule';
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
  'messages:ingest': async (input, ctx) => {
    if (!isWebhookPayload(input.payload)) return s.ingestion.ingest(parseSimpleMessage(input.payload, ''), { by: ctx.user });
    // Platform signals in the payload are applied by the ingestion, as for files and the relay.
    return s.ingestion.ingest(parseWebhookPayload(input.payload), { by: ctx.user });
  },
  'messages:ingestFile': async (input, ctx) => {
    const user = requireUser(ctx);
    const parsed = await parseInboundFileInSlices(input.content, { pause: () => new Promise((resolve) => setImmediate(resolve)), errorLimit: REPORT_LIMIT });
    const report = await s.ingestion.ingest(parsed, { by: user });
    await s.audit.record('messages.ingest_file', user, { fileName: input.fileName, format: parsed.format, itemCount: report.itemCount, errorCount: report.errorCount, counts: report.counts });
    return report;
  },
  'messages:reprocessKept': async (_input, ctx) => {
    const user = requireUser(ctx);
    const report = await s.ingestion.reprocessKept({ by: user });
    await s.audit.record('messages.reprocess_kept', user, { itemCount: report.itemCount, counts: report.counts });
    return report;
  },
  'keywords:test': async (input) => {
    const decision = decideText(await s.keywords.matcher(), input.message);
    const verdict = decision.classification;
    const type = input.typeId ? await s.types.get(input.typeId) : null;
    if (input.typeId && !type) throw new AppError('not_found', 'No such subscription type.');
    const typeName = type?.name ?? '';
    const numberText = type ? ` to ${type.businessNumber}` : '';
    const wouldSetStatus = verdict.kind === 'opt_in' ? 'subscribed' : verdict.kind === 'opt_out' ? 'unsubscribed' : '';
    const likelyStopRequest = decision.action === 'review';
    const explanation =
      verdict.kind === 'opt_in'
        ? `Sent${numberText}, this subscribes the sender to the number's marketing messages.`
        : verdict.kind === 'opt_out'
          ? `Sent${numberText}, this unsubscribes the sender from every subscription type of that number.`
          : likelyStopRequest
            ? `Not a keyword alone, so nothing changes automatically; it would go to the review queue. ${decision.reason}`
            : 'Not a keyword: nothing changes.';
    return { ...verdict, typeId: type?.id ?? '', typeName, wouldSetStatus, explanation, likelyStopRequest };
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
