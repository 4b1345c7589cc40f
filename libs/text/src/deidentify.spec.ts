import { ChatLogMalformed, TranscriptMalformed } from './text-errors';
import { DEID_VERSION, deidentifyChatLog, deidentifyFile, deidentifyFileWithSpans, deidentifyText, deidentifyTranscript, DeidRosterPerson } from './deidentify';

const roster: DeidRosterPerson[] = [
  { personId: 't', displayName: 'Ms Ana Rivera', role: 'tutor' },
  { personId: 'l1', displayName: 'Elisa Lopez', role: 'learner', nicknames: ['Lizzy'] },
  { personId: 'l2', displayName: 'Will Turner', role: 'learner' },
  { personId: 'p1', displayName: 'Zoë O’Brien-Smith', role: 'parent' },
];
const text = (s: string) => deidentifyText(s, roster).text;

describe('de-identification: labels, lines and times', () => {
  const vtt = [
    'WEBVTT',
    '',
    '1',
    '00:10:00.000 --> 00:10:04.500 align:start',
    'Ms Rivera: Hi Elisa and Will.',
    '',
    '2',
    '00:10:05.000 --> 00:10:07.000',
    '<v Elisa L (she/her)>I will read.</v>',
    'Second line: Lizzy again.',
    '',
    '3',
    '00:10:08.000 --> 00:10:09.000',
    'Unknown Speaker: Zoe here.',
    '',
  ].join('\n');

  it('gives role labels in roster order and [PERSON] to a speaker on nobody’s roster', () => {
    const out = deidentifyTranscript(vtt, roster).split('\n');
    expect(out[4]).toBe('[TUTOR]: Hi [PERSON] and [PERSON].');
    expect(out[8]).toBe('<v [LEARNER 1]>I will read.</v>');
    expect(out[13]).toBe('[PERSON]: [PERSON] here.');
  });

  it('uses the labels an export passes (study pseudonyms)', () => {
    const out = deidentifyTranscript(vtt, roster, { labelFor: (p) => `P-${p.personId}` });
    expect(out.split('\n')[4]).toBe('P-t: Hi [PERSON] and [PERSON].');
  });

  it('keeps every line, the cue numbers and settings, and only the first text line’s "Name: " is a speaker', () => {
    const out = deidentifyTranscript(vtt, roster).split('\n');
    expect(out).toHaveLength(vtt.split('\n').length);
    expect(out[2]).toBe('1');
    expect(out[9]).toBe('Second line: [PERSON] again.');
  });

  it('moves cue timings to the session start, never below zero, and keeps CRLF line ends', () => {
    const out = deidentifyTranscript(vtt.replace(/\n/g, '\r\n'), roster, { offsetSeconds: 600.5 });
    expect(out.split('\r\n')[3]).toBe('00:00:00.000 --> 00:00:04.000 align:start');
    expect(out.split('\r\n')[7]).toBe('00:00:04.500 --> 00:00:06.500');
  });

  it('rewrites chat senders, direct-message recipients and stamps; "Everyone" stays', () => {
    const chat = [
      '00:10:05 From Ms Ana Rivera to Everyone: Hello Lizzy',
      '00:10:09 From Elisa Lopez to Ms Ana Rivera(Direct Message): my email is elisa.l@gmail.com',
      '\tand my number is 07700 900123',
      '00:10:30\tZoe O\'Brien-Smith:\tthanks Ms Rivera',
    ].join('\n');
    expect(deidentifyChatLog(chat, roster, { offsetSeconds: 600 }).split('\n')).toEqual([
      '00:00:05 From [TUTOR] to Everyone: Hello [PERSON]',
      '00:00:09 From [LEARNER 1] to [TUTOR](Direct Message): my email is [EMAIL]',
      '\tand my number is [PHONE]',
      '00:00:30\t[PARENT 1]:\tthanks Ms [PERSON]',
    ]);
  });

  it('tells a transcript from a chat log', () => {
    expect(deidentifyFile('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWill Turner: hi\n', roster)).toContain('[LEARNER 2]: hi');
    expect(deidentifyFile('00:00:01 From Will Turner to Everyone: hi\n', roster)).toBe('00:00:01 From [LEARNER 2] to Everyone: hi\n');
  });

  it('refuses a malformed file naming the line, before writing anything', () => {
    expect(() => deidentifyTranscript('WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nhi\n', roster)).toThrow(TranscriptMalformed);
    expect(() => deidentifyChatLog('no stamp here\n', roster)).toThrow(ChatLogMalformed);
  });

  it('reports what it replaced as spans of the original file', () => {
    const file = '00:00:01 From Will Turner to Everyone: call 07700 900123\n';
    const { spans } = deidentifyFileWithSpans(file, roster);
    expect(spans.map((s) => [s.kind, file.slice(s.start, s.end)])).toEqual([['PHONE', '07700 900123']]);
  });

  it('has a version for export manifests', () => {
    expect(DEID_VERSION).toMatch(/^\d+$/);
  });
});

