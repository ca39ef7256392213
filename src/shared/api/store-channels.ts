import { z } from 'zod';
import { channel } from './channel';

// How the app opened its data: normally, or read-only because the disk is full (then every
// write is refused with `read_only` and this message, and the window shows a banner).
export type StoreModeView =
  | { readOnly: false }
  | { readOnly: true; reason: 'disk_full'; freeBytes: number | null; message: string };

export const storeChannels = {
  'store:mode': channel<StoreModeView>()({
    input: z.object({}).strict(),
    access: 'public',
    summary:
      'Whether the app started read-only because the disk holding the data folder was full. Read-only: every read works, every write is refused with read_only, sync and the relay inbox do not start; the next start after space is freed is normal.',
    returns: "StoreModeView { readOnly: false } or { readOnly: true, reason: 'disk_full', freeBytes, message }",
    errors: ['internal'],
  }),
};
