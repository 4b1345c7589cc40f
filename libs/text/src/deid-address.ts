import { FUNCTION_WORDS } from './deid-lexicon';

/**
 * What research data needs beyond the postal addresses of contact-address.ts, which the safety
 * signals share and which need a house number to call something an address:
 *   a street named without a number   "on Elm Street", "South Congress Avenue", "Birch Road"
 *   a flat or unit                    "Apt 4B", "Unit 12", "Suite 300"
 *   a numbered road or street         "County Road 12", "Route 9", "55 West 81st Street"
 *   a zip or postcode after its name  "my zip is 78745", "postcode: LS6 2QF"
 * A street name is capitalised and ends in a full street word, so "the main road", "down the street"
 * and "Dr Patel" stay; the parts of one address are joined into one span later (deid-spans.ts).
 */
const NAMED_STREET = /(?<![\w'])((?:[A-Z][a-z'\u2019]+[ \t]+){1,3})(?:Street|Road|Avenue|Ave|Lane|Drive|Boulevard|Blvd|Parkway|Terrace|Crescent)\b/g;
const UNIT = /\b(?:apt|apartment|unit|suite|ste|flat)\.?[ \t]*#?[ \t]*([A-Z]?\d{1,5}[A-Z]?)\b/gi;
const NUMBERED_ROAD = /\b(?:County Road|State Road|Farm Road|Route|Highway|Hwy|CR|FM|SR)[ \t]+\d{1,4}\b/g;
/** "55 West 81st Street", "200 5th Avenue": a numbered street, which contact-address.ts does not read. */
const NUMBERED_STREET =
  /(?<![\w.,$£€-])\d{1,5}[a-z]?[ \t]+(?:(?:North|South|East|West|N|S|E|W)\.?[ \t]+)?\d{1,3}(?:st|nd|rd|th)[ \t]+(?:Street|St|Avenue|Ave|Road|Rd|Place|Pl|Drive|Dr)\b\.?/gi;
const CODE_AFTER_NAME =
  /\b(?:zip(?:[ \t]*code)?|post[ \t]?code|postal[ \t]+code)(?:[ \t]+(?:is|was))?[ \t]*[:-]?[ \t]*(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})\b/gi;

/** "27 Rue de la Paix, 75002 Paris", "14 Calle Mayor": the street word first, as in French, Spanish, Italian. */
const STREET_WORD_FIRST =
  /(?<![\w.,$£€-])\d{1,4}(?:bis|ter)?,?[ \t]+(?:Rue|Avenue|Boulevard|Calle|Avenida|Via|Viale|Piazza|Plaza|Place|Chemin|All[ée]e|Quai)[ \t]+(?:(?:de|du|des|la|le|les|del|di|d')[ \t]*)*\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){0,3}(?:,?[ \t]*\d{4,5}[ \t]+\p{Lu}[\p{L}-]+)?/gu;

export interface AddressSpan {
  start: number;
  end: number;
}

export function findMoreAddresses(text: string): AddressSpan[] {
  const out: AddressSpan[] = [];
  if (/Street|Road|Avenue|Ave|Lane|Drive|Boulevard|Blvd|Parkway|Terrace|Crescent/.test(text)) {
    for (const m of text.matchAll(NAMED_STREET)) {
      // "On Elm Street", "Like Main Street": a sentence's first word is not part of the name.
      const words = m[1].trim().split(/[ \t]+/);
      let skip = 0;
      while (skip < words.length && FUNCTION_WORDS.has(words[skip].toLowerCase())) skip += 1;
      if (skip === words.length) continue;
      const start = m.index + m[0].indexOf(words[skip]);
      out.push({ start, end: m.index + m[0].length });
    }
  }
  if (/\d/.test(text)) {
    for (const pattern of [UNIT, NUMBERED_ROAD, NUMBERED_STREET, STREET_WORD_FIRST]) for (const m of text.matchAll(pattern)) out.push({ start: m.index, end: m.index + m[0].length });
    for (const m of text.matchAll(CODE_AFTER_NAME)) out.push({ start: m.index + m[0].length - m[1].length, end: m.index + m[0].length });
  }
  return out;
}
