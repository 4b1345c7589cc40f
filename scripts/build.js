#!/usr/bin/env node
// Compiles the TypeScript sources into dist/ (tsc + tsc-alias for the @lib/* paths).
// The production build (tsconfig.build.json: apps, libs, migrations) is what the Docker image ships;
// `--bench` adds bench/ (tsconfig.bench.json) for scripts/bench.sh. test/ is never compiled here.
// Skips the work when nothing changed since the last build, so `npm run cli` stays quick.
// Everything it says goes to stderr: CLI commands own stdout.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
const bench = process.argv.includes('--bench');
const project = bench ? 'tsconfig.bench.json' : 'tsconfig.build.json';
const stamp = path.join(root, 'dist', bench ? '.build-stamp-bench' : '.build-stamp');
// The benchmarks also compile what they import from test/support (the media they generate).
const sourceDirs = ['apps', 'libs', 'migrations', ...(bench ? ['bench', 'test/support'] : [])];

function newestSource(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const configFiles = ['tsconfig.json', 'tsconfig.build.json', project, 'package-lock.json'].map((f) => path.join(root, f));
const newest = Math.max(
  ...sourceDirs.map((d) => newestSource(path.join(root, d))),
  ...configFiles.filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).mtimeMs),
);
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (!force && built >= newest) process.exit(0);

if (!quiet) process.stderr.write(`build: compiling TypeScript into dist/ (${project})\n`);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
try {
  execFileSync(bin('tsc'), ['-p', project], { cwd: root, stdio: ['ignore', 2, 2] });
  execFileSync(bin('tsc-alias'), ['-p', project], { cwd: root, stdio: ['ignore', 2, 2] });
} catch {
  process.stderr.write('build: TypeScript compilation failed (see above)\n');
  process.exit(1);
}
fs.mkdirSync(path.dirname(stamp), { recursive: true });
fs.writeFileSync(stamp, new Date().toISOString());
