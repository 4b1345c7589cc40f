/**
 * Folding text for name matching: lower case, accents gone, every apostrophe style as "'". One home
 * for it, so erasure (person-redaction.ts) and research de-identification (deid-*.ts) see a name the
 * same way the speaker-label matcher (name-match.ts) does.
 */
const APOSTROPHES = /[\u2018\u2019\u02bc`\u00b4]/g;

/** One word folded: "Zoë" → "zoe", "O’Brien" → "o'brien". */
export function foldWord(word: string): string {
  // Most words are plain ASCII: no accents to take off (this runs for every word of a transcript).
  if (/^[\x20-\x7e]*$/.test(word)) return word.toLowerCase().replace(/`/g, "'");
  return word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(APOSTROPHES, "'");
}

/** The text folded (lower case, accents gone), with each folded char's span in the original. */
export function foldWithOffsets(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    const f = ch.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
    for (const c of f) {
      folded += c;
      for (let k = 0; k < c.length; k += 1) {
        from.push(i);
        to.push(i + ch.length);
      }
    }
    i += ch.length;
  }
  return { folded, from, to };
}
