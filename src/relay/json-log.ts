// Structured logs: one JSON object per line on stdout, for journald, Docker or a log
// shipper to index. Never logs a body, a secret or a signature.
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type JsonLog = (level: LogLevel, event: string, fields?: LogFields) => void;

export const createJsonLog =
  (write: (line: string) => void, now: () => Date = () => new Date()): JsonLog =>
  (level, event, fields = {}) =>
    write(`${JSON.stringify({ time: now().toISOString(), level, event, ...fields })}\n`);

export const silentLog: JsonLog = () => undefined;
