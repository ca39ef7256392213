import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type KilledChild = { id: string; lastProgress: number; signal: NodeJS.Signals };

// Runs a TypeScript child that does real work on a data folder and SIGKILLs it (a crash, a
// pulled plug) once it reports `killAfter` items done. The child speaks in lines:
// `<idTag> <id> …` once, `PROGRESS <n>` as it goes, `DONE` if it got to the end — which fails
// the test, since the point is to kill it midway.
export function runAndKill(script: string, args: string[], idTag: string, killAfter: number): Promise<KilledChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let id = '';
    let lastProgress = 0;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(`${idTag} `)) id = line.split(' ')[1] ?? '';
        if (line.startsWith('PROGRESS ')) lastProgress = Number(line.slice(9));
        if (line === 'DONE') reject(new Error('the child finished before it could be killed'));
      }
      if (lastProgress >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal ? resolve({ id, lastProgress, signal }) : reject(new Error(`child exited: ${stderr}`))));
  });
}
