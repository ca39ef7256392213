import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Uploaded files are spooled to the data folder chunk by chunk, so an import killed
// halfway resumes from the same bytes after a restart.
export type ImportSpool = {
  pathOf(jobId: string): string;
  create(jobId: string): Promise<void>;
  append(jobId: string, bytes: Uint8Array): Promise<number>;
  size(jobId: string): Promise<number>;
  head(jobId: string, length: number): Promise<Uint8Array>;
  hash(jobId: string): Promise<string>;
  // Where the file first fails to decode as `encoding` (the offset of the 64 KB piece it
  // fails in), or null when the whole file is text in that encoding.
  firstUndecodable(jobId: string, encoding: string, from: number): Promise<number | null>;
  remove(jobId: string): Promise<void>;
};

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createImportSpool(dataDir: string): ImportSpool {
  const dir = join(dataDir, 'imports');
  const pathOf = (jobId: string) => {
    // The id names a file: refuse anything that could point elsewhere.
    if (!SAFE_ID.test(jobId)) throw new Error(`unsafe import job id ${JSON.stringify(jobId)}`);
    return join(dir, `${jobId}.csv`);
  };
  const size = async (jobId: string) => (await stat(pathOf(jobId)).catch(() => null))?.size ?? 0;
  return {
    pathOf,
    async create(jobId) {
      await mkdir(dir, { recursive: true });
      await writeFile(pathOf(jobId), new Uint8Array(0));
    },
    async append(jobId, bytes) {
      await appendFile(pathOf(jobId), bytes);
      return size(jobId);
    },
    size,
    async head(jobId, length) {
      const handle = await open(pathOf(jobId), 'r');
      try {
        const buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    hash: (jobId) =>
      new Promise((resolve, reject) => {
        const h = createHash('sha256');
        createReadStream(pathOf(jobId))
          .on('data', (chunk) => h.update(chunk))
          .on('error', reject)
          .on('end', () => resolve(h.digest('hex')));
      }),
    async firstUndecodable(jobId, encoding, from) {
      const decoder = new TextDecoder(encoding, { fatal: true });
      let offset = from;
      try {
        for await (const chunk of createReadStream(pathOf(jobId), { start: from, highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
          decoder.decode(chunk, { stream: true });
          offset += chunk.length;
        }
        decoder.decode();
        return null;
      } catch (e) {
        if (e instanceof TypeError) return offset;
        throw e;
      }
    },
    async remove(jobId) {
      await rm(pathOf(jobId), { force: true });
    },
  };
}
