import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';

/*
 * A stall probe that says WHAT held the main thread, not only for how long.
 * - A 1 ms timer notes every gap between two of its ticks longer than the threshold: the
 *   turn(s) in that gap held the event loop. It samples this process's CPU time too, so a
 *   gap the OS gave to other processes (a busy, shared machine) is told apart from work.
 * - V8's sampling profiler runs meanwhile (in-process, through the inspector). Its sample
 *   times are on the same monotonic clock as process.hrtime, so the samples inside each gap
 *   are exactly what ran in it. For each long gap the probe names the functions that were
 *   on top of the stack (self time) and the deepest frame of our own code under them (the
 *   phase: which part of the import or the ingestion was running), with the garbage
 *   collector and native code as their own entries.
 * The sampler runs on a timer, so a thread the OS has set aside is sampled where it stands:
 * "sampled ms" follows the wall time, and the CPU time says how much of it was ours. A gap
 * with little CPU is the machine's load; a gap with much CPU is work to cut.
 */

export type StallEntry = { name: string; ms: number };
export type Stall = {
  atMs: number;
  wallMs: number;
  cpuMs: number;
  sampledMs: number;
  top: StallEntry[];
  ours: StallEntry[];
};
export type StallReport = {
  longestWallMs: number;
  longestCpuMs: number;
  stalls: Stall[];
  load: number;
};

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };
type Gap = { startUs: number; endUs: number; cpuMs: number };

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const OURS = /\/(src|bench)\//;

const frameName = (f: ProfileNode['callFrame']) => {
  if (!f.url) return f.functionName || '(anonymous)';
  const file = f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/');
  // Our TypeScript runs transformed, so its line numbers would not be the source's.
  return OURS.test(f.url) ? `${f.functionName || '(anonymous)'} ${file}` : `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
};

function topOf(counts: Map<string, number>, n: number): StallEntry[] {
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms: Math.round(ms) }));
}

export async function startStallProbe(options: { thresholdMs?: number; samplingUs?: number } = {}) {
  const threshold = options.thresholdMs ?? 50;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: options.samplingUs ?? 500 });
  await session.post('Profiler.start');

  const gaps: Gap[] = [];
  let lastUs = nowUs();
  let lastCpu = process.cpuUsage();
  let longestWallMs = 0;
  let longestCpuMs = 0;
  const timer = setInterval(() => {
    const at = nowUs();
    const used = process.cpuUsage(lastCpu);
    const cpuMs = (used.user + used.system) / 1000;
    const wallMs = (at - lastUs) / 1000;
    longestWallMs = Math.max(longestWallMs, wallMs);
    longestCpuMs = Math.max(longestCpuMs, cpuMs);
    if (wallMs > threshold || cpuMs > threshold) gaps.push({ startUs: lastUs, endUs: at, cpuMs });
    lastUs = at;
    lastCpu = process.cpuUsage();
  }, 1);

  return {
    async stop(limit = 8): Promise<StallReport> {
      clearInterval(timer);
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      session.disconnect();
      const startedUs = gaps[0]?.startUs ?? 0;
      const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      // The deepest frame of our own code on a sample's stack (the phase it belongs to).
      const oursOf = (id: number): string => {
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const node = nodes.get(at);
          if (node && OURS.test(node.callFrame.url)) return frameName(node.callFrame);
        }
        return '(outside our code)';
      };
      const longest = [...gaps].sort((a, b) => Math.max(b.endUs - b.startUs, b.cpuMs * 1000) - Math.max(a.endUs - a.startUs, a.cpuMs * 1000)).slice(0, limit);
      const stalls: Stall[] = longest.map((g) => {
        const self = new Map<string, number>();
        const ours = new Map<string, number>();
        let t = profile.startTime;
        let sampled = 0;
        for (let i = 0; i < profile.samples.length; i++) {
          const next = t + (profile.timeDeltas[i] ?? 0);
          const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
          t = next;
          if (t < g.startUs || t > g.endUs) continue;
          const id = profile.samples[i] ?? 0;
          const node = nodes.get(id);
          if (!node || node.callFrame.functionName === '(idle)') continue;
          sampled += dt;
          const name = frameName(node.callFrame);
          self.set(name, (self.get(name) ?? 0) + dt);
          const phase = oursOf(id);
          ours.set(phase, (ours.get(phase) ?? 0) + dt);
        }
        return { atMs: (g.startUs - startedUs) / 1000, wallMs: (g.endUs - g.startUs) / 1000, cpuMs: g.cpuMs, sampledMs: sampled, top: topOf(self, 5), ours: topOf(ours, 4) };
      });
      return { longestWallMs, longestCpuMs, stalls, load: loadavg()[0] ?? 0 };
    },
  };
}

export function printStalls(title: string, report: StallReport, threshold = 100): void {
  console.log(`${title}: longest turn ${report.longestWallMs.toFixed(0)} ms wall, ${report.longestCpuMs.toFixed(0)} ms CPU (load average ${report.load.toFixed(1)}); target < ${threshold} ms`);
  for (const s of report.stalls) {
    console.log(`  stall at +${s.atMs.toFixed(0)} ms: ${s.wallMs.toFixed(0)} ms wall, ${s.cpuMs.toFixed(0)} ms CPU, ${s.sampledMs.toFixed(0)} ms sampled`);
    console.log(`    on top:  ${s.top.map((e) => `${e.name} ${e.ms} ms`).join('; ')}`);
    console.log(`    in code: ${s.ours.map((e) => `${e.name} ${e.ms} ms`).join('; ')}`);
  }
}
