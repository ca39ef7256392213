import type { importsChannels } from '../../../shared/api/imports-channels';
import type { AppServices } from '../../services';
import { requireUser, type HandlersFor } from '../handler-types';

export const importsHandlers = (s: AppServices): HandlersFor<typeof importsChannels> => ({
  'imports:begin': async (input, ctx) => s.imports.begin(input, requireUser(ctx)),
  'imports:chunk': async (input) => s.imports.chunk(input),
  'imports:analyze': async (input) => s.imports.analyze(input),
  'imports:dryRun': async (input) => s.imports.dryRun(input),
  'imports:problemRows': async (input) => s.imports.problemRows(input),
  'imports:recent': async (input) => s.imports.recent(input.limit),
  'imports:undo': async (input, ctx) => s.imports.undo(input.jobId, input.explanation, requireUser(ctx)),
  'imports:apply': async (input, ctx) => s.imports.apply(input, requireUser(ctx)),
  'imports:cancel': async (input) => s.imports.cancel(input.jobId),
  'imports:resume': async (input, ctx) => s.imports.resume(input.jobId, requireUser(ctx)),
  'imports:list': async () => s.imports.list(),
  'imports:discard': async (input, ctx) => {
    await s.imports.discard(input.jobId, requireUser(ctx));
    return { discarded: true as const };
  },
});
