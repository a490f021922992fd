import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_VERSION } from './events.js';

/**
 * `X-TDC-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the timestamp is
 * signed with the body so a captured request cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},${SIGNATURE_VERSION}=${mac}`;
}

/** What a receiver does; used by our tests and shown in the docs. */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const given = parts[SIGNATURE_VERSION];
  if (!Number.isInteger(t) || !given || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = signWebhook(secret, body, t).split(`${SIGNATURE_VERSION}=`)[1] as string;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
