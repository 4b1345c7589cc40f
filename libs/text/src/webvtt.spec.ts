import { parseWebVtt } from './webvtt';
import { TranscriptMalformed } from './text-errors';

const vtt = (...lines: string[]) => lines.join('\n');

function malformed(source: string): TranscriptMalformed {
  try {
    parseWebVtt(source);
  } catch (e) {
    if (e instanceof TranscriptMalformed) return e;
    throw e;
  }
  throw new Error('expected TranscriptMalformed');
}

describe('parseWebVtt', () => {
  it('reads numbered cues with `Name: text` as speaker and text', () => {
    const cues = parseWebVtt(
      vtt('WEBVTT', '', '1', '00:00:01.000 --> 00:00:04.500', 'Jane Doe: Hello there', '', '2',
        '00:00:05.000 --> 00:00:06.250', 'Elisa L: Hi!', ''),
    );
    expect(cues).toEqual([
      { index: 1, startSeconds: 1, endSeconds: 4.5, speakerLabel: 'Jane Doe', text: 'Hello there', line: 4 },
      { index: 2, startSeconds: 5, endSeconds: 6.25, speakerLabel: 'Elisa L', text: 'Hi!', line: 8 },
    ]);
  });

  it('strips a byte order mark and reads CRLF line endings', () => {
    const cues = parseWebVtt('\uFEFFWEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.000\r\nJane: Hi\r\n');
    expect(cues).toEqual([{ index: 1, startSeconds: 1, endSeconds: 2, speakerLabel: 'Jane', text: 'Hi', line: 4 }]);
  });

  it('ignores header metadata and NOTE blocks', () => {
    const cues = parseWebVtt(
      vtt('WEBVTT - Zoom', 'Kind: captions', '', 'NOTE written by hand', 'more note', '',
        '00:00:01.000 --> 00:00:02.000', 'Jane: Hi'),
    );
    expect(cues).toHaveLength(1);
    expect(cues[0]).toMatchObject({ index: 1, speakerLabel: 'Jane', line: 7 });
  });

  it('accepts cues without an identifier', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'Jane: Hi'));
    expect(cues[0]).toMatchObject({ index: 1, line: 3, text: 'Hi' });
  });

  it('ignores cue settings after the timing line', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '1', '00:00:01.000 --> 00:00:02.000 align:start position:10%', 'Jane: Hi'));
    expect(cues[0]).toMatchObject({ startSeconds: 1, endSeconds: 2, speakerLabel: 'Jane', text: 'Hi' });
  });

  it('reads mm:ss.mmm times without hours and hours beyond 99', () => {
    const cues = parseWebVtt(
      vtt('WEBVTT', '', '01:02.500 --> 01:03.000', 'Jane: a', '', '100:00:00.000 --> 100:00:01.000', 'Jane: b'),
    );
    expect(cues.map((c) => [c.startSeconds, c.endSeconds])).toEqual([[62.5, 63], [360000, 360001]]);
  });

  it('takes the speaker from a <v Name> voice tag and drops the tags from the text', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', '<v.loud Ana María>Hola: qué tal</v>'));
    expect(cues[0]).toMatchObject({ speakerLabel: 'Ana María', text: 'Hola: qué tal' });
  });

  it('continues the previous speaker for a cue without a name', () => {
    const cues = parseWebVtt(
      vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'Jane: Let us start', '',
        '00:00:02.000 --> 00:00:03.000', 'with fractions.'),
    );
    expect(cues[1]).toMatchObject({ speakerLabel: 'Jane', text: 'with fractions.' });
  });

  it('leaves the speaker null when no cue before has named one', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'no name here'));
    expect(cues[0]).toMatchObject({ speakerLabel: null, text: 'no name here' });
  });

  it('splits the speaker at the first ": " only', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'Jane: the ratio is 3: 4'));
    expect(cues[0]).toMatchObject({ speakerLabel: 'Jane', text: 'the ratio is 3: 4' });
  });

  it('keeps multi-line cue text with the speaker from the first line', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '1', '00:00:01.000 --> 00:00:05.000', 'Jane: first line', 'second: line'));
    expect(cues[0]).toMatchObject({ speakerLabel: 'Jane', text: 'first line\nsecond: line' });
  });

  it('decodes the WebVTT character references', () => {
    const cues = parseWebVtt(vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'Jane: a &lt; b &amp;&amp; c'));
    expect(cues[0].text).toBe('a < b && c');
  });

  it.each([
    ['a missing WEBVTT header', vtt('1', '00:00:01.000 --> 00:00:02.000', 'Jane: Hi'), 1, /WEBVTT header/],
    ['an empty file', '', 1, /WEBVTT header/],
    ['a header with no cues', vtt('WEBVTT', ''), 2, /no cues/],
    ['an identifier without a timing line', vtt('WEBVTT', '', '1', 'Jane: Hi'), 4, /timing line/],
    ['a block with neither', vtt('WEBVTT', '', 'just text'), 4, /timing line/],
    ['a timing line without milliseconds', vtt('WEBVTT', '', '00:00:01 --> 00:00:02', 'x'), 3, /timing is not/],
    ['seconds of 60 or more', vtt('WEBVTT', '', '00:00:61.000 --> 00:01:02.000', 'x'), 3, /timing is not/],
    ['an arrow without an end', vtt('WEBVTT', '', '00:00:01.000 -->', 'x'), 3, /timing is not/],
    ['a cue that ends before it starts', vtt('WEBVTT', '', '00:00:05.000 --> 00:00:02.000', 'x'), 3, /ends before/],
    [
      'a cue that starts before the previous one',
      vtt('WEBVTT', '', '00:00:05.000 --> 00:00:06.000', 'a', '', '00:00:01.000 --> 00:00:02.000', 'b'),
      6,
      /before the previous/,
    ],
    ['two cues without a blank line between', vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'a', '00:00:03.000 --> 00:00:04.000'), 5, /inside cue text/],
  ])('rejects %s with TranscriptMalformed naming the line', (_case, source, line, reason) => {
    const err = malformed(source);
    expect(err.line).toBe(line);
    expect(err.reason).toMatch(reason);
    expect(err.message).toContain(`line ${line}`);
  });

  it('never puts transcript text in the error message', () => {
    const err = malformed(vtt('WEBVTT', '', '1', 'Secret Name: secret words'));
    expect(err.message).not.toMatch(/Secret/);
  });
});
