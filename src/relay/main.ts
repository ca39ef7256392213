import { createInboxWriter } from './inbox-writer';
import { createJsonLog } from './json-log';
import { loadRelayConfig, RelayConfigError } from './relay-config';
import { createRelayServer } from './relay-server';

// `npm run relay`: the WhatsApp webhook relay as a process. SIGTERM (systemd, Docker) and
// SIGINT (Ctrl+C) stop it gracefully: deliveries in flight are stored and answered first.
const log = createJsonLog((line) => process.stdout.write(line));

async function main() {
  const config = loadRelayConfig(process.env);
  const inbox = createInboxWriter({
    couchUrl: config.couchUrl,
    database: config.couchDatabase,
    user: config.couchUser,
    password: config.couchPassword,
    timeoutMs: config.couchTimeoutMs,
  });
  const relay = createRelayServer(config, { inbox, log });
  await relay.listen();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'signal_received', { signal });
    relay.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log('error', 'shutdown_failed', { reason: e instanceof Error ? e.message : String(e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  if (e instanceof RelayConfigError) log('error', 'config_invalid', { reason: e.message });
  else log('error', 'start_failed', { reason: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
