import type { Session } from '../../../src/main/api/handler-types';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/api';

type Caller = { must<C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> };

// Sends a file the way the wizard does: begin, 1 MB base64 slices, analyze.
export async function uploadCsv(app: Caller, session: Session, fileName: string, bytes: Uint8Array, sliceBytes = 1024 * 1024) {
  const { jobId } = await app.must(session, 'imports:begin', { fileName, size: bytes.length });
  for (let i = 0, index = 0; i < bytes.length; i += sliceBytes, index++) {
    await app.must(session, 'imports:chunk', { jobId, index, data: Buffer.from(bytes.subarray(i, i + sliceBytes)).toString('base64') });
  }
  return jobId;
}

export const utf8 = (text: string) => new TextEncoder().encode(text);