describe('de-identification: roster names in every form', () => {
  it.each([
    ['full name, any case, accents and apostrophes', 'zoe o’brien smith and ZOË O\'BRIEN-SMITH came', 'and'],
    ['first name, last name, nickname, possessive', "Elisa's book, Lopez's pen, Lizzy's bag", ''],
    ['lower case', 'elisa said hi', ''],
    ['a hyphenated surname and each half', "O'Brien-Smith, O’Brien and Smith", ''],
  ])('%s', (_what, input, kept) => {
    const out = text(input);
    expect(out).not.toMatch(/elisa|lopez|lizzy|zo[eë]|brien|smith/i);
    if (kept) expect(out).toContain(kept);
  });

  it('replaces a roster name that is also a word only where it names the person', () => {
    expect(text('Will, can you read? I will read. Will you read? I told Will. the Will was signed.')).toBe(
      '[PERSON], can you read? I will read. Will you read? I told [PERSON]. the Will was signed.',
    );
  });
});

describe('de-identification: people not on the roster', () => {
  it.each([
    ['a given name', 'I played with Liam and Noah.', 'I played with [PERSON] and [PERSON].'],
    ['a relation', 'my brother Will said hi', 'my brother [PERSON] said hi'],
    ['a title', 'Ask Mrs Patel or mr okafor', 'Ask Mrs [PERSON] or mr [PERSON]'],
    ['a name the lexicon lacks, after "said"', 'Xiomara said it was easy', '[PERSON] said it was easy'],
    ['a full name', 'Liam Okafor-Reyes won', '[PERSON] won'],
    ['a month as a name', 'my sister June is 7', 'my sister [PERSON] is 7'],
  ])('finds %s', (_what, input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each([
    'I will help. May I go? We start in June. The summer was hot.',
    'Grace period ends Friday. Split the bill. Mark the answer. It rose by 5%.',
    'Hope you are well. Have faith. A jack of all trades. Pat yourself on the back.',
    'We did the May test. See you on June 3. Hope is the thing with feathers.',
  ])('keeps ordinary words that are also names: %s', (input) => {
    expect(text(input)).toBe(input);
  });
});

describe('de-identification: contact details, schools, birthdays and Zoom', () => {
  it.each([
    ['EMAIL', 'write to jane.doe@gmail.com or jane dot doe at gmail dot com'],
    ['PHONE', 'call 555-204-7781 or oh seven seven double oh nine double oh one two three'],
    ['URL', 'see https://example.org/a and kahoot.it'],
    ['SOCIAL', 'my insta is liz_lo22, my gamer tag is MateusKing77'],
    ['ADDRESS', 'I live at 12 Elm Street, Springfield, IL 62704, Apt 4B; my zip is 78745'],
    ['SCHOOL', 'I go to Lincoln High School; she is at St Mary’s Primary'],
    ['DOB', 'my birthday is 3 March and I was born on 03/03/2012'],
    ['ZOOM', 'meeting ID 812 3456 7890 passcode 4kT9zq at zoom.us/j/81234567890'],
  ])('replaces %s', (kind, input) => {
    const { text: out, spans } = deidentifyText(input, roster);
    expect(spans.length).toBeGreaterThanOrEqual(2);
    expect(new Set(spans.map((s) => s.kind))).toEqual(new Set([kind]));
    expect(out).not.toMatch(/jane|555|7781|example|kahoot|liz_lo|Mateus|Elm|62704|4B|78745|Lincoln|Mary|March|2012|3456|4kT9zq|zoom\.us/);
  });

  it.each([
    ['numbers in a problem', 'What is 4,567,890 divided by 10? Use 3.14159 and 10:30.'],
    ['a date that is not a birthday', 'The test is on March 3 and the form is due 03/03.'],
    ['"high school" and a learning site', 'In high school you can use Khan Academy.'],
    ['a passcode not given', 'The passcode is in the invite.'],
    ['a road that is not an address', 'Walk 3 miles down the main road.'],
    ['a happy birthday', 'Happy birthday!'],
  ])('leaves %s', (_what, input) => {
    expect(text(input)).toBe(input);
  });

  it('follows a question into the answer that comes after it', () => {
    const chat = [
      '00:00:01 From Ms Ana Rivera to Everyone: when is your birthday?',
      '00:00:05 From Will Turner to Everyone: march 9th!',
      '00:00:09 From Elisa Lopez to Everyone: whats ur insta',
      '00:00:12 From Will Turner to Everyone: will.t_09',
    ].join('\n');
    const out = deidentifyChatLog(chat, roster).split('\n');
    expect(out[1]).toBe('00:00:05 From [LEARNER 2] to Everyone: [DOB]!');
    expect(out[3]).toBe('00:00:12 From [LEARNER 2] to Everyone: [SOCIAL]');
  });
});
