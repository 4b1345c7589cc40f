import { partSizeFor } from './part-size';

describe('partSizeFor', () => {
  it('uses 8 MiB parts for ordinary and unknown sizes', () => {
    expect(partSizeFor(null)).toBe(8 * 1024 * 1024);
    expect(partSizeFor(2 * 1024 ** 3)).toBe(8 * 1024 * 1024);
  });

  it('keeps a 200 GiB recording under 10,000 parts', () => {
    const size = 200 * 1024 ** 3;
    const part = partSizeFor(size);
    expect(Math.ceil(size / part)).toBeLessThanOrEqual(9000);
    expect(part % (1024 * 1024)).toBe(0);
  });
});
