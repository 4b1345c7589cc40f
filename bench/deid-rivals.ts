// What bench/deidentify.ts measures this project's de-identification against: the npm package
// `redact-pii` (its built-in rules, and with the roster's names added as custom patterns), and, for
// names of people not on the roster, compromise's person detection, wink-nlp's proper nouns, and
// lexicon variants of our own rules. Each rival returns spans over the text it is given, so one
// scorer (scoreSpans in @lib/text) judges them all. Not a benchmark itself.
import nlp from 'compromise';
import { SyncRedactor } from 'redact-pii';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { DeidRosterPerson, lexiconFrom, NameLexicon } from '@lib/text';

export interface Span {
  kind: string;
  start: number;
  end: number;
}

// --- redact-pii -------------------------------------------------------------------------------------

const TOKENS: Record<string, string> = {
  PERSON_NAME: 'PERSON',
  EMAIL_ADDRESS: 'EMAIL',
  PHONE_NUMBER: 'PHONE',
  URL: 'URL',
  STREET_ADDRESS: 'ADDRESS',
  ZIPCODE: 'ADDRESS',
  USERNAME: 'SOCIAL',
  DIGITS: 'OTHER',
  CREDIT_CARD_NUMBER: 'OTHER',
  IP_ADDRESS: 'OTHER',
  US_SOCIAL_SECURITY_NUMBER: 'OTHER',
  PASSWORD: 'OTHER',
  CREDENTIALS: 'OTHER',
};
const TOKEN = new RegExp(`(${Object.keys(TOKENS).join('|')})`);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** redact-pii with its defaults, or with every form of the roster's names as a custom pattern first. */
export function redactPii(roster: readonly DeidRosterPerson[] | null): (text: string) => Span[] {
  const names = roster ? [...new Set(roster.flatMap((p) => [p.displayName, ...(p.nicknames ?? [])]).flatMap((n) => [n, ...n.split(/[\s-]+/)]))] : [];
  const forms = names.filter((n) => n.replace(/\W/g, '').length > 1 && !/^(mr|mrs|ms|miss|dr|coach)\.?$/i.test(n));
  const redactor = new SyncRedactor(
    forms.length > 0
      ? { customRedactors: { before: [{ regexpPattern: new RegExp(`\\b(?:${forms.sort((a, b) => b.length - a.length).map(escape).join('|')})\\b`, 'gi'), replaceWith: 'PERSON_NAME' }] } }
      : {},
  );
  return (text) => align(text, redactor.redact(text));
}

/**
 * redact-pii returns text, not spans: its output is the input's kept pieces with tokens between,
 * so the pieces are found in the input in order and what lies between them was replaced.
 */
function align(input: string, output: string): Span[] {
  const parts = output.split(TOKEN);
  const spans: Span[] = [];
  let at = parts[0].length;
  if (!input.startsWith(parts[0])) return [];
  for (let k = 1; k < parts.length; k += 2) {
    const token = parts[k];
    const kept = parts[k + 1];
    const last = k + 2 >= parts.length;
    const next = last ? input.length - kept.length : kept === '' ? at + 1 : input.indexOf(kept, at + 1);
    if (next < at || (last && !input.endsWith(kept))) return spans;
    spans.push({ kind: TOKENS[token], start: at, end: Math.max(next, at + 1) });
    at = next + kept.length;
  }
  return spans;
}

// --- names of people not on the roster ----------------------------------------------------------------

/** compromise's person detection (`.people()`), its matches found back in the text in order. */
export function compromisePeople(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (const found of nlp(text).people().out('array') as string[]) {
    const name = found.replace(/[.,!?;:]+$/, '');
    const at = text.indexOf(name, from);
    if (at < 0) continue;
    spans.push({ kind: 'PERSON', start: at, end: at + name.length });
    from = at + name.length;
  }
  return spans;
}

const wink = winkNLP(model);

