import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Set when the connection broke or timed out before the body was complete. */
  error?: string;
}

/**
 * A bare GET that never follows redirects and keeps whatever bytes arrived before a failure, so
 * tests (and fault-injection suites) can see exactly what a client saw.
 */
export function rawGet(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = request(url, { headers, agent: false }, (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish());
      res.on('error', (e) => finish(e.message));
      res.on('close', () => finish(res.complete ? undefined : 'connection closed before the body was complete'));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    // After the response started, a failure is reported through the response (with its partial body).
    req.on('error', (e) => (responded ? undefined : reject(e)));
    req.end();
  });
}
