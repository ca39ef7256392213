import type { erasureChannels } from '../../../shared/api/erasure-channels';
import { trimInvisible } from '../../../shared/visible-text';
import type { AppServices } from '../../services';
import { requireUser, type HandlersFor } from '../handler-types';

export const erasureHandlers = (s: AppServices): HandlersFor<typeof erasureChannels> => ({
  'erasure:eraseContact': async (input, ctx) => {
    const user = requireUser(ctx);
    return s.lifecycle.erasure.erase(input.contactId, trimInvisible(input.reason), { id: user.id, name: user.name });
  },
  'erasure:status': async (input) => {
    const record = await s.lifecycle.erasure.recordOf(input.contactId);
    if (!record) return { erased: false };
    return { erased: true, erasedAt: record.erasedAt, actorName: record.actorName, reason: record.reason, deviceId: record.deviceId };
  },
});
