/**
 * The line formats of Zoom's chat log (ZOOM.md "File formats"), shared by the parser (chat-log.ts)
 * and de-identification (deid-chat.ts), which rewrites the same lines in place.
 *   cloud recordings   `HH:MM:SS<TAB>Display Name:<TAB>text`
 *   newer clients      `HH:MM:SS From Display Name to Everyone: text`
 *                      `HH:MM:SS From Display Name to Display Name(Direct Message): text`
 */
export const CHAT_STAMP = /^(\d{2,}:\d{2}:\d{2})(?=[ \t])/;
export const CHAT_CLOUD_LINE = /^(\d{2,}:\d{2}:\d{2})\t(.+?):\t(.*)$/;
export const CHAT_CLIENT_LINE = /^(\d{2,}:\d{2}:\d{2}) From (.+?) to (.+?):(?:[ \t](.*))?$/;
export const CHAT_DIRECT_SUFFIX = /\s*\((?:Direct Message|privately)\)$/i;
