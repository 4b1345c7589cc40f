import { artifactKindFor, contentTypeFor, participantLabel, planArtifacts } from './zoom-files';

describe('Zoom files become artifacts', () => {
  it.each([
    ['MP4', 'video'],
    ['M4A', 'audio'],
    ['TRANSCRIPT', 'transcript'],
    ['CC', 'transcript'],
    ['CHAT', 'chat'],
    ['TIMELINE', 'timeline'],
    ['CSV', 'other'],
    ['SUMMARY', 'other'],
  ])('maps %s to kind %s', (type, kind) => {
    expect(artifactKindFor(type)).toBe(kind);
  });

  it('reads the participant name behind Zoom\'s fixed prefix', () => {
    expect(participantLabel({ file_type: 'M4A', download_url: 'x', file_name: 'Audio only - Elisa L' })).toBe('Elisa L');
    expect(participantLabel({ file_type: 'M4A', download_url: 'x' })).toBeNull();
  });

  it('plans one artifact per file, participant audio included', () => {
    const planned = planArtifacts({
      uuid: 'u',
      id: 1,
      start_time: '2026-11-02T15:00:00Z',
      recording_files: [
        { id: 'v', file_type: 'MP4', file_extension: 'MP4', download_url: 'a', file_size: 5, status: 'completed' },
        { file_type: 'TIMELINE', file_extension: 'JSON', download_url: 'b', recording_start: '2026-11-02T15:00:00Z' },
      ],
      participant_audio_files: [{ id: 'p', file_type: 'M4A', download_url: 'c', file_name: 'Audio only - Tom K' }],
    });
    expect(planned.map((p) => [p.kind, p.contentType, p.expectedSize, p.participantLabel])).toEqual([
      ['video', 'video/mp4', 5, null],
      ['timeline', 'application/json', null, null],
      ['participant_audio', 'audio/mp4', null, 'Tom K'],
    ]);
  });

  it('keeps other text files with a text content type', () => {
    expect(contentTypeFor('other', 'CSV')).toBe('text/csv');
    expect(contentTypeFor('other', null)).toBe('application/octet-stream');
  });
});
