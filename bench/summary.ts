// Prints one table of every figure a bench run wrote: `node dist/bench/summary.js <run id>`
// (scripts/bench.sh passes its BENCH_RUN_ID; without one, the newest result of each bench).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Figure, MachineInfo } from './support';
import { ROOT } from './support';

interface ResultFile {
  bench: string;
  machine: MachineInfo;
  skipped?: string;
  figures?: Figure[];
}

const dir = path.join(ROOT, 'bench', 'results');
const runId = process.argv[2];
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
const chosen = new Map<string, string>();
for (const file of files) {
  const bench = file.replace(/^.*-(webhook-ack|archive-throughput|retention-sweep|stream-packaging|stream-viewers|talk-time-transcript|speech-detection|research-export|deidentify|audit-trail|worker-scaling)\.json$/, '$1');
  if (bench === file) continue;
  if (runId ? file.startsWith(`${runId}-`) : true) chosen.set(bench, file);
}
if (chosen.size === 0) {
  process.stdout.write(`no results${runId ? ` for run ${runId}` : ''} in ${path.relative(ROOT, dir)}\n`);
  process.exit(0);
}

const rows: string[][] = [['figure', 'value', 'baseline', 'ratio', 'goal', '']];
let machine: MachineInfo | undefined;
const skipped: string[] = [];
const ORDER = ['webhook-ack', 'archive-throughput', 'retention-sweep', 'stream-packaging', 'stream-viewers', 'talk-time-transcript', 'speech-detection', 'research-export', 'deidentify', 'audit-trail', 'worker-scaling'];
for (const file of [...chosen].sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0])).map(([, f]) => f)) {
  const result = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ResultFile;
  machine ??= result.machine;
  if (result.skipped) skipped.push(`${result.bench} — ${result.skipped}`);
  for (const f of result.figures ?? []) {
    rows.push([
      f.name,
      `${f.value} ${f.unit}`,
      `${f.baseline} ${f.unit} (${f.baselineName})`,
      `${f.ratio}×`,
      f.goal ?? '',
      f.goal === undefined || f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
    ]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
const out = [
  '',
  `== benchmark summary${runId ? ` (run ${runId})` : ''} ==`,
  machine ? `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres ?? '?'}, Redis ${machine.redis ?? '?'}` : '',
  machine?.gitCommit ? `code: ${machine.gitCommit}${machine.gitChangedFiles ? ` + ${machine.gitChangedFiles} uncommitted changes` : ''}` : '',
  line(rows[0]),
  ...rows.slice(1).map(line),
  ...skipped,
  `raw results: ${[...chosen.values()].map((f) => path.join('bench', 'results', f)).join(', ')}`,
  '',
];
process.stdout.write(out.join('\n'));
