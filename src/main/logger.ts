// A tiny logger seam so tests and the harness can keep output quiet or capture it.
export type Logger = {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
};

export const consoleLogger: Logger = {
  info: (m, ...r) => console.info(`[consent-desk] ${m}`, ...r),
  warn: (m, ...r) => console.warn(`[consent-desk] ${m}`, ...r),
  error: (m, ...r) => console.error(`[consent-desk] ${m}`, ...r),
};
