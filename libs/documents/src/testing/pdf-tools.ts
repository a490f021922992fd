import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Debian tools specs use to look at a PDF from the outside (poppler-utils, zbar-tools). When a
 * tool is missing the spec skips that assertion and says so; CI installs poppler-utils.
 */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function skipping(tool: string, what: string): void {
  console.warn(`${tool} is not installed (${tool === 'zbarimg' ? 'zbar-tools' : 'poppler-utils'}): skipping ${what}`);
}

function withFile<T>(pdf: Buffer, run: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'documents-spec-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return run(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** Text of each page (pdftotext separates pages with form feeds). */
export function pdfPages(pdf: Buffer): string[] {
  return withFile(pdf, (path) => {
    const r = run('pdftotext', ['-enc', 'UTF-8', path, '-']);
    if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
    return r.stdout.split('\f').slice(0, -1);
  });
}

/** Whitespace collapsed, so sentences wrapped over lines can be matched whole. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export function pdfsig(pdf: Buffer): string {
  return withFile(pdf, (path) => {
    const r = run('pdfsig', [path]);
    return r.stdout + r.stderr;
  });
}

export function pdffonts(pdf: Buffer): string {
  return withFile(pdf, (path) => run('pdffonts', [path]).stdout);
}

/**
 * Rasterises page 1 and decodes every QR code on it. zbar reads a QR's bytes without an ECI marker as
 * Shift JIS when they could be ("TĐC" comes out "Tﾄ燭"); `utf8` undoes that guess (iconv back to the
 * bytes, read as UTF-8), as a phone's reader, which assumes UTF-8, would see the text.
 */
export function qrCodesOnFirstPage(pdf: Buffer, options: { dpi?: number; utf8?: boolean } = {}): string[] {
  return withFile(pdf, (path, dir) => {
    const r = run('pdftoppm', [
      '-r',
      String(options.dpi ?? 150),
      '-f',
      '1',
      '-l',
      '1',
      '-png',
      path,
      join(dir, 'page'),
    ]);
    if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
    const image = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    const z = run('zbarimg', ['--quiet', '--raw', join(dir, image!)]);
    const text = options.utf8
      ? spawnSync('iconv', ['-f', 'UTF-8', '-t', 'SHIFT_JIS'], { input: z.stdout }).stdout.toString('utf8')
      : z.stdout;
    return text.split('\n').filter((l) => l.length > 0);
  });
}
