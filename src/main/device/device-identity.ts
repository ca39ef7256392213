import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

// The device id lives beside the database, not in it: settings replicate, the id must not.
export function loadDeviceId(dataDir: string): string {
  const file = join(dataDir, 'device-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^dev-[0-9a-f]{16}$/.test(id)) return id;
  } catch {
    // first start on this data folder
  }
  mkdirSync(dataDir, { recursive: true });
  const id = `dev-${randomBytes(8).toString('hex')}`;
  // write-then-rename so a crash never leaves a half-written id behind
  writeFileSync(`${file}.tmp`, id);
  renameSync(`${file}.tmp`, file);
  return id;
}
