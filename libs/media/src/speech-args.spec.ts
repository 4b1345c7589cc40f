import { envelopeThreshold, SPEECH_LADDER_DB, SPEECH_TUNING, speechDetectArgs, speechFilterGraph } from './speech-args';

const valueAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('speechDetectArgs', () => {
  const args = speechDetectArgs('/tmp/in.m4a');

  it('reads a local file only, as a container a participant track comes in', () => {
    expect(valueAfter(args, '-i')).toBe('file:/tmp/in.m4a');
    expect(valueAfter(args, '-protocol_whitelist')).toBe('file');
    expect(valueAfter(args, '-format_whitelist')).toBe('mov,matroska,wav');
    expect(args.indexOf('-protocol_whitelist')).toBeLessThan(args.indexOf('-i'));
  });

  it('logs at info level, where silencedetect speaks, without folding repeated lines', () => {
    expect(valueAfter(args, '-loglevel')).toBe('repeat+info');
    expect(args).toEqual(expect.arrayContaining(['-hide_banner', '-nostdin']));
  });

  it('writes nothing: the envelope goes to the null muxer, no video, subtitles, data or metadata', () => {
    expect(args.slice(args.indexOf('-map'))).toEqual(['-map', '[envelope]', '-vn', '-sn', '-dn', '-map_metadata', '-1', '-c:a', 'pcm_f32le', '-f', 'null', '-']);
  });

  it('passes a path with spaces and shell characters as one argument, never through a shell', () => {
    const odd = speechDetectArgs('/tmp/Audio only - Jo $(rm -rf x); "y".m4a');
    expect(valueAfter(odd, '-i')).toBe('file:/tmp/Audio only - Jo $(rm -rf x); "y".m4a');
    expect(odd).toHaveLength(args.length);
  });
});

describe('speechFilterGraph', () => {
  const graph = speechFilterGraph();

  it('takes the first audio track, in float, mono, at 8 kHz', () => {
    expect(graph.startsWith('[0:a:0]aresample=8000')).toBe(true);
    expect(graph).toContain('aformat=sample_fmts=flt:channel_layouts=mono');
  });

  it('measures the power envelope of the speech band: high-pass, square, 400 Hz, smoothed', () => {
    const order = ['highpass=f=200', 'asplit[x][y];[x][y]amultiply', 'aresample=400', 'lowpass=f=18', 'silencedetect='].map((f) => graph.indexOf(f));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(graph.endsWith('[envelope]')).toBe(true);
  });

  it('runs one silencedetect per ladder step, lowest first, each with the minimum pause', () => {
    const detectors = [...graph.matchAll(/silencedetect=n=([^:]+):d=([\d.]+)/g)];
    expect(detectors.map((m) => Number(m[1]))).toEqual(SPEECH_LADDER_DB.map((db) => Number(envelopeThreshold(db))));
    expect(detectors.map((m) => Number(m[2]))).toEqual(SPEECH_LADDER_DB.map(() => SPEECH_TUNING.minPauseSeconds));
    expect(SPEECH_LADDER_DB[0]).toBe(-66);
    expect(SPEECH_LADDER_DB[SPEECH_LADDER_DB.length - 1]).toBe(-24);
  });

  it('builds a graph for another ladder and pause when asked', () => {
    expect([...speechFilterGraph([-50, -40], 0.8).matchAll(/silencedetect=n=([^:]+):d=([\d.]+)/g)].map((m) => [m[1], m[2]])).toEqual([
      ['0.00001000', '0.8'],
      ['0.0001000', '0.8'],
    ]);
  });
});

describe('envelopeThreshold', () => {
  it('turns a level in dBFS into the power ratio silencedetect compares the envelope with', () => {
    expect(Number(envelopeThreshold(-30))).toBeCloseTo(0.001, 10);
    expect(Number(envelopeThreshold(-66))).toBeCloseTo(2.512e-7, 10);
    expect(Number(envelopeThreshold(0))).toBe(1);
  });
});
