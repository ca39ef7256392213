import type { ConsentDeskBridge } from '../shared/bridge';

declare global {
  // Declaration merging onto the DOM global needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    consentDesk: ConsentDeskBridge;
  }
}
