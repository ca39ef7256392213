import type { contactsChannels } from '../../../shared/api/contacts-channels';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const contactsHandlers = (s: AppServices): HandlersFor<typeof contactsChannels> => ({
  'contacts:list': async (input) => s.contacts.list(input),
  'contacts:matchingIds': async (input) => s.contacts.matchingIds(input),
  'contacts:get': async (input) => s.contacts.get(input.id),
  'contacts:create': async (input) => s.contacts.create(input),
  'contacts:update': async (input) => s.contacts.update(input),
});
