import { dedupeKey, parseDelivery, splitDownloadToken, zoomFileKey } from './zoom-delivery';
import { MalformedDelivery } from './ingest-errors';

const file = (id: string | undefined, type = 'MP4', url = 'https://zoom.us/rec/download/a') => ({
  ...(id ? { id } : {}),
  file_type: type,
  download_url: url,
  recording_start: '2026-11-02T15:00:05Z',
  file_size: 10,
});
const completed = (files: object[], extra: object = {}) => ({
  event: 'recording.completed',
  event_ts: 1,
  download_token: 'tok',
  payload: { account_id: 'acc', object: { uuid: 'u1==', id: 81234567890, start_time: '2026-11-02T15:00:00Z', recording_files: files, ...extra } },
});

describe('parseDelivery', () => {
  it('sorts deliveries into URL validation, recording, cloud change and unknown', () => {
    expect(parseDelivery({ event: 'endpoint.url_validation', payload: { plainToken: 'x' } })).toEqual({ kind: 'url_validation', plainToken: 'x' });
    expect(parseDelivery(completed([file('f1')])).kind).toBe('recording');
    expect(parseDelivery({ event: 'recording.trashed', event_ts: 2, payload: { object: { uuid: 'u1==' } } }).kind).toBe('cloud_change');
    expect(parseDelivery({ event: 'meeting.started', payload: {} })).toEqual({ kind: 'unknown', eventName: 'meeting.started' });
  });

  it.each([
    ['a list', []],
    ['no event', { payload: {} }],
    ['no uuid', { event: 'recording.completed', payload: { object: { id: 1, start_time: '2026-11-02T15:00:00Z' } } }],
    ['a bad start time', completed([], { start_time: 'soon' })],
    ['a file without download_url', completed([{ id: 'x', file_type: 'MP4' }])],
    ['a negative file size', completed([{ ...file('x'), file_size: -1 }])],
    ['participant files that are not a list', completed([], { participant_audio_files: 'no' })],
  ])('refuses a body with %s', (_, body) => {
    expect(() => parseDelivery(body)).toThrow(MalformedDelivery);
  });
});

describe('dedupe keys', () => {
  const raw = Buffer.from('{}');
  const key = (body: object) => dedupeKey(parseDelivery(body) as never, raw);

  it('collapses deliveries that differ only in download_url and download_token', () => {
    const a = completed([file('f1', 'MP4', 'https://zoom.us/a'), file('f2', 'M4A')]);
    const b = { ...completed([file('f2', 'M4A'), file('f1', 'MP4', 'https://zoom.us/b')]), download_token: 'other' };
    expect(key(a)).toBe(key(b));
  });
  it('tells apart a late transcript from the first delivery of the same meeting', () => {
    const first = completed([file('f1')]);
    const transcript = { ...completed([file('t1', 'TRANSCRIPT')]), event: 'recording.transcript_completed' };
    expect(key(first)).not.toBe(key(transcript));
  });
  it('keys files Zoom sends without an id by type and start', () => {
    expect(zoomFileKey({ file_type: 'TIMELINE', download_url: 'x', recording_start: '2026-11-02T15:00:05Z' })).toBe('TIMELINE@2026-11-02T15:00:05Z');
  });
  it('keeps each cloud-copy change distinct by its event time', () => {
    const trashed = (ts: number) => ({ event: 'recording.trashed', event_ts: ts, payload: { object: { uuid: 'u1==' } } });
    expect(key(trashed(1))).not.toBe(key(trashed(2)));
  });
});

describe('splitDownloadToken', () => {
  it('takes the download token out of the body it stores', () => {
    const { body, downloadToken } = splitDownloadToken(completed([file('f1', 'MP4')]));
    expect(downloadToken).toBe('tok');
    expect(JSON.stringify(body)).not.toContain('tok"');
    expect(body).not.toHaveProperty('download_token');
    expect(body.payload.object.uuid).toBe(completed([]).payload.object.uuid);
  });
  it('answers no token for a body without one', () => {
    expect(splitDownloadToken({ event: 'recording.trashed' }).downloadToken).toBeNull();
  });
});
