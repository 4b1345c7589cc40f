import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * STYLE habit 14, issue 11 B.4: migrations are history. A migration that imports live code (the
 * libs, the apps) would change what an old migration does whenever that code changes, so every
 * file under migrations/ may import packages and other migrations only.
 */
const MIGRATIONS = path.resolve(__dirname, '../../../migrations');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [full] : [];
  });
}

/** Every module a file names: static and dynamic imports, re-exports, require. */
function importedModules(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** Why a migration file may not name `specifier`, or null when it may. */
function liveCodeImport(file: string, specifier: string): string | null {
  if (/^@(lib|app)s?\//.test(specifier)) return 'a path alias of live code';
  if (specifier.startsWith('.')) {
    const target = path.resolve(path.dirname(file), specifier);
    if (path.relative(MIGRATIONS, target).startsWith('..')) return 'code outside migrations/';
    return null;
  }
  if (/^(libs|apps)\//.test(specifier)) return 'live code';
  return null;
}

describe('migrations are frozen history', () => {
  const files = sourceFiles(MIGRATIONS);

  it('finds the migrations', () => {
    expect(files.length).toBeGreaterThan(1);
  });

  it('no file under migrations/ imports from libs/ or apps/', () => {
    const offences = files.flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .map((specifier) => ({ specifier, why: liveCodeImport(file, specifier) }))
        .filter((i) => i.why !== null)
        .map((i) => `${path.relative(MIGRATIONS, file)} imports ${i.specifier} (${i.why})`),
    );
    expect(offences).toEqual([]);
  });

  it('recognises every form of import it checks', () => {
    const text = `import { A } from '../libs/a';\nexport * from "../apps/b";\nimport '../libs/c';\nconst d = require('@lib/d');\nawait import('../libs/e');`;
    expect(importedModules(text).sort()).toEqual(['../apps/b', '../libs/a', '../libs/c', '../libs/e', '@lib/d']);
  });
});
