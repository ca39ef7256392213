import type { bulkChannels } from '../../../shared/api/bulk-channels';
import type { AppServices } from '../../services';
import { requireUser, type HandlersFor } from '../handler-types';

export const bulkHandlers = (s: AppServices): HandlersFor<typeof bulkChannels> => ({
  'bulk:preview': async (input, ctx) => s.bulk.preview(input, requireUser(ctx)),
  'bulk:apply': async (input, ctx) => s.bulk.apply(input.bulkId, requireUser(ctx)),
  'bulk:cancel': async (input) => s.bulk.cancel(input.bulkId),
  'bulk:resume': async (input, ctx) => s.bulk.resume(input.bulkId, requireUser(ctx)),
  'bulk:undo': async (input, ctx) => s.bulk.undo(input.bulkId, input.explanation, requireUser(ctx)),
  'bulk:list': async (input) => s.bulk.list(input.limit),
});
