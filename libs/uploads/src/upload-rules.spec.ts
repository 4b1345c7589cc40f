import { declaredTypeProblem, extensionFor, parseLearnerIds, probedTypeProblem } from './upload-rules';

const png = { durationSeconds: null, formatName: 'png_pipe', streams: [{ type: 'video', codec: 'png', width: 64, height: 64 }] };
const jpeg = { durationSeconds: null, formatName: 'jpeg_pipe', streams: [{ type: 'video', codec: 'mjpeg' }] };
const mp4 = {
  durationSeconds: 3,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  streams: [
    { type: 'video', codec: 'h264' },
    { type: 'audio', codec: 'aac' },
  ],
};
const m4a = { durationSeconds: 3, formatName: 'mov,mp4,m4a,3gp,3g2,mj2', streams: [{ type: 'audio', codec: 'aac' }] };

describe('what an upload may be', () => {
  it('takes images as image/* and verification videos as video/*', () => {
    expect(declaredTypeProblem('image', 'image/png')).toBeNull();
    expect(declaredTypeProblem('verification_video', 'video/mp4; codecs=avc1')).toBeNull();
    expect(declaredTypeProblem('image', 'video/mp4')).toMatch(/Content-Type image\/\*, not video\/mp4/);
    expect(declaredTypeProblem('verification_video', 'image/png')).toMatch(/video\/\*/);
    expect(declaredTypeProblem('image', null)).toMatch(/not none/);
    expect(declaredTypeProblem('image', 'image/')).not.toBeNull();
  });

  it('accepts an image only when ffprobe sees a still picture', () => {
    expect(probedTypeProblem('image', png)).toBeNull();
    expect(probedTypeProblem('image', jpeg)).toBeNull();
    expect(probedTypeProblem('image', mp4)).toMatch(/not a still image/);
    expect(probedTypeProblem('image', m4a)).toMatch(/not a still image/);
    expect(probedTypeProblem('image', null)).toMatch(/ffprobe can read/);
  });

  it('accepts a verification video only when ffprobe sees a video, not a single picture or sound alone', () => {
    expect(probedTypeProblem('verification_video', mp4)).toBeNull();
    expect(probedTypeProblem('verification_video', png)).toMatch(/not a video/);
    expect(probedTypeProblem('verification_video', m4a)).toMatch(/not a video/);
  });

  it('names objects with a known extension or none', () => {
    expect(extensionFor('image/jpeg')).toBe('jpg');
    expect(extensionFor('video/quicktime')).toBe('mov');
    expect(extensionFor('image/x-unknown')).toBeNull();
  });

  it('reads learnerIds as a comma list of distinct ids', () => {
    expect(parseLearnerIds('a, b,,a')).toEqual(['a', 'b']);
    expect(parseLearnerIds(undefined)).toEqual([]);
  });
});
