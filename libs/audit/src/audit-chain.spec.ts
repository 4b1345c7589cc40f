import { auditHash, canonicalJson, ChainedAuditRow, checkChain, factContent, GENESIS_HASH, linkFacts } from './audit-chain';

function chain(n: number): ChainedAuditRow[] {
  const rows: ChainedAuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fact = { at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)), actorId: 'zoom', action: 'artifact.stored', subjectType: 'artifact', subjectId: `a${i}`, details: { kind: 'video' } };
    const hash = auditHash(prev, fact);
    rows.push({ ...fact, id: String(i), prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit chain', () => {
  it('serialises objects with sorted keys so equal facts hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
  });

  it('accepts an intact chain', () => {
    expect(checkChain(chain(5))).toEqual({ ok: true, checked: 5, firstBrokenId: null, lastHash: chain(5)[4].hash });
  });

  it('names the row whose content was edited', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], actorId: 'someone-else' };
    expect(checkChain(rows)).toMatchObject({ ok: false, firstBrokenId: '3' });
  });

  it('names the row after a deleted one', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(checkChain(rows)).toMatchObject({ ok: false, firstBrokenId: '3' });
  });

  it('detects a re-hashed forgery from the link to the next row', () => {
    const rows = chain(4);
    const forged = { ...rows[1], subjectId: 'forged' };
    forged.hash = auditHash(forged.prevHash, forged);
    rows[1] = forged;
    expect(checkChain(rows)).toMatchObject({ ok: false, firstBrokenId: '3' });
  });

  it('links facts in the given order, each following the previous hash, details defaulting to {}', () => {
    const at = new Date(Date.UTC(2026, 10, 1));
    const facts = [
      { at, actorId: 'zoom', action: 'artifact.stored', subjectType: 'artifact', subjectId: 'a1' },
      { at, actorId: 'zoom', action: 'artifact.stored', subjectType: 'artifact', subjectId: 'a2', details: { kind: 'video' } },
    ];
    const links = linkFacts(GENESIS_HASH, facts);
    expect(links.map((l) => l.prevHash)).toEqual([GENESIS_HASH, links[0].hash]);
    expect(links[0].fact.details).toEqual({});
    const rows = links.map((l, i) => ({ ...l.fact, id: String(i + 1), prevHash: l.prevHash, hash: l.hash }));
    expect(checkChain(rows)).toEqual({ ok: true, checked: 2, firstBrokenId: null, lastHash: links[1].hash });
  });

  it('writes an event\'s content exactly as canonicalJson would, for any details (the hashes of stored events depend on it)', () => {
    let state = 15; // a fixed linear congruential sequence: the same 500 facts every run
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    for (let i = 0; i < 500; i += 1) {
      const details: Record<string, string | number | boolean | null> = {};
      for (let k = Math.floor(random() * 5); k > 0; k -= 1) {
        details[pick(['kind', 'recordingId', 'n', 'Z', 'a b', 'é', 'ok', '"q"'])] = pick<string | number | boolean | null>(['x', 'line\nbreak', 'é"\\', 42, -1.5, true, false, null]);
      }
      const fact = {
        at: new Date(Date.UTC(2026, 11, 6, 10, 0, 0, Math.floor(random() * 1e6))),
        actorId: pick(['zoom', 'person-1', 'a"b']),
        action: pick(['recording.viewed', 'artifact.deleted']),
        subjectType: pick(['recording', 'artifact']),
        subjectId: pick(['r-1', 'é', '\u0000x']),
        details: random() < 0.2 ? undefined : details,
      };
      const generic = canonicalJson({ at: fact.at.toISOString(), actorId: fact.actorId, action: fact.action, subjectType: fact.subjectType, subjectId: fact.subjectId, details: fact.details ?? {} });
      expect(factContent(fact)).toBe(generic);
    }
  });
});
