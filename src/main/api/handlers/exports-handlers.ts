import type { exportsChannels } from '../../../shared/api/exports-channels';
import type { AppServices } from '../../services';
import { requireUser, type HandlersFor } from '../handler-types';

export const exportsHandlers = (s: AppServices): HandlersFor<typeof exportsChannels> => ({
  'exports:contacts': async (input, ctx) => s.exports.contacts(input.query, { delimiter: input.delimiter, bom: input.bom }, requireUser(ctx)),
});
