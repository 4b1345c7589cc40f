import { lengthOfSpans, overlapAndSilence, spreadOverBins, unionOfSpans } from './intervals';

const s = (start: number, end: number) => ({ start, end });

describe('unionOfSpans', () => {
  it('merges overlapping and touching spans and sorts them', () => {
    expect(unionOfSpans([s(10, 20), s(0, 5), s(5, 7), s(15, 30), s(40, 41)])).toEqual([s(0, 7), s(10, 30), s(40, 41)]);
  });

  it('drops empty spans', () => {
    expect(unionOfSpans([s(3, 3), s(1, 2)])).toEqual([s(1, 2)]);
  });

  it('keeps a span that lies inside another once', () => {
    expect(lengthOfSpans(unionOfSpans([s(0, 100), s(20, 30)]))).toBe(100);
  });

  it('leaves its input untouched', () => {
    const input = [s(0, 5), s(3, 9)];
    unionOfSpans(input);
    expect(input).toEqual([s(0, 5), s(3, 9)]);
  });
});

describe('spreadOverBins', () => {
  it('splits a span crossing a bin boundary between the two bins', () => {
    expect(spreadOverBins([s(290, 310)], 0, 300, 2)).toEqual([10, 10]);
  });

  it('counts bins from the origin, not from zero', () => {
    expect(spreadOverBins([s(395, 405)], 100, 300, 2)).toEqual([5, 5]);
  });

  it('spreads a span over every bin it covers', () => {
    expect(spreadOverBins([s(50, 950)], 0, 300, 4)).toEqual([250, 300, 300, 50]);
  });

  it('puts a span ending exactly on a boundary in one bin', () => {
    expect(spreadOverBins([s(0, 300)], 0, 300, 2)).toEqual([300, 0]);
  });
});

describe('overlapAndSilence', () => {
  it('measures time with two or more voices and time with none', () => {
    // a 0-10, b 5-15, c 8-12 inside 0-20: 2+ voices 5-12, nobody 15-20.
    expect(overlapAndSilence([[s(0, 10)], [s(5, 15)], [s(8, 12)]], 0, 20)).toEqual({ overlap: 7, silence: 5 });
  });

  it('counts nothing outside the window', () => {
    expect(overlapAndSilence([[s(0, 10)], [s(0, 10)]], 4, 6)).toEqual({ overlap: 2, silence: 0 });
  });

  it('sees no overlap where one voice ends as the other starts', () => {
    expect(overlapAndSilence([[s(0, 5)], [s(5, 10)]], 0, 10)).toEqual({ overlap: 0, silence: 0 });
  });

  it('is all silence when nobody speaks', () => {
    expect(overlapAndSilence([], 0, 30)).toEqual({ overlap: 0, silence: 30 });
  });
});
