import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';

// Uploaded files are spooled to the data folder chunk by chunk, so an import killed
// halfway resumes from the same bytes after a restart.
export type ImportSpool = {
  pathOf(jobId: string): string;
  // The file's bytes from `start`, as they were uploaded (decrypted when the spool is sealed).
  reader(jobId: string): SpoolReader;
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

export type SpoolReader = (start: number, highWaterMark: number) => Readable;

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/*
 * With a key the spool is sealed: an uploaded spreadsheet is names and numbers. AES-256-CTR,
 * because the file grows by appends and is read from any offset (resumed imports); each file
 * gets a random 128-bit starting counter in its header, so no counter is used twice under the
 * key (appends only ever add bytes at the end). CTR has no tag: the upload's SHA-256, taken
 * when it completes and kept in the job, is what says the bytes are still the uploaded ones.
 * A file without the header (spooled before encryption, or a spool made without a key) is
 * read as plain bytes.
 */
const MAGIC = Buffer.from('CDSP');
const HEADER_BYTES = MAGIC.length + 16;
const BLOCK = 16;

function counterAt(iv: Buffer, offset: number): Buffer {
  const value = (BigInt(`0x${iv.toString('hex')}`) + BigInt(Math.floor(offset / BLOCK))) % (1n << 128n);
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

// Encrypts or decrypts (the same in CTR) bytes that sit at `offset` of the plain file.
function ctrAt(key: Buffer, iv: Buffer, offset: number) {
  const cipher = createCipheriv('aes-256-ctr', key, counterAt(iv, offset));
  cipher.update(Buffer.alloc(offset % BLOCK));
  return cipher;
}

export function createImportSpool(dataDir: string, key?: Buffer): ImportSpool {
  const dir = join(dataDir, 'imports');
  const pathOf = (jobId: string) => {
    // The id names a file: refuse anything that could point elsewhere.
    if (!SAFE_ID.test(jobId)) throw new Error(`unsafe import job id ${JSON.stringify(jobId)}`);
    return join(dir, `${jobId}.csv`);
  };
  // The header's counter, or null for a plain file.
  const headerOf = async (jobId: string): Promise<Buffer | null> => {
    const handle = await open(pathOf(jobId), 'r').catch(() => null);
    if (!handle) return null;
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
      return bytesRead === HEADER_BYTES && header.subarray(0, MAGIC.length).equals(MAGIC) ? header.subarray(MAGIC.length) : null;
    } finally {
      await handle.close();
    }
  };
  const size = async (jobId: string) => {
    const bytes = (await stat(pathOf(jobId)).catch(() => null))?.size ?? 0;
    return (await headerOf(jobId)) ? bytes - HEADER_BYTES : bytes;
  };
  const reader = (jobId: string): SpoolReader => (start, highWaterMark) => {
    const out = new PassThrough({ highWaterMark });
    void headerOf(jobId).then(
      (iv) => {
        if (!iv || !key) {
          pipeline(createReadStream(pathOf(jobId), { start, highWaterMark }), out, () => {});
          return;
        }
        pipeline(createReadStream(pathOf(jobId), { start: HEADER_BYTES + start, highWaterMark }), ctrAt(key, iv, start), out, () => {});
      },
      (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return out;
  };
  return {
    pathOf,
    reader,
    async create(jobId) {
      await mkdir(dir, { recursive: true });
      await writeFile(pathOf(jobId), key ? Buffer.concat([MAGIC, randomBytes(16)]) : new Uint8Array(0));
    },
    async append(jobId, bytes) {
      const iv = await headerOf(jobId);
      if (iv && key) {
        const cipher = ctrAt(key, iv, await size(jobId));
        await appendFile(pathOf(jobId), cipher.update(bytes));
      } else {
        await appendFile(pathOf(jobId), bytes);
      }
      return size(jobId);
    },
    size,
    async head(jobId, length) {
      const chunks: Buffer[] = [];
      let have = 0;
      for await (const chunk of reader(jobId)(0, 64 * 1024) as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        have += chunk.length;
        if (have >= length) break;
      }
      return new Uint8Array(Buffer.concat(chunks).subarray(0, length));
    },
    async hash(jobId) {
      const h = createHash('sha256');
      for await (const chunk of reader(jobId)(0, 64 * 1024) as AsyncIterable<Buffer>) h.update(chunk);
      return h.digest('hex');
    },
    async firstUndecodable(jobId, encoding, from) {
      const decoder = new TextDecoder(encoding, { fatal: true });
      let offset = from;
      try {
        for await (const chunk of reader(jobId)(from, 64 * 1024) as AsyncIterable<Buffer>) {
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
