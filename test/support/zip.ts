import { execFileSync } from 'node:child_process';

/**
 * The entries of a ZIP, read by Python's zipfile (on every machine here, independent of the
 * archiver that wrote it): name → bytes.
 */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const script = 'import sys,zipfile,io,json,base64\nz=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nprint(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))';
  const out = execFileSync('python3', ['-c', script], { input: zip, maxBuffer: 512 * 1024 * 1024 });
  const entries = JSON.parse(out.toString()) as Record<string, string>;
  return new Map(Object.entries(entries).map(([name, b64]) => [name, Buffer.from(b64, 'base64')]));
}
