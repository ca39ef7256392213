import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';

// The relay's settings: a JSON file (RELAY_CONFIG_FILE) and/or environment variables; an
// environment variable wins over the file, so a container can override one value. Anything
// missing or malformed stops the relay at start with every problem named, never at the
// first webhook.
const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65_535).default(8787),
    appSecret: z.string().min(8, 'appSecret (RELAY_APP_SECRET) must be the Meta app secret'),
    verifyToken: z.string().min(8, 'verifyToken (RELAY_VERIFY_TOKEN) must be at least 8 characters'),
    couchUrl: z.url({ protocol: /^https?$/, error: 'couchUrl (RELAY_COUCH_URL) must be an http(s) URL' }),
    couchDatabase: z
      .string()
      .regex(/^[a-z][a-z0-9_$()+/-]*$/, 'couchDatabase (RELAY_COUCH_DATABASE) must be a CouchDB database name')
      .default('consentdesk'),
    couchUser: z.string().default(''),
    couchPassword: z.string().default(''),
    maxBodyBytes: z.coerce.number().int().min(1024).max(50_000_000).default(1_048_576),
    maxConcurrency: z.coerce.number().int().min(1).max(1024).default(16),
    maxQueue: z.coerce.number().int().min(0).max(100_000).default(512),
    couchTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
    shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
    name: z.string().min(1).default(hostname()),
  })
  .strict();

export type RelayConfig = z.infer<typeof configSchema>;

// Environment variable → setting.
export const RELAY_ENV = {
  RELAY_HOST: 'host',
  RELAY_PORT: 'port',
  RELAY_APP_SECRET: 'appSecret',
  RELAY_VERIFY_TOKEN: 'verifyToken',
  RELAY_COUCH_URL: 'couchUrl',
  RELAY_COUCH_DATABASE: 'couchDatabase',
  RELAY_COUCH_USER: 'couchUser',
  RELAY_COUCH_PASSWORD: 'couchPassword',
  RELAY_MAX_BODY_BYTES: 'maxBodyBytes',
  RELAY_MAX_CONCURRENCY: 'maxConcurrency',
  RELAY_MAX_QUEUE: 'maxQueue',
  RELAY_COUCH_TIMEOUT_MS: 'couchTimeoutMs',
  RELAY_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  RELAY_NAME: 'name',
} as const satisfies Record<string, keyof RelayConfig>;

export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}

export function parseRelayConfig(input: Record<string, unknown>): RelayConfig {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
  throw new RelayConfigError(`The relay configuration is not valid:\n  ${problems.join('\n  ')}`);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RelayConfigError(`Cannot read the relay configuration file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RelayConfigError(`The relay configuration file ${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RelayConfigError(`The relay configuration file ${path} must hold one JSON object.`);
  }
  return value as Record<string, unknown>;
}

export function loadRelayConfig(env: NodeJS.ProcessEnv): RelayConfig {
  const file = env.RELAY_CONFIG_FILE ? readConfigFile(env.RELAY_CONFIG_FILE) : {};
  const fromEnv: Record<string, string> = {};
  for (const [variable, key] of Object.entries(RELAY_ENV)) {
    const value = env[variable];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  return parseRelayConfig({ ...file, ...fromEnv });
}
