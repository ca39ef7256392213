import { ipcMain, type WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../shared/bridge';
import { fail } from '../shared/api/result';
import type { Api } from './api/create-api';
import type { Session } from './api/handler-types';
import type { EventHub } from './events/event-hub';
import { storeAppError } from './store/store-errors';

// Binds the transport-free API to Electron IPC. Only our own windows' main frames,
// loaded from the packaged renderer, may call; every input is parsed again in main.
// Bound while the app is still opening (the window loads meanwhile): calls wait for it.
export function bindIpc(
  opening: Promise<{ api: Api; events: EventHub }>,
  isTrustedSender: (wc: WebContents, frameUrl: string) => boolean,
) {
  const sessions = new Map<number, Session>();
  const sessionOf = (wc: WebContents) => {
    let s = sessions.get(wc.id);
    if (!s) {
      s = { userId: null };
      sessions.set(wc.id, s);
      wc.once('destroyed', () => sessions.delete(wc.id));
    }
    return s;
  };

  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, input: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isTrustedSender(event.sender, frameUrl) || event.senderFrame !== event.sender.mainFrame) {
      return fail('forbidden', 'Calls are accepted only from the app\'s own window.');
    }
    let api: Api;
    try {
      ({ api } = await opening);
    } catch (error) {
      // The store refused to open (a missing or empty data file, a key that does not fit…):
      // every call answers with that reason, in words, instead of a bare rejection.
      const refused = storeAppError(error);
      return refused ? fail(refused.code, refused.message, refused.details) : fail('internal', 'Consent Desk could not open its data. The details are in the log.');
    }
    return api.call(typeof channel === 'string' ? channel : '', input, sessionOf(event.sender));
  });

  const subscribers = new Set<WebContents>();
  let disposed = false;
  let unsubscribe = () => {};
  void opening.then(({ events }) => {
    if (disposed) return;
    unsubscribe = events.subscribe((appEvent) => {
      for (const wc of subscribers) if (!wc.isDestroyed()) wc.send(IPC_EVENT, appEvent);
    });
  }, () => undefined);
  return {
    attach(wc: WebContents) {
      subscribers.add(wc);
      wc.once('destroyed', () => subscribers.delete(wc));
    },
    dispose() {
      disposed = true;
      unsubscribe();
      ipcMain.removeHandler(IPC_INVOKE);
    },
  };
}
