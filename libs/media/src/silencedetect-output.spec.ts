import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isSilencedetectLine, parseSilencedetectLog, silentSeconds, speechFromSilences } from './silencedetect-output';

// Recorded from ffmpeg 5.1 running speechDetectArgs() on 20 s of espeak-ng speech (1.0–5.7 s and
// 10.0–13.6 s) over pink noise at -40 dBFS: 8 of the 15 detectors found silence and spoke.
const recorded = readFileSync(path.join(__dirname, 'fixtures', 'speech-two-turns.stderr.txt'), 'utf8');
const shaping = { minPauseSeconds: 0.6, minSpeechSeconds: 0.25 };

describe('parseSilencedetectLog', () => {
  it('tells the detectors of one run apart by their address, in the order each first spoke', () => {
    const log = parseSilencedetectLog(recorded);
    expect(log.detectors).toHaveLength(8);
    // 0x55f8da3a1800, the lowest threshold to speak, spoke last: it saw only the lull before the first word.
    expect(log.detectors[7]).toEqual([{ startSeconds: 0.1275, endSeconds: 1.0125 }]);
    expect(log.detectors[0]).toEqual([
      { startSeconds: 0, endSeconds: 1.035 },
      { startSeconds: 5.4825, endSeconds: 10.005 },
      { startSeconds: 13.3725, endSeconds: 20.0125 },
    ]);
  });

  it('reads a line that ffmpeg wrote straight after a progress line', () => {
    // The recording's first event follows "speed=   0x    \r" on the same line.
    const log = parseSilencedetectLog('size=N/A time=00:00:00.00 bitrate=N/A speed=   0x    \r[silencedetect @ 0x5a] silence_start: 0\n');
    expect(log.detectors).toEqual([[{ startSeconds: 0, endSeconds: null }]]);
  });

  it('takes the duration from the last progress line (what was decoded)', () => {
    expect(parseSilencedetectLog(recorded).durationSeconds).toBe(20.01);
  });

  it("takes the input's Duration when there is no progress line", () => {
    expect(parseSilencedetectLog('  Duration: 01:02:03.50, start: 0.000000, bitrate: 66 kb/s\n').durationSeconds).toBe(3723.5);
  });

  it('has no duration when ffmpeg printed neither', () => {
    expect(parseSilencedetectLog('[silencedetect @ 0x1] silence_start: 3\n').durationSeconds).toBeNull();
  });

  it('leaves a silence open when its end never came (older ffmpeg prints none at the end of the track)', () => {
    const log = parseSilencedetectLog(
      ['[silencedetect @ 0x1] silence_start: 2', '[silencedetect @ 0x1] silence_end: 4.5 | silence_duration: 2.5', '[silencedetect @ 0x1] silence_start: 9.25', 'size=N/A time=00:00:12.00 bitrate=N/A'].join('\n'),
    );
    expect(log).toEqual({
      durationSeconds: 12,
      detectors: [[{ startSeconds: 2, endSeconds: 4.5 }, { startSeconds: 9.25, endSeconds: null }]],
    });
  });

  it('reads the filter name ffmpeg gives a parsed filter, and numbers in exponent form', () => {
    const log = parseSilencedetectLog('[Parsed_silencedetect_3 @ 0xab] silence_start: 1e-05\n[Parsed_silencedetect_3 @ 0xab] silence_end: 7 | silence_duration: 7\n');
    expect(log.detectors).toEqual([[{ startSeconds: 0.00001, endSeconds: 7 }]]);
  });

  it("never reads the input's metadata as a detector's line or a duration, however it imitates them", () => {
    const forged = [
      'Input #0, mov,mp4,m4a,3gp,3g2,mj2, from \'file:a.m4a\':',
      '  Metadata:',
      '    title           : [silencedetect @ 0x66] silence_start: 0',
      '                    : [silencedetect @ 0x66] silence_end: 99 | silence_duration: 99',
      '    comment         : size=N/A time=09:00:00.00 Duration: 09:00:00.00',
      '  Duration: 00:00:20.00, start: 0.000000, bitrate: 66 kb/s',
    ].join('\n');
    expect(parseSilencedetectLog(forged)).toEqual({ durationSeconds: 20, detectors: [] });
  });

  it('ignores an end with no start before it', () => {
    expect(parseSilencedetectLog('[silencedetect @ 0x1] silence_end: 4 | silence_duration: 4\n').detectors).toEqual([[]]);
  });

  it('keeps only the lines it reads when asked which they are', () => {
    const lines = recorded.split(/[\r\n]+/).filter(isSilencedetectLine);
    expect(lines.some((l) => l.includes('major_brand'))).toBe(false);
    expect(parseSilencedetectLog(lines.join('\n'))).toEqual(parseSilencedetectLog(recorded));
  });
});

