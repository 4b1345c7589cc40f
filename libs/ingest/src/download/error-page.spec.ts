import { looksLikeErrorPage } from './error-page';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const MP4_HEAD = Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);

describe('looksLikeErrorPage', () => {
  it('passes a real file through', () => {
    expect(looksLikeErrorPage(MP4_HEAD, 'video/mp4', false)).toBeNull();
    expect(looksLikeErrorPage(bytes('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nTutor: hi'), 'text/vtt', false)).toBeNull();
    expect(looksLikeErrorPage(bytes('00:00:05\tTutor:\thello'), 'application/octet-stream', false)).toBeNull();
    expect(looksLikeErrorPage(Buffer.alloc(0), null, false)).toBeNull();
  });

  it('spots an HTML page by its start, whatever the content type says', () => {
    const reason = 'the host answered with an HTML page, not the file';
    expect(looksLikeErrorPage(bytes('<!DOCTYPE html><html><body>Sign in</body></html>'), 'video/mp4', false)).toBe(reason);
    expect(looksLikeErrorPage(bytes('  \r\n\t<HTML lang="en">'), 'application/octet-stream', false)).toBe(reason);
    expect(looksLikeErrorPage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('\n<!doctype html>')]), null, true)).toBe(reason);
  });

  it('spots an HTML content type even when the body does not start like one', () => {
    expect(looksLikeErrorPage(bytes('oops'), 'text/html; charset=utf-8', false)).toBe('the host answered with an HTML page, not the file');
    expect(looksLikeErrorPage(bytes('{"timeline":[]}'), 'TEXT/HTML', true)).toBe('the host answered with an HTML page, not the file');
  });

  it('spots Zoom JSON errors in a file that should not be JSON', () => {
    expect(looksLikeErrorPage(bytes('{"code":124,"message":"Invalid access token."}'), 'video/mp4', false)).toBe(
      'the host answered with a Zoom JSON error (code 124)',
    );
    expect(looksLikeErrorPage(bytes('{ "code" : 3301 }'), null, false)).toBe('the host answered with a Zoom JSON error (code 3301)');
    expect(looksLikeErrorPage(bytes('{"status":false,"errorCode":401,"errorMessage":"Forbidden"}'), null, false)).toBe(
      'the host answered with a Zoom JSON error',
    );
  });

  it('treats any JSON content type as an error when a media or text file was expected', () => {
    expect(looksLikeErrorPage(bytes('{"anything":1}'), 'application/json;charset=UTF-8', false)).toBe(
      'the host answered with a JSON document, not the file',
    );
    expect(looksLikeErrorPage(bytes('[]'), 'application/problem+json', false)).toBe('the host answered with a JSON document, not the file');
  });

  it('accepts a JSON file where JSON is expected (the timeline)', () => {
    expect(looksLikeErrorPage(bytes('{"timeline":[{"ts":"00:00:01.000","users":[]}]}'), 'application/json', true)).toBeNull();
    expect(looksLikeErrorPage(bytes('{"code":"not a zoom error shape"}'), 'application/json', true)).toBeNull();
  });

  it('still spots a Zoom error where JSON is expected', () => {
    expect(looksLikeErrorPage(bytes('{"code":124,"message":"Invalid access token."}'), 'application/json', true)).toBe(
      'the host answered with a Zoom JSON error (code 124)',
    );
    expect(looksLikeErrorPage(bytes('{"status":false,"errorCode":404}'), 'application/json', true)).toBe('the host answered with a Zoom JSON error');
  });

  it('never quotes the body in its reason', () => {
    const reason = looksLikeErrorPage(bytes('{"code":1,"message":"Elisa L is not allowed"}'), null, false);
    expect(reason).not.toMatch(/Elisa/);
  });
});
