import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY, IPC_EVENT, IPC_INVOKE, type ConsentDeskBridge } from '../shared/bridge';
import type { AppEvent } from '../shared/events';

// Exposes ONE typed object; the renderer never sees ipcRenderer itself.
const bridge: ConsentDeskBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input),
  onEvent(listener) {
    const handler = (_e: unknown, event: AppEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
