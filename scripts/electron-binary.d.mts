export type ElectronLocation =
  | { kind: 'found'; path: string }
  | { kind: 'override_missing'; folder: string; expected: string }
  | { kind: 'download_failed'; network: boolean; detail: string };

export function locateElectron(options: {
  electronDir: string;
  env: Record<string, string | undefined>;
  platform: string;
  download: () => { ok: boolean; output: string };
}): ElectronLocation;

export function missingElectronMessage(result: ElectronLocation): string;

export function runElectronInstaller(electronDir: string): { ok: boolean; output: string };

export function probeDownloadHost(env: Record<string, string | undefined>, timeoutMs?: number): Promise<{ reachable: boolean; detail: string }>;
