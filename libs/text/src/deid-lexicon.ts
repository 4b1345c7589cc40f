import { foldWord } from './text-fold';

/**
 * What a word is, for finding names of people who are not on the roster (docs/research.md
 * "De-identification"): the given names come from the lexicon that `compromise` ships (about 3,000
 * given names tagged by their first sense, maintained with the package), the ordinary-word senses
 * from the same lexicon plus the hand-written lists below, which hold what a tutoring session says
 * and the package does not know (a name that is also a word: "will", "grace", "summer").
 *   name       a given name first of all ("liam", "olivia", "aarav")
 *   ambiguous  a name that is also an ordinary word ("will", "may", "grace", "mark", "rose")
 *   surname    a family name ("patel", "johnson")
 *   word       an ordinary word only ("everyone", "homework", "paris")
 * A word the lexicon does not know at all is unknown (undefined): a name only with a cue.
 */
export type WordClass = 'name' | 'ambiguous' | 'surname' | 'word';

export interface NameLexicon {
  /** The class of a folded word (lower case, no accents), or undefined when the lexicon does not know it. */
  classify(folded: string): WordClass | undefined;
}

/** Names that are also ordinary words: the package tags many of them by their word sense only. */
export const AMBIGUOUS_NAMES = new Set(
  (
    'will may june april august summer autumn winter spring hope faith grace joy rose ruby amber holly ivy lily daisy iris ' +
    'violet olive pearl jade crystal dawn sky river storm penny honey ginger destiny harmony melody heaven angel hunter ' +
    'mason carter cooper taylor chase drew frank grant rich ray max miles dean lance pierce wade buck chuck nick pat sue ' +
    'bob rob bill mark jack art gene jean don ken sandy rusty skip rocky reed carol eve ' +
    'kay charity patience mercy trinity journey sage willow rain jay robin wren victoria sydney austin jordan ' +
    'georgia virginia florence chelsea charlotte madison brooklyn dakota savannah'
  ).split(' '),
);

/**
 * Words of the language itself that may stand capitalised next to a cue ("Everyone said", "Mum
 * said", "Hi everyone") and are never a name here; the package's lexicon misses a few of them.
 */
export const FUNCTION_WORDS = new Set(
  (
    'i me my mine you your yours he him his she her hers it its we us our they them their this that these those ' +
    'a an the and or but so if then than because as of in on at to from by with without for about into onto over under ' +
    'up down out off again also just only not no yes yeah yep nope ok okay alright um uh uhh hmm mm mhm oh ah aha wow ' +
    'oops ooh yay ugh huh hey hi hello bye thanks thank please sorry cool nice great good right well anyway lol omg ' +
    'everyone everybody someone somebody anyone anybody nobody noone nothing something anything everything all both ' +
    'each every some any many much more most few less least other another such what which who whom whose when where ' +
    'why how is am are was were be been being do does did done have has had having can could shall should will would ' +
    'may might must let lets mom mum mommy mummy dad daddy mama papa grandma grandpa granny nana nan teacher tutor ' +
    'coach sir miss bro sis dude guys guy man girl boy kids kid class today tomorrow yesterday tonight there here ' +
    'goodnight goodbye morning evening afternoon cheers congrats ' +
    'now later never always maybe actually basically literally wait also too very really pretty quite like ' +
    // Spanish and French words that open a sentence in language lessons ("Bien, gracias", "Ahora, página doce").
    'hola gracias bien muy ahora pues bueno vale claro perfecto excelente oui merci bonjour tres'
  ).split(' '),
);

const NAME_TAGS = new Set(['MaleName', 'FemaleName']);

/** A lexicon from plain lists: given names, family names, and the words of the language. */
export function lexiconFrom(lists: {
  givenNames: Iterable<string>;
  surnames?: Iterable<string>;
  ordinaryWords?: Iterable<string>;
}): NameLexicon {
  const classes = new Map<string, WordClass>();
  for (const w of lists.ordinaryWords ?? []) classes.set(foldWord(w), 'word');
  for (const w of lists.surnames ?? []) {
    const f = foldWord(w);
    if (!classes.has(f)) classes.set(f, 'surname');
  }
  for (const w of lists.givenNames) {
    const f = foldWord(w);
    classes.set(f, classes.get(f) === 'word' ? 'ambiguous' : 'name');
  }
  for (const w of AMBIGUOUS_NAMES) classes.set(w, 'ambiguous');
  for (const w of FUNCTION_WORDS) if (!AMBIGUOUS_NAMES.has(w)) classes.set(w, 'word');
  return { classify: (folded) => classes.get(folded) };
}

interface CompromiseLexicon {
  model(): { one: { lexicon: Record<string, string> } };
}

let defaultLexicon: NameLexicon | null = null;

/**
 * The lexicon the de-identification uses unless told otherwise, built once from compromise's
 * word list: MaleName/FemaleName are given names, FirstName (its names that are also words:
 * "grace", "bill") and one-word Person entries ("austin", "sydney") are ambiguous, LastName is a
 * surname, every other tag is an ordinary word. Loaded on first use: the package takes ~0.2 s to
 * load, which nothing but de-identification should pay.
 */
export function defaultNameLexicon(): NameLexicon {
  if (defaultLexicon) return defaultLexicon;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  const nlp = require('compromise/two') as CompromiseLexicon;
  const given: string[] = [];
  const ambiguous: string[] = [];
  const surnames: string[] = [];
  const words: string[] = [];
  for (const [word, tag] of Object.entries(nlp.model().one.lexicon)) {
    if (word.includes(' ')) continue;
    if (NAME_TAGS.has(tag)) given.push(word);
    else if (tag === 'FirstName' || tag === 'Person') ambiguous.push(word);
    else if (tag === 'LastName') surnames.push(word);
    else words.push(word);
  }
  defaultLexicon = lexiconFrom({ givenNames: [...given, ...ambiguous], surnames, ordinaryWords: [...words, ...ambiguous] });
  return defaultLexicon;
}
