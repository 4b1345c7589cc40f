import { anchorsOf, earliest, planExpiry } from './expiry-plan';
import { retentionTags } from './object-tags';
import { DEFAULT_POLICIES, NO_HOLIDAYS } from './policy';

const at = (iso: string) => new Date(iso);
const moments = (overrides: Partial<Parameters<typeof anchorsOf>[0]> = {}) =>
  anchorsOf({ recordingStart: null, sessionStart: null, anchorAt: null, storedAt: null, createdAt: null, reviewedAt: null, ...overrides });

describe('expiry of one artifact (POLICIES §2)', () => {
  it('starts the clock of a recording at the session start when Zoom started recording later', () => {
    const anchors = moments({ sessionStart: at('2026-11-02T15:00:00Z'), recordingStart: at('2026-11-02T15:04:00Z') });
    expect(planExpiry('video', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS)).toEqual({
      retentionClass: 'media',
      anchorAt: at('2026-11-02T15:00:00Z'),
      expiresAt: at('2026-12-02T15:00:00Z'),
    });
  });

  it('starts the clock at the recording start when Zoom started before the scheduled session', () => {
    const anchors = moments({ sessionStart: at('2026-11-02T15:00:00Z'), recordingStart: at('2026-11-02T14:55:00Z') });
    expect(planExpiry('transcript', anchors, DEFAULT_POLICIES.classes, NO_HOLIDAYS)).toEqual({
      retentionClass: 'text',
      anchorAt: at('2026-11-02T14:55:00Z'),
      expiresAt: at('2029-11-02T14:55:00Z'),
    });
  });

  it('uses the recording start alone for a recording no session claims', () => {
    const anchors = moments({ recordingStart: at('2026-11-02T15:04:00Z') });
    expect(planExpiry('audio', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS).expiresAt).toEqual(at('2026-12-02T15:04:00Z'));
  });

  it('keeps 90 days of video in the classes profile', () => {
    const anchors = moments({ sessionStart: at('2026-11-02T15:00:00Z'), recordingStart: at('2026-11-02T15:00:00Z') });
    expect(planExpiry('video', anchors, DEFAULT_POLICIES.classes, NO_HOLIDAYS).expiresAt).toEqual(at('2027-01-31T15:00:00Z'));
  });

  it('counts an image from its upload in working days', () => {
    const anchors = moments({ sessionStart: at('2026-10-01T10:00:00Z'), storedAt: at('2026-11-05T09:30:00Z') });
    expect(planExpiry('image', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS)).toEqual({
      retentionClass: 'image',
      anchorAt: at('2026-11-05T09:30:00Z'),
      expiresAt: at('2026-11-12T09:30:00Z'),
    });
  });

  it('prefers an upload anchor already recorded over the storage time', () => {
    const anchors = moments({ anchorAt: at('2026-11-05T09:00:00Z'), storedAt: at('2026-11-05T09:30:00Z') });
    expect(anchors.upload).toEqual(at('2026-11-05T09:00:00Z'));
  });

  it('gives a verification video no expiry until its review decision', () => {
    expect(planExpiry('verification_video', moments({ storedAt: at('2026-11-02T10:00:00Z') }), DEFAULT_POLICIES.tutoring, NO_HOLIDAYS)).toEqual({
      retentionClass: 'verification',
      anchorAt: null,
      expiresAt: null,
    });
    expect(planExpiry('verification_video', moments({ reviewedAt: at('2026-11-02T10:00:00Z') }), DEFAULT_POLICIES.tutoring, NO_HOLIDAYS).expiresAt).toEqual(
      at('2026-11-03T10:00:00Z'),
    );
  });

  describe('a verification video nobody reviews (issue 11 A.10: never kept for ever)', () => {
    const uploadedAt = at('2026-11-02T10:00:00Z');
    const fallback = { uploadedAt, days: 7 };

    it('expires the fallback days after its upload while unreviewed, its clock started at the upload', () => {
      expect(planExpiry('verification_video', moments({ storedAt: uploadedAt }), DEFAULT_POLICIES.tutoring, NO_HOLIDAYS, fallback)).toEqual({
        retentionClass: 'verification',
        anchorAt: uploadedAt,
        expiresAt: at('2026-11-09T10:00:00Z'),
      });
    });

    it('is shortened by the review decision to the rule (a day after the decision)', () => {
      const reviewedAt = at('2026-11-03T08:00:00Z');
      expect(planExpiry('verification_video', moments({ storedAt: uploadedAt, reviewedAt }), DEFAULT_POLICIES.tutoring, NO_HOLIDAYS, fallback)).toEqual({
        retentionClass: 'verification',
        anchorAt: reviewedAt,
        expiresAt: at('2026-11-04T08:00:00Z'),
      });
    });

    it('is never lengthened by a late review: the fallback still ends it', () => {
      const anchors = moments({ storedAt: uploadedAt, reviewedAt: at('2026-11-09T09:00:00Z') });
      expect(planExpiry('verification_video', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS, fallback).expiresAt).toEqual(at('2026-11-09T10:00:00Z'));
    });

    it('leaves every other kind to its rule', () => {
      const anchors = moments({ storedAt: uploadedAt, sessionStart: uploadedAt, recordingStart: uploadedAt });
      expect(planExpiry('image', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS, fallback).expiresAt).toEqual(at('2026-11-09T10:00:00Z'));
      expect(planExpiry('video', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS, fallback).expiresAt).toEqual(at('2026-12-02T10:00:00Z'));
    });
  });

  it('keeps an unknown kind like text: the longer class, never less', () => {
    const anchors = moments({ recordingStart: at('2026-11-02T15:00:00Z') });
    expect(planExpiry('summary', anchors, DEFAULT_POLICIES.tutoring, NO_HOLIDAYS)).toMatchObject({ retentionClass: 'text', expiresAt: at('2029-11-02T15:00:00Z') });
  });

  it('picks the earlier of two moments and ignores a missing one', () => {
    expect(earliest(at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(at('2026-01-01T00:00:00Z'));
    expect(earliest(null, at('2026-01-01T00:00:00Z'))).toEqual(at('2026-01-01T00:00:00Z'));
    expect(earliest(null, null)).toBeNull();
  });
});

describe('object tags', () => {
  it('tags an object with its retention class and the UTC day it expires', () => {
    expect(retentionTags('media', at('2026-12-02T23:30:00Z'))).toEqual({ 'retention-class': 'media', 'expires-on': '2026-12-02' });
  });

  it('says "none" for an object with no fixed end', () => {
    expect(retentionTags('research', null)).toEqual({ 'retention-class': 'research', 'expires-on': 'none' });
  });
});