describe('speechFromSilences', () => {
  it('is the track minus its silences', () => {
    const silences = [
      { startSeconds: 0, endSeconds: 1.035 },
      { startSeconds: 5.4825, endSeconds: 10.005 },
      { startSeconds: 13.3725, endSeconds: 20.0125 },
    ];
    expect(speechFromSilences(silences, 20.01, shaping)).toEqual([
      { startSeconds: 1.035, endSeconds: 5.483 },
      { startSeconds: 10.005, endSeconds: 13.373 },
    ]);
  });

  it('counts a silence still open at the end as silence to the end', () => {
    expect(speechFromSilences([{ startSeconds: 9.25, endSeconds: null }], 12, shaping)).toEqual([{ startSeconds: 0, endSeconds: 9.25 }]);
  });

  it('clips silences to the track (AAC priming gives a start before 0, the flush an end after it)', () => {
    const silences = [
      { startSeconds: -0.021, endSeconds: 2 },
      { startSeconds: 8, endSeconds: 10.3 },
    ];
    expect(speechFromSilences(silences, 10, shaping)).toEqual([{ startSeconds: 2, endSeconds: 8 }]);
  });

  it('bridges a pause shorter than the minimum: one sentence with a breath in it is one stretch', () => {
    const silences = [
      { startSeconds: 3, endSeconds: 3.4 },
      { startSeconds: 6, endSeconds: 9 },
    ];
    expect(speechFromSilences(silences, 9, shaping)).toEqual([{ startSeconds: 0, endSeconds: 6 }]);
  });

  it('drops speech shorter than the minimum between two silences (a click, a knock)', () => {
    const silences = [
      { startSeconds: 0, endSeconds: 4 },
      { startSeconds: 4.1, endSeconds: 10 },
    ];
    expect(speechFromSilences(silences, 10, shaping)).toEqual([]);
  });

  it('keeps a short word that sits within a pause of other speech', () => {
    const silences = [
      { startSeconds: 0, endSeconds: 2 },
      { startSeconds: 2.1, endSeconds: 2.5 },
      { startSeconds: 5, endSeconds: 8 },
    ];
    expect(speechFromSilences(silences, 8, shaping)).toEqual([{ startSeconds: 2, endSeconds: 5 }]);
  });

  it('makes a track without silence all speech, and a track of silence none', () => {
    expect(speechFromSilences([], 42.5, shaping)).toEqual([{ startSeconds: 0, endSeconds: 42.5 }]);
    expect(speechFromSilences([{ startSeconds: 0, endSeconds: null }], 42.5, shaping)).toEqual([]);
  });

  it('handles silences given out of order and overlapping', () => {
    const silences = [
      { startSeconds: 6, endSeconds: 9 },
      { startSeconds: 0, endSeconds: 2 },
      { startSeconds: 1, endSeconds: 3 },
    ];
    expect(speechFromSilences(silences, 10, shaping)).toEqual([
      { startSeconds: 3, endSeconds: 6 },
      { startSeconds: 9, endSeconds: 10 },
    ]);
  });
});

describe('silentSeconds', () => {
  it('counts overlapping silences once and an open one to the end', () => {
    const silences = [
      { startSeconds: 0, endSeconds: 2 },
      { startSeconds: 1, endSeconds: 3 },
      { startSeconds: 8, endSeconds: null },
    ];
    expect(silentSeconds(silences, 10)).toBe(5);
  });
});
