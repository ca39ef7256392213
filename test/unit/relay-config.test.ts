import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRelayConfig, RelayConfigError } from '../../src/relay/relay-config';
import { hasValidSignature, signBody } from '../../src/relay/webhook-signature';

const base = { RELAY_APP_SECRET: 'app-secret-123', RELAY_VERIFY_TOKEN: 'verify-123', RELAY_COUCH_URL: 'http://127.0.0.1:5984' };

describe('relay configuration', () => {
  it('reads the environment, with defaults for what is optional', () => {
    const c = loadRelayConfig({ ...base, RELAY_PORT: '9000' });
    expect(c).toMatchObject({ port: 9000, host: '127.0.0.1', couchDatabase: 'consentdesk', maxBodyBytes: 1_048_576, maxConcurrency: 16 });
  });

  it('reads a file, and an environment variable wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
    const file = join(dir, 'relay.json');
    writeFileSync(file, JSON.stringify({ appSecret: 'from-file-secret', verifyToken: 'from-file-token', couchUrl: 'https://couch.example:6984', port: 7000 }));
    const c = loadRelayConfig({ RELAY_CONFIG_FILE: file, RELAY_PORT: '7001' });
    expect(c).toMatchObject({ appSecret: 'from-file-secret', couchUrl: 'https://couch.example:6984', port: 7001 });
  });

  it('names every problem at start: missing secret, bad URL, bad numbers, unknown keys, unreadable file', () => {
    const fail = (env: NodeJS.ProcessEnv) => {
      try {
        loadRelayConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(RelayConfigError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(fail({})).toMatch(/appSecret[\s\S]*verifyToken[\s\S]*couchUrl/);
    expect(fail({ ...base, RELAY_COUCH_URL: 'file:///etc/passwd' })).toMatch(/couchUrl/);
    expect(fail({ ...base, RELAY_PORT: 'eighty' })).toMatch(/port/);
    expect(fail({ ...base, RELAY_MAX_CONCURRENCY: '0' })).toMatch(/maxConcurrency/);
    expect(fail({ ...base, RELAY_COUCH_DATABASE: '../admin' })).toMatch(/couchDatabase/);
    const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
    writeFileSync(join(dir, 'bad.json'), '{"appSecret": ');
    writeFileSync(join(dir, 'extra.json'), JSON.stringify({ appSecrett: 'typo' }));
    expect(fail({ ...base, RELAY_CONFIG_FILE: join(dir, 'bad.json') })).toMatch(/not JSON/);
    expect(fail({ ...base, RELAY_CONFIG_FILE: join(dir, 'extra.json') })).toMatch(/appSecrett/);
    expect(fail({ ...base, RELAY_CONFIG_FILE: join(dir, 'missing.json') })).toMatch(/Cannot read/);
  });
});

describe('webhook signature', () => {
  it('accepts the HMAC of the exact bytes, in either hex case, and nothing else', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account"}');
    const sig = signBody(body, 'secret-xyz');
    expect(hasValidSignature(body, sig, 'secret-xyz')).toBe(true);
    expect(hasValidSignature(body, sig.toUpperCase().replace('SHA256=', 'sha256='), 'secret-xyz')).toBe(true);
    expect(hasValidSignature(body, sig, 'secret-xyZ')).toBe(false);
    expect(hasValidSignature(Buffer.from(`${body.toString()} `), sig, 'secret-xyz')).toBe(false);
    expect(hasValidSignature(body, undefined, 'secret-xyz')).toBe(false);
    expect(hasValidSignature(body, sig.slice(7), 'secret-xyz')).toBe(false);
  });
});
