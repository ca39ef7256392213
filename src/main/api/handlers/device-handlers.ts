import type { deviceChannels, DeviceView, ThisDeviceStatus } from '../../../shared/api/device-channels';
import type { DeviceRegistry, DeviceStanding } from '../../device/device-registry';
import { pairingCode } from '../../device/pairing-code';
import { requireUser, type HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

const viewOf = (d: DeviceStanding, thisDeviceId: string): DeviceView => ({
  deviceId: d.deviceId,
  name: d.name,
  fingerprint: pairingCode(d.deviceId, d.publicKey),
  status: d.revoked ? 'revoked' : 'enrolled',
  root: d.root,
  enrolledAt: d.enrolledAt,
  enrolledByName: d.enrolledBy.userName,
  revokedAt: d.revoked?.at ?? '',
  revokedByName: d.revoked?.by.userName ?? '',
  thisDevice: d.deviceId === thisDeviceId,
});

export const deviceHandlers = (s: AppServices): HandlersFor<typeof deviceChannels> => {
  const status = (registry: DeviceRegistry): ThisDeviceStatus => {
    const mine = registry.device(s.trust.deviceId);
    return {
      deviceId: s.trust.deviceId,
      name: mine?.name ?? '',
      fingerprint: s.trust.pairingCode,
      status: !mine ? 'not_enrolled' : mine.revoked ? 'revoked' : 'enrolled',
      root: mine?.root ?? false,
      pairingCode: s.trust.pairingCode,
      protection: s.trust.protection,
      rootDeviceId: registry.root?.deviceId ?? '',
      rootFingerprint: registry.root ? pairingCode(registry.root.deviceId, registry.root.publicKey) : '',
    };
  };
  return {
    'devices:status': async () => status(await s.trust.registry()),
    'devices:list': async () => (await s.trust.registry()).devices().map((d) => viewOf(d, s.trust.deviceId)),
    'devices:approve': async (input, ctx) => {
      const me = requireUser(ctx);
      const standing = await s.trust.approve(input.code, me);
      return viewOf(standing, s.trust.deviceId);
    },
    'devices:revoke': async (input, ctx) => {
      const me = requireUser(ctx);
      return viewOf(await s.trust.revoke(input.deviceId, me), s.trust.deviceId);
    },
    'devices:becomeRoot': async (_input, ctx) => {
      await s.trust.enrolAsRoot(requireUser(ctx));
      return status(await s.trust.registry());
    },
  };
};
