import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AudioUnreadable, NoAudioTrack } from './media-toolkit';
import { parseSilencedetectLog } from './silencedetect-output';
import { detectSpeechInFile } from './speech-detection';
import { speechFromLadder } from './speech-ladder';

// The process handling, with stand-in ffmpegs (shell scripts) that print recorded output, fail or
// hang. The real ffmpeg is exercised by test/speech-detection.e2e-spec.ts.
describe('detectSpeechInFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'speech-detection-'));
  const fixture = path.join(__dirname, 'fixtures', 'speech-two-turns.stderr.txt');
  const fakeFfmpeg = (name: string, body: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads speech from what ffmpeg printed on stderr", async () => {
    const ffmpegPath = fakeFfmpeg('recorded', `cat '${fixture}' >&2`);
    const expected = speechFromLadder(parseSilencedetectLog(readFileSync(fixture, 'utf8')));
    await expect(detectSpeechInFile('/any/file.m4a', { ffmpegPath })).resolves.toEqual(expected);
  });

  it('hands ffmpeg the file as one local-file argument', async () => {
    const argsFile = path.join(dir, 'args.txt');
    const ffmpegPath = fakeFfmpeg('echo-args', `for a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'; cat '${fixture}' >&2`);
    await detectSpeechInFile('/tmp/Audio only - Jo B.m4a', { ffmpegPath });
    const args = readFileSync(argsFile, 'utf8').split('\n');
    expect(args[args.indexOf('-i') + 1]).toBe('file:/tmp/Audio only - Jo B.m4a');
  });

  it('kills ffmpeg past its deadline and says so', async () => {
    const ffmpegPath = fakeFfmpeg('hangs', 'exec sleep 30');
    const started = Date.now();
    await expect(detectSpeechInFile('/a.m4a', { ffmpegPath, timeoutMs: 200 })).rejects.toThrow('ffmpeg did not finish within 200 ms and was killed');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('explains an unreadable file without naming it (paths carry participant names)', async () => {
    const ffmpegPath = fakeFfmpeg('missing', `echo "file:/in/Audio only - Jo Bloggs.m4a: No such file or directory" >&2; exit 1`);
    const failure = await detectSpeechInFile('/in/Audio only - Jo Bloggs.m4a', { ffmpegPath }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AudioUnreadable);
    expect(failure).toMatchObject({ reason: 'no such file' });
    expect((failure as Error).message).not.toContain('Bloggs');
  });

  it.each([
    ['moov atom not found', 'not a media file ffmpeg can read'],
    ['file:x.m4a: Invalid data found when processing input', 'not a media file ffmpeg can read'],
    ["[mp3 @ 0x1] Format not on whitelist 'mov,matroska,wav'", 'not an M4A, MP4, WebM/MKV or WAV file'],
    ['file:x: Permission denied', 'permission denied'],
    ['file:x: Is a directory', 'a directory, not a file'],
    ['something else entirely', 'ffmpeg exited with 1'],
  ])('names the reason for "%s"', async (line, reason) => {
    const ffmpegPath = fakeFfmpeg('fails', `echo "${line.replace(/"/g, '\\"')}" >&2; exit 1`);
    await expect(detectSpeechInFile('/x.m4a', { ffmpegPath })).rejects.toEqual(new AudioUnreadable(reason));
  });

  it('says there is no audio track when the file has none', async () => {
    const ffmpegPath = fakeFfmpeg('video-only', `echo "Stream specifier ':a:0' in filtergraph description [0:a:0]aresample=8000 matches no streams." >&2; exit 1`);
    await expect(detectSpeechInFile('/v.mp4', { ffmpegPath })).rejects.toBeInstanceOf(NoAudioTrack);
  });

  it('refuses a run that reported no duration rather than inventing one', async () => {
    const ffmpegPath = fakeFfmpeg('mute', 'echo "[silencedetect @ 0x1] silence_start: 0" >&2');
    await expect(detectSpeechInFile('/x.m4a', { ffmpegPath })).rejects.toEqual(new AudioUnreadable('ffmpeg reported no duration'));
  });

  it('says so when ffmpeg cannot be started', async () => {
    await expect(detectSpeechInFile('/x.m4a', { ffmpegPath: path.join(dir, 'no-such-ffmpeg') })).rejects.toThrow('ffmpeg could not start (ENOENT)');
  });
});
