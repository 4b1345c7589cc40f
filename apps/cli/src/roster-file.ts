import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-command';

/**
 * The roster files the standalone analysis commands read (`talk-time`, `deidentify`):
 * CONTRACT `ROSTER.json`, `{"participants":[{"personId","displayName","role"}]}`, each entry
 * checked and a wrong one named (`participants[2]: role must be …`). Entries may carry more:
 * `file` (a talk-time manifest's audio file, required with `withFiles`) and `nicknames`.
 */
const ROLES = ['tutor', 'learner', 'parent'] as const;

export interface RosterEntry {
  personId: string;
  displayName: string;
  role: (typeof ROLES)[number];
  nicknames?: string[];
  file?: string;
}

export function rosterEntries(doc: unknown, path: string, withFiles = false): RosterEntry[] {
  const list = (doc as { participants?: unknown })?.participants;
  if (!Array.isArray(list)) throw new UsageError(`${path}: expected {"participants":[…]}`);
  const seen = new Set<string>();
  return list.map((p: Record<string, unknown>, i: number) => {
    const where = `${path}: participants[${i}]`;
    if (typeof p?.personId !== 'string' || p.personId === '') throw new UsageError(`${where}: personId must be a non-empty string`);
    if (typeof p.displayName !== 'string' || p.displayName.trim() === '') throw new UsageError(`${where}: displayName must be a non-empty string`);
    if (!ROLES.includes(p.role as (typeof ROLES)[number])) throw new UsageError(`${where}: role must be one of ${ROLES.join(', ')}`);
    if (withFiles && (typeof p.file !== 'string' || p.file === '')) throw new UsageError(`${where}: file must name the participant's audio file`);
    if (p.nicknames !== undefined && !(Array.isArray(p.nicknames) && p.nicknames.every((n) => typeof n === 'string' && n.trim() !== ''))) {
      throw new UsageError(`${where}: nicknames must be a list of non-empty strings`);
    }
    if (seen.has(p.personId)) throw new UsageError(`${where}: personId "${p.personId}" appears twice`);
    seen.add(p.personId);
    return {
      personId: p.personId,
      displayName: p.displayName,
      role: p.role as RosterEntry['role'],
      ...(p.nicknames ? { nicknames: p.nicknames as string[] } : {}),
      ...(withFiles ? { file: p.file as string } : {}),
    };
  });
}

/** A roster file read and checked; `[]` when no path is given. */
export async function readRosterFile(path: string | undefined): Promise<RosterEntry[]> {
  return path ? rosterEntries(await readJsonFile(path), path) : [];
}

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`${path}: not JSON`);
  }
}
