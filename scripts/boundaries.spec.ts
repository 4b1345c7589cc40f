import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';

// The boundary rules bite: dependency-cruiser runs with the project's own .dependency-cruiser.cjs
// over a small throw-away repository in which each file breaks (or keeps) one rule, and eslint
// runs with the project's eslint.config.mjs over one offending file. Both as the CLIs `npm run lint`
// uses (their APIs are ES modules, which jest's CommonJS runtime cannot load).
const ROOT = resolve(__dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['libs/*/src'] } } }),
  // lib a ↔ lib b through their doors: a cycle between libs. lib c's two files cycle inside c: allowed.
  'libs/a/src/index.ts': "export * from './a';",
  'libs/a/src/a.ts': "import { b } from '@lib/b';\nexport const a = b;",
  'libs/a/src/reach-up.ts': "import { api } from '../../../apps/api/src/api';\nexport const up = api;",
  'libs/b/src/index.ts': "export * from './b';",
  'libs/b/src/b.ts': "import { a } from '@lib/a';\nimport { helper } from '../../../test/support/helper';\nexport const b = [a, helper];",
  'libs/b/src/internal.ts': 'export const internal = 1;',
  'libs/c/src/index.ts': "export * from './x';",
  'libs/c/src/x.ts': "import { y } from './y';\nexport const x = () => y;",
  'libs/c/src/y.ts': "import { x } from './x';\nexport const y = () => x;",
  'libs/zoom/src/index.ts': "import { readFileSync } from 'node:fs';\nimport { createHmac } from 'node:crypto';\nexport const z = [readFileSync, createHmac];",
  'apps/api/src/index.ts': "export * from './api';",
  'apps/api/src/api.ts':
    "import { internal } from '../../../libs/b/src/internal';\nimport { w } from '../../worker/src/w';\n" +
    "import { nope } from '@lib/b/internal';\nimport { c } from '@lib/c';\nexport const api = [internal, w, nope, c];",
  'apps/api/src/main.ts': "import { start } from '../../service/src';\nstart();",
  'apps/worker/src/index.ts': "export * from './w';",
  'apps/worker/src/w.ts': "import { b } from '../../../libs/b/src';\nexport const w = b;",
  'apps/worker/src/main.ts': "import { api } from '../../api/src/api';\nexport const m = api;",
  'apps/service/src/index.ts':
    "import { api } from '../../api/src';\nimport { w } from '../../worker/src';\nimport { api as deep } from '../../api/src/api';\n" +
    'export const start = () => [api, w, deep];',
  'migrations/1-create.ts': "import { b } from '@lib/b';\nexport const m = b;",
  'test/support/helper.ts': 'export const helper = 1;',
  'test/x.e2e-spec.ts': "import { start } from '../apps/service/src';\nstart();",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruiseFixture(): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  try {
    for (const [file, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const run = spawnSync(
      bin('depcruise'),
      ['apps', 'libs', 'migrations', 'test', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: dir, encoding: 'utf8', timeout: 30_000 },
    );
    if (!run.stdout) throw new Error(`depcruise gave no output: ${run.stderr}`);
    return JSON.parse(run.stdout).summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('module boundaries (.dependency-cruiser.cjs)', () => {
  let found: string[];
  beforeAll(() => {
    found = cruiseFixture().map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  }, 40_000);

  it.each([
    ['libs-not-to-apps: libs/a/src/reach-up.ts → apps/api/src/api.ts'],
    ['production-code-not-to-tests-or-benches: libs/b/src/b.ts → test/support/helper.ts'],
    ["lib-only-through-its-door: apps/api/src/api.ts → libs/b/src/internal.ts"],
    ['lib-not-by-relative-path: apps/api/src/api.ts → libs/b/src/internal.ts'],
    ['lib-not-by-relative-path: apps/worker/src/w.ts → libs/b/src/index.ts'],
    ['apps-not-to-other-apps: apps/api/src/api.ts → apps/worker/src/w.ts'],
    ['entry-points-only-to-composition-root: apps/worker/src/main.ts → apps/api/src/api.ts'],
    ['composition-root-through-app-doors: apps/service/src/index.ts → apps/api/src/api.ts'],
    ['migrations-import-no-live-code: migrations/1-create.ts → libs/b/src/index.ts'],
    ['zoom-protocol-is-pure: libs/zoom/src/index.ts → fs'],
    ['not-to-unresolvable: apps/api/src/api.ts → @lib/b/internal'],
  ])('refuses %s', (violation) => {
    expect(found).toContain(violation);
  });

  it('refuses a cycle that runs through two libs', () => {
    const cycles = found.filter((v) => v.startsWith('no-cycles-between-libs:'));
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles.every((v) => /libs\/(a|b)\/src\/\S+ → libs\/(a|b)\/src\//.test(v))).toBe(true);
  });

  it('allows the doors: @lib/<name>, the composition root wiring api and worker, entry points and tests starting it, a cycle inside one lib', () => {
    const allowed = [
      /→ libs\/c\//,
      /apps\/service\/src\/index\.ts → apps\/(api|worker)\/src\/index\.ts/,
      /apps\/api\/src\/main\.ts →/,
      /^[^:]+: test\/x\.e2e-spec\.ts →/,
      /zoom-protocol-is-pure: .* → crypto/,
    ];
    expect(found.filter((v) => allowed.some((pattern) => pattern.test(v)))).toEqual([]);
  });

  it('finds nothing else', () => {
    expect(found.filter((v) => !v.startsWith('no-cycles-between-libs:'))).toHaveLength(11);
  });
});

describe('eslint (eslint.config.mjs)', () => {
  it('refuses explicit any, unused variables and imports past a lib door', () => {
    const source = [
      "import { internal } from '@lib/b/src/internal';",
      "import { other } from '../../b/src/other';",
      'const unused = 1;',
      'export const f = (x: any) => [x, internal, other];',
    ].join('\n');
    const run = spawnSync(bin('eslint'), ['--stdin', '--stdin-filename', 'libs/a/src/a.ts', '--format', 'json'], {
      cwd: ROOT,
      input: source,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const rules = (JSON.parse(run.stdout)[0].messages as { ruleId: string; line: number }[]).map((m) => `${m.line} ${m.ruleId}`);
    expect(rules.sort()).toEqual(['1 no-restricted-imports', '2 no-restricted-imports', '3 @typescript-eslint/no-unused-vars', '4 @typescript-eslint/no-explicit-any']);
  }, 40_000);
});

describe('production build (tsconfig.build.json)', () => {
  it('compiles apps, libs and migrations only: no bench, no test, no spec', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(String(d.messageText));
      },
    });
    const files = parsed!.fileNames.map((f) => f.slice(ROOT.length + 1));
    expect(files.filter((f) => !/^(apps|libs|migrations)\//.test(f) || /\.(e2e-)?spec\.ts$/.test(f))).toEqual([]);
    expect(files).toContain('apps/api/src/main.ts');
  });
});