/** wink-nlp's English lite model has no PERSON entity: its proper nouns (PROPN) are the nearest it offers. */
export function winkProperNouns(text: string): Span[] {
  const doc = wink.readDoc(text);
  const its = wink.its;
  const words = doc.tokens().out(its.value) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  const spans: Span[] = [];
  let from = 0;
  words.forEach((word, k) => {
    const at = text.indexOf(word, from);
    if (at < 0) return;
    from = at + word.length;
    if (tags[k] === 'PROPN') spans.push({ kind: 'PERSON', start: at, end: at + word.length });
  });
  return spans;
}

/** redact-pii's list of 11,539 given names and surnames, with compromise's words for the ordinary senses. */
export function redactPiiNameLexicon(ordinaryWords: readonly string[]): NameLexicon {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON data file inside the package
  const names = require('redact-pii/lib/built-ins/well-known-names.json') as string[];
  return lexiconFrom({ givenNames: names, ordinaryWords });
}

/**
 * A hand-written lexicon: about 300 given names common among US and UK children born 2005–2018,
 * written from memory of the baby-name rankings for this benchmark, with compromise's words for the
 * ordinary senses. The same person wrote the corpus, earlier: its figure is flattered, if anything.
 */
export function handWrittenLexicon(ordinaryWords: readonly string[]): NameLexicon {
  const names = (
    'liam noah oliver elijah james william benjamin lucas henry theodore jack levi alexander jackson mateo daniel michael mason ' +
    'sebastian ethan logan owen samuel jacob asher aiden john joseph wyatt david leo luke julian hudson grayson matthew ezra ' +
    'gabriel carter isaac jayden luca anthony dylan lincoln thomas maverick elias josiah charles caleb christopher ezekiel ' +
    'miles jaxon isaiah andrew joshua nathan nolan adrian cameron santiago eli aaron ryan angel cooper waylon easton kai ' +
    'christian landon colton roman axel brooks jonathan robert jameson ian everett greyson wesley jeremiah hunter leonardo ' +
    'jordan jose bennett silas nicholas parker beau weston austin connor carson dominic xavier harry george oscar archie ' +
    'freddie alfie charlie jacob arthur muhammad reggie tommy teddy rory finley ' +
    'olivia emma charlotte amelia sophia mia isabella ava evelyn luna harper camila sofia scarlett elizabeth eleanor emily ' +
    'chloe mila violet penelope gianna aria abigail ella avery hazel nora layla lily aurora nova ellie madison grace isla ' +
    'willow zoe riley stella zoey victoria emilia everly hannah addison leah lucy eliana ivy paisley elena naomi maya ' +
    'natalie kinsley delilah claire audrey aaliyah ruby brooklyn alice aubrey autumn leilani savannah valentina kennedy ' +
    'madelyn josephine bella skylar genesis sophie hailey sadie natalia quinn caroline allison gabriella anna serenity ' +
    'nevaeh cora ariana emery lydia jade sarah eva adeline madeline piper rylee athena peyton everleigh vivian clara raelynn ' +
    'liliana samantha maria iris ayla eloise lyla eliza hadley melody julia rose isabelle poppy freya florence daisy evie ' +
    'phoebe sienna imogen jessica millie'
  ).split(' ');
  return lexiconFrom({ givenNames: names, ordinaryWords });
}

/** Only the cues, no given names at all: how much the lexicon adds. */
export function noNameLexicon(ordinaryWords: readonly string[]): NameLexicon {
  return lexiconFrom({ givenNames: [], ordinaryWords });
}

/** compromise's ordinary words (every entry not tagged as a name), for the lexicon variants. */
export function compromiseOrdinaryWords(): string[] {
  const lexicon = (nlp as unknown as { model(): { one: { lexicon: Record<string, string> } } }).model().one.lexicon;
  return Object.entries(lexicon)
    .filter(([word, tag]) => !word.includes(' ') && !/Name|Person/.test(tag))
    .map(([word]) => word);
}
