// Reads a V8 .cpuprofile (e.g. from `BENCH_CPU_PROF=1 node dist/bench/webhook-ack.js`, which writes
// the service's and the bare app's profiles into bench/results/profiles/) and prints where the main
// thread's time went.
//
//   node dist/bench/cpu-profile-summary.js <file.cpuprofile>             busy % per second (find a phase)
//   node dist/bench/cpu-profile-summary.js <file.cpuprofile> 32-41       self time by package, and
//                                                                        inclusive time by function, in seconds 32..41
// Note: a sample taken while the thread waits inside a syscall (or is descheduled there) counts as
// time in that native function, e.g. `writev` when a socket write wakes a co-located PostgreSQL.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, window] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node dist/bench/cpu-profile-summary.js <file.cpuprofile> [fromSecond-toSecond]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)']);

function group(url: string): string {
  if (!url) return '(native/vm)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node core';
  const own = /dist\/(.*)/.exec(url);
  return own ? `project: ${own[1].split('/').slice(0, 3).join('/')}` : url;
}

const [from, to] = window ? window.split('-').map(Number) : [NaN, NaN];
const perSecond: Array<[number, number]> = [];
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let idle = 0;
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i += 1) {
  at += profile.timeDeltas[i];
  const second = Math.floor((at - profile.startTime) / 1e6);
  const node = byId.get(profile.samples[i]) as ProfileNode;
  const isIdle = node.callFrame.functionName === '(idle)';
  perSecond[second] ??= [0, 0];
  perSecond[second][0] += 1;
  if (!isIdle) perSecond[second][1] += 1;
  if (!window || second < from || second >= to) continue;
  total += 1;
  if (isIdle) {
    idle += 1;
    continue;
  }
  const fn = node.callFrame.functionName;
  const key = SPECIAL.has(fn) ? fn : group(node.callFrame.url);
  self.set(key, (self.get(key) ?? 0) + 1);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const k = `${group(frame.url)} ${frame.functionName || '(anonymous)'}`;
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
  }
}

if (!window) {
  const cells = perSecond.map((c, s) => `${s}:${c ? Math.round((100 * c[1]) / c[0]) : 0}%`);
  process.stdout.write(`main-thread busy per second since the process started:\n${cells.join(' ')}\n`);
  process.exit(0);
}
const busy = total - idle;
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / busy).toFixed(1).padStart(6)}%  ${k}`)
    .join('\n');
process.stdout.write(
  `seconds ${from}-${to}: ${total} samples, main thread busy ${((100 * busy) / Math.max(1, total)).toFixed(1)}%\n` +
    `self time by package (% of busy):\n${top(self, 25)}\n` +
    `inclusive time (% of busy):\n${top(inclusive, 50)}\n`,
);
