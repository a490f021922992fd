/**
 * A minimal DER reader that keeps every element's exact bytes: a signature is checked over the
 * signed attributes exactly as the signer encoded them, which a decode-and-re-encode cannot promise.
 */
export interface DerNode {
  /** The identifier octet (0x30 SEQUENCE, 0x31 SET, 0x06 OID, 0x04 OCTET STRING, 0xa0 [0] …). */
  tag: number;
  /** Offset of the identifier octet in the buffer. */
  start: number;
  /** Offset of the contents. */
  contentStart: number;
  /** Offset just past the contents. */
  end: number;
  /** The whole element, header included. */
  raw: Buffer;
  /** The contents. */
  content: Buffer;
  children: DerNode[];
}

export class DerError extends Error {}

const CONSTRUCTED = 0x20;

/** Reads one element at `offset`; trailing bytes after it are ignored (PDF /Contents is zero-padded). */
export function readDer(buf: Buffer, offset = 0, limit = buf.length): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used in CMS');
  let pos = offset + 1;
  let length = buf[pos++];
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('indefinite or oversized length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++];
  }
  const end = pos + length;
  if (end > limit) throw new DerError('element runs past its container');
  const node: DerNode = {
    tag,
    start: offset,
    contentStart: pos,
    end,
    raw: buf.subarray(offset, end),
    content: buf.subarray(pos, end),
    children: [],
  };
  if (tag & CONSTRUCTED) {
    let child = pos;
    while (child < end) {
      const c = readDer(buf, child, end);
      node.children.push(c);
      child = c.end;
    }
  }
  return node;
}

/** Dotted OID from an OID element's contents. */
export function oidOf(node: DerNode): string {
  if (node.tag !== 0x06) throw new DerError(`expected an OID, found tag 0x${node.tag.toString(16)}`);
  const bytes = node.content;
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    value = value * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Reads a UTCTime or GeneralizedTime element. */
export function timeOf(node: DerNode): Date | undefined {
  const s = node.content.toString('latin1');
  const m =
    node.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
      : node.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s)
        : null;
  if (!m) return undefined;
  let year = Number(m[1]);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}

// ---------------------------------------------------------------- writing

/** One element: identifier octet, definite length, contents. */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  let header: Buffer;
  if (n < 0x80) header = Buffer.from([tag, n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, body]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

/** DER orders a SET OF by the encodings of its elements. */
export function setOf(...items: Buffer[]): Buffer {
  return tlv(0x31, ...[...items].sort(Buffer.compare));
}

export const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);

export function smallInteger(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 127)
    throw new DerError('only small non-negative integers are written here');
  return tlv(0x02, Buffer.from([value]));
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
