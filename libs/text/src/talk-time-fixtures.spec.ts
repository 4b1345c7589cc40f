import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TalkRosterPerson } from './talk-time-input';
import { talkTimeFromTranscript } from './talk-time-sources';
import { parseWebVtt } from './webvtt';

// Hand-written transcripts whose reports were computed by hand (the arithmetic is in the README
// beside them): the parser and the metrics together must reproduce them exactly.
const DIR = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'talk-time');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const roster = JSON.parse(read('roster.json')) as TalkRosterPerson[];
const transcripts = readdirSync(DIR).filter((f) => f.endsWith('.vtt')).sort();

describe('talk-time fixtures (test/fixtures/talk-time)', () => {
  it('has a hand-computed report for every transcript and a transcript for every report', () => {
    const reports = readdirSync(DIR).filter((f) => f.endsWith('.expected.json')).sort();
    expect(reports).toEqual(transcripts.map((f) => f.replace(/\.vtt$/, '.expected.json')));
    expect(transcripts.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the byte order mark and CRLF line endings of the fixture that tests them', () => {
    const raw = readFileSync(join(DIR, 'voice-tags-bom-crlf.vtt'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text.split('\r\n').length).toBe(text.split('\n').length);
  });

  it.each(transcripts)('%s gives its hand-computed report', (file) => {
    const expected = JSON.parse(read(file.replace(/\.vtt$/, '.expected.json')));
    expect(talkTimeFromTranscript(parseWebVtt(read(file)), roster)).toEqual(expected);
  });
});
