/**
 * Dates of birth: a date near a birthday word ("my birthday is 3 March", "my bday is march 3rd!",
 * "I was born on 03/03/2012", "born in 2012", "the 4th of July is my birthday", "I'm turning 11 on
 * June 2nd", "mi cumpleaños es el 5 de junio"), or in the turns that answer one ("When's your
 * birthday?" — "March 9th!"; "Date of birth?" — "June 14, 1994"). The span is the date alone, so
 * "my birthday is [DOB]" keeps its sense. Dates with no birthday talk ("the test is on March 3",
 * "due 03/03") are not personal, and neither is a birthday with no date ("happy birthday!").
 * A month alone counts only as "in/is <month>" ("my birthday is in June"); a year alone only as
 * "born in 2012".
 */
const MONTH =
  '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const SMALL = 'one|two|three|four|five|six|seven|eight|nine';
const ORDINAL_WORD =
  `(?:(?:twenty|thirty)[- ]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|` +
  'eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)';
const DAY = `(?:[0-3]?\\d(?:st|nd|rd|th)?|${ORDINAL_WORD})`;
const TEEN = 'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const SPOKEN_YEAR =
  `(?:two thousand(?:\\s+and)?(?:\\s+(?:${TEEN}|twenty(?:[- ](?:${SMALL}))?|${SMALL}))?|(?:twenty|nineteen)\\s+(?:oh\\s+)?(?:${TEEN}|${SMALL}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:${SMALL}))?))`;
const YEAR = `(?:(?:19|20)\\d{2}|${SPOKEN_YEAR})`;
const MES = '(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)';
const DIA =
  '(?:[0-3]?\\d|primero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|diecis[eé]is|diecisiete|dieciocho|diecinueve|veinte|veinti\\p{L}+|treinta(?: y uno)?)';
const DATE = new RegExp(
  [
    String.raw`\b[0-3]?\d[/.\-][01]?\d(?:[/.\-](?:(?:19|20)\d{2}|\d{2}))?\b`,
    String.raw`\b(?:19|20)\d{2}-[01]?\d-[0-3]?\d\b`,
    String.raw`\b(?:the\s+)?${DAY}(?:\s+of)?\s+${MONTH}(?:,?\s+${YEAR})?(?![a-z])`,
    String.raw`\b${MONTH}\s+(?:the\s+)?${DAY}(?:,?\s+${YEAR})?(?![a-z])`,
    String.raw`\bthe\s+[0-3]?\d(?:st|nd|rd|th)\b`,
    String.raw`\b${DIA}\s+de\s+${MES}(?:\s+de\s+\d{4})?(?!\p{L})`,
  ].join('|'),
  'giu',
);
const MONTH_ALONE = new RegExp(String.raw`\b(?:in|is|en)\s+(${MONTH}(?:\s+${YEAR})?|${MES})(?![a-z])`, 'gid');
const YEAR_OF_BIRTH = new RegExp(String.raw`\bborn\s+in\s+(${YEAR})\b`, 'gid');
const CUE =
  /\b(?:b(?:ir|ri|ur)(?:th|f)\s?days?|bday|b-day|b'day|birth\s?date|date of birth|d\.?o\.?b\b|born|cumplea[nñ]os|cumple|nac[ií]|turn(?:s|ing)?\s+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]{3,5}teen|twenty)\b)/giu;
/** How far (characters) a date may stand from its birthday word. */
const REACH_AFTER = 45;
const REACH_BEFORE = 40;
/** A sentence that answers the one before: "And birthdays? Mine is December 2nd." */
const ANSWER = /^\s*(?:mine|my|it'?s|its|it is|on|in|that'?s)\b/i;

export interface DobSpan {
  start: number;
  end: number;
}

const ONE_CUE = new RegExp(CUE.source, 'iu');

export function hasBirthdayCue(text: string): boolean {
  return QUICK.test(text) && ONE_CUE.test(text);
}

/** `answering`: the text answers a turn that talked of birthdays, so its dates are dates of birth. */
const QUICK = /birth|bday|b-day|b'day|dob|d\.o\.b|born|turn|cumple|nac[ií]|birf|brith|burf/i;

export function findDatesOfBirth(text: string, answering = false): DobSpan[] {
  if (!answering && !QUICK.test(text)) return [];
  const cues = [...text.matchAll(CUE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (answering) cues.push({ start: 0, end: 0 });
  if (cues.length === 0 || !/\d|[a-z]{3}/i.test(text)) return [];
  const dates: DobSpan[] = [];
  for (const m of text.matchAll(DATE)) dates.push({ start: m.index, end: m.index + m[0].length });
  for (const pattern of [MONTH_ALONE, YEAR_OF_BIRTH]) {
    for (const m of text.matchAll(pattern)) {
      const [start, end] = (m.indices as Array<[number, number]>)[1];
      if (pattern === MONTH_ALONE && /^may$/i.test(m[1]) && !/^M/.test(m[1])) continue; // "it is may…" is the verb
      dates.push({ start, end });
    }
  }
  return dates.filter((d) => cues.some((c) => near(text, c, d)));
}

function near(text: string, cue: DobSpan, date: DobSpan): boolean {
  if (date.start >= cue.end) {
    const between = text.slice(cue.end, date.start);
    if (date.start - cue.end > REACH_AFTER) return false;
    const ends = [...between.matchAll(/[.!?]+(?:\s|$)/g)];
    return ends.length === 0 || (ends.length === 1 && ANSWER.test(between.slice(ends[0].index + ends[0][0].length)));
  }
  if (date.end <= cue.start) return cue.start - date.end <= REACH_BEFORE && !/[.!?](?:\s|$)/.test(text.slice(date.end, cue.start));
  return true;
}
