/**
 * `hh:mm:ss.mmm`, `mm:ss.mmm` (WebVTT allows dropping the hours) and `hh:mm:ss` (chat logs) as
 * seconds, or null when the text is not such a time. Minutes and seconds must be below 60, as
 * WebVTT requires; hours may have more than two digits.
 */
const CLOCK = /^(?:(\d{2,}):)?(\d{2}):(\d{2})(?:\.(\d{3}))?$/;

export function parseClockTime(text: string, opts: { millis: 'required' | 'optional' }): number | null {
  const m = CLOCK.exec(text);
  if (!m) return null;
  const [, h, mm, ss, ms] = m;
  if (opts.millis === 'required' && ms === undefined) return null;
  const minutes = Number(mm);
  const seconds = Number(ss);
  if (minutes > 59 || seconds > 59) return null;
  return Number(h ?? 0) * 3600 + minutes * 60 + seconds + Number(ms ?? 0) / 1000;
}
