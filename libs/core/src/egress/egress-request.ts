import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { EgressTarget } from './egress-policy.js';

/**
 * What became of a request, in words fixed here: the status code of an answer, or a category of
 * failure. Never the remote error text: a delivery log that repeated it (ECONNREFUSED vs. a TLS
 * alert vs. a timeout, with addresses) would work as a port scanner.
 */
export type EgressOutcome = { kind: 'answered'; statusCode: number } | { kind: 'failed'; category: EgressFailure };

export type EgressFailure =
  'timeout' | 'connection_refused' | 'connection_reset' | 'unreachable' | 'tls_error' | 'network_error';

export interface EgressPostRequest {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** A lookup that answers every name with the checked address: the connection cannot go elsewhere. */
export function pinnedLookup(target: Pick<EgressTarget, 'address' | 'family'>): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for all addresses when it may race IPv4 and IPv6 (autoSelectFamily); one is all there is.
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** The category of a network error, from its code only. */
export function failureCategory(error: unknown): EgressFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  // ABORT_ERR: our own deadline (AbortSignal.timeout) ended the request.
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection_reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable';
  // EPROTO: the TLS handshake met something that does not speak TLS.
  if (TLS_CODE.test(code) || code === 'EPROTO') return 'tls_error';
  return 'network_error';
}

/**
 * POSTs `body` to a vetted target, connecting only to its checked address (the URL's name still goes
 * in Host and, for https, in SNI and the certificate check). No redirect is followed, no connection is
 * pooled, and the answer's body is not read: only its status code matters.
 */
export function egressPost(target: EgressTarget, req: EgressPostRequest): Promise<EgressOutcome> {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: EgressOutcome): void => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    const r = send(
      target.url,
      {
        method: 'POST',
        headers: { ...req.headers, 'Content-Length': String(Buffer.byteLength(req.body)) },
        lookup: pinnedLookup(target),
        agent: false,
        // The whole exchange, not only an idle socket: a receiver that trickles cannot hold a worker.
        signal: AbortSignal.timeout(req.timeoutMs),
      },
      (res: IncomingMessage) => {
        settle({ kind: 'answered', statusCode: res.statusCode ?? 0 });
        res.destroy();
      },
    );
    r.on('error', (e) => settle({ kind: 'failed', category: failureCategory(e) }));
    r.end(req.body);
  });
}
