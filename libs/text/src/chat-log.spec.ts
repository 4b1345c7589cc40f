import { parseChatLog } from './chat-log';
import { ChatLogMalformed } from './text-errors';

const log = (...lines: string[]) => lines.join('\n');

function malformed(source: string): ChatLogMalformed {
  try {
    parseChatLog(source);
  } catch (e) {
    if (e instanceof ChatLogMalformed) return e;
    throw e;
  }
  throw new Error('expected ChatLogMalformed');
}

describe('parseChatLog', () => {
  it('reads the cloud recording format (time, tab, name and colon, tab, text)', () => {
    expect(parseChatLog(log('00:01:05\tJane Doe:\tHello everyone', '00:02:00\tElisa L:\tHi: miss'))).toEqual([
      { line: 1, offsetSeconds: 65, sender: 'Jane Doe', recipient: null, direct: false, kind: 'message', text: 'Hello everyone' },
      { line: 2, offsetSeconds: 120, sender: 'Elisa L', recipient: null, direct: false, kind: 'message', text: 'Hi: miss' },
    ]);
  });

  it('reads the newer client format to everyone', () => {
    const [m] = parseChatLog('01:00:00 From Jane Doe to Everyone: Page 4 please');
    expect(m).toMatchObject({ offsetSeconds: 3600, sender: 'Jane Doe', recipient: null, direct: false, text: 'Page 4 please' });
  });

  it('reads a direct message with its sender and recipient', () => {
    const [m] = parseChatLog('00:10:00 From Jane Doe to Elisa Lopez(Direct Message): add me on snap');
    expect(m).toMatchObject({ sender: 'Jane Doe', recipient: 'Elisa Lopez', direct: true, text: 'add me on snap' });
  });

  it('reads the older "(privately)" direct message marker', () => {
    const [m] = parseChatLog('00:10:00 From Jane Doe to Elisa Lopez (privately): hi');
    expect(m).toMatchObject({ recipient: 'Elisa Lopez', direct: true });
  });

  it('keeps text on the following tab-indented lines of the newer format', () => {
    const messages = parseChatLog(log('00:00:10 From Jane Doe to Everyone:', '\tfirst line', '\tsecond line', '00:00:20 From Elisa L to Everyone:', '\tok'));
    expect(messages.map((m) => [m.line, m.text])).toEqual([[1, 'first line\nsecond line'], [4, 'ok']]);
  });

  it('continues a cloud format message on lines without a timestamp', () => {
    const [m] = parseChatLog(log('00:00:10\tJane Doe:\tStep one', 'Step two', '', 'Step three', ''));
    expect(m.text).toBe('Step one\nStep two\n\nStep three');
  });

  it('tells reactions and replies from plain messages', () => {
    const messages = parseChatLog(
      log('00:00:10 From Elisa L to Everyone:', '\tReacted to "Page 4 please" with 👍', '00:00:20 From Elisa L to Everyone:', '\tReplying to "Page 4":', '\tdone'),
    );
    expect(messages.map((m) => m.kind)).toEqual(['reaction', 'reply']);
    expect(messages[1].text).toBe('Replying to "Page 4":\ndone');
  });

  it('accepts a BOM, CRLF and both formats in one file', () => {
    const messages = parseChatLog('\uFEFF00:00:01\tJane:\ta\r\n00:00:02 From Jane to Everyone: b\r\n');
    expect(messages.map((m) => [m.offsetSeconds, m.text])).toEqual([[1, 'a'], [2, 'b']]);
  });

  it.each([
    ['an empty file', '', 1, /no messages/],
    ['text before the first message', log('hello', '00:00:01\tJane:\ta'), 1, /before the first/],
    ['a timestamped line in neither format', log('00:00:01\tJane:\ta', '00:00:02 Jane says hi'), 2, /neither Zoom chat format/],
    ['minutes of 60 or more', '00:61:00\tJane:\ta', 1, /not HH:MM:SS/],
    ['a sender of only spaces', '00:00:01 From   to Everyone: a', 1, /neither|no sender/],
    ['a direct message without recipient', '00:00:01 From Jane to (Direct Message): a', 1, /no recipient/],
    ['a message timed before the previous one', log('00:00:05\tJane:\ta', '00:00:01\tJane:\tb'), 2, /before the previous/],
  ])('rejects %s with ChatLogMalformed naming the line', (_case, source, line, reason) => {
    const err = malformed(source);
    expect(err.line).toBe(line);
    expect(err.reason).toMatch(reason);
    expect(err.message).toContain(`line ${line}`);
  });

  it('never puts chat text in the error message', () => {
    expect(malformed('00:00:02 Secret Name wrote secret').message).not.toMatch(/Secret/);
  });
});
