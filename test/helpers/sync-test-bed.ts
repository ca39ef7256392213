import { afterEach, beforeEach } from 'vitest';
import { startCouchServer, type CouchServer } from './couch-server';
import { openDevice, prepareServer, type Device, type DeviceOptions } from './sync-devices';

// One CouchDB-protocol server per test, prepared for the app's databases, and every device
// opened during the test disposed after it (before the server stops).
export function useSyncTestBed() {
  let server: CouchServer | undefined;
  const devices: Device[] = [];
  beforeEach(async () => {
    server = await startCouchServer();
    await prepareServer(server);
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.dispose();
    await server?.stop();
  });
  const current = (): CouchServer => {
    if (!server) throw new Error('the sync test bed is only up inside a test');
    return server;
  };
  return {
    server: current,
    async open(label: string, options?: DeviceOptions): Promise<Device> {
      const device = await openDevice(current(), label, options);
      devices.push(device);
      return device;
    },
  };
}
