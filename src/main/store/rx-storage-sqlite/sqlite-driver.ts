import Database from 'better-sqlite3-multiple-ciphers';

/*
 * Every connection to a data file goes through here, so none can forget the key. The driver is
 * better-sqlite3 built with SQLite3 Multiple Ciphers; we use its SQLCipher v4 scheme (AES-256
 * pages with an HMAC each, the format other SQLCipher tools read). The key is a raw 256-bit key
 * (`x'…'`): it is random, so SQLCipher's passphrase stretching (PBKDF2, ~0.1 s per open) would
 * add nothing but start-up time.
 */
export const SQLITE_DRIVER_MODULE = 'better-sqlite3-multiple-ciphers';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

export type CipherKey = Buffer;

export const CIPHER_KEY_BYTES = 32;

/*
 * The page encryption schemes a file may use; each authenticates every page, none is weakened.
 * - sqlcipher-v4: SQLCipher 4 as SQLCipher writes it (AES-256-CBC, HMAC-SHA512 per 4 KB page).
 *   Every store so far; what a file opens with when nothing else is said.
 * - sqlcipher-v4-16k: the same scheme and HMAC with 16 KB pages (SQLCipher reads it with
 *   cipher_page_size = 16384): a quarter of the per-page IVs, HMACs and B-tree page splits.
 * - chacha20: SQLite3 Multiple Ciphers' ChaCha20-Poly1305 scheme (sqleet's format): a fresh
 *   nonce per page write and a Poly1305 tag per page, keyed from the ChaCha20 stream.
 * bench/store/encryption.bench.ts measures them against plain SQLite in one run.
 */
export const CIPHER_SCHEMES = ['sqlcipher-v4', 'sqlcipher-v4-16k', 'chacha20'] as const;
export type CipherScheme = (typeof CIPHER_SCHEMES)[number];

const SCHEME_PRAGMAS: Record<CipherScheme, readonly string[]> = {
  'sqlcipher-v4': ["cipher = 'sqlcipher'", 'legacy = 4'],
  'sqlcipher-v4-16k': ["cipher = 'sqlcipher'", 'legacy = 4', 'legacy_page_size = 16384'],
  chacha20: ["cipher = 'chacha20'"],
};

// The pragmas a connection needs before its first read; also sent to the checkpoint worker.
export function cipherPragmas(key: CipherKey, scheme: CipherScheme = 'sqlcipher-v4'): string[] {
  if (key.length !== CIPHER_KEY_BYTES) {
    throw new Error(`A database key is ${CIPHER_KEY_BYTES} bytes, not ${key.length}.`);
  }
  return [...SCHEME_PRAGMAS[scheme], `key = "x'${key.toString('hex')}'"`];
}

export type ConnectionOptions = { timeoutMs: number; fileMustExist?: boolean; key: CipherKey | undefined; scheme?: CipherScheme };

export function openConnection(path: string, options: ConnectionOptions): SqliteDatabase {
  // Before the file is opened: a key of the wrong size leaves nothing behind.
  const pragmas = options.key ? cipherPragmas(options.key, options.scheme) : [];
  return unlocked(new Database(path, { timeout: options.timeoutMs, fileMustExist: options.fileMustExist ?? false }), pragmas);
}

// Runs the key's pragmas before anything else reads the file; a connection that cannot take
// them is closed, not handed out half set up.
function unlocked(db: SqliteDatabase, pragmas: readonly string[]): SqliteDatabase {
  try {
    for (const pragma of pragmas) db.pragma(pragma);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

// A reader's own connection (a worker's): read-only, never creating the file, unlocked with
// the pragmas the owning connection hands over (cipherPragmas of its key; none for a plain file).
export function openReadOnly(path: string, pragmas: readonly string[]): SqliteDatabase {
  return unlocked(new Database(path, { readonly: true, fileMustExist: true }), pragmas);
}
