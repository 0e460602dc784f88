// Small helpers for HTTP on uWebSockets.js: JSON replies (corked), bounded body reads, the
// constant-time API key check, and the client's address behind trusted proxies.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { HttpResponse } from 'uWebSockets.js';

/** Largest admin request body. */
export const BODY_SIZE_BYTES_MAX = 64 * 1024;

export interface Reply {
  /** False once the client went away; replies are then dropped. */
  readonly open: () => boolean;
  json(status: number, body: unknown): void;
  text(status: number, contentType: string, body: string): void;
}

const STATUS_TEXT: Record<number, string> = {
  200: '200 OK', 400: '400 Bad Request', 401: '401 Unauthorized', 404: '404 Not Found', 409: '409 Conflict', 413: '413 Payload Too Large',
  422: '422 Unprocessable Entity', 503: '503 Service Unavailable', 504: '504 Gateway Timeout',
};

/** Wraps a response for a handler that may answer later; uWS requires an abort handler for that. */
export function replyOf(res: HttpResponse): Reply {
  let open = true;
  res.onAborted(() => {
    open = false;
  });
  const send = (status: number, contentType: string, body: string) => {
    if (!open) return;
    open = false;
    res.cork(() => {
      res.writeStatus(STATUS_TEXT[status] ?? String(status)).writeHeader('content-type', contentType).end(body);
    });
  };
  return {
    open: () => open,
    json: (status, body) => send(status, 'application/json', JSON.stringify(body)),
    text: (status, contentType, body) => send(status, contentType, body),
  };
}

/** Collects a request body up to BODY_SIZE_BYTES_MAX; `onBody` gets undefined when it was larger. */
export function readBody(res: HttpResponse, onBody: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  let tooLarge = false;
  res.onData((chunk, isLast) => {
    if (!tooLarge) {
      sizeBytes += chunk.byteLength;
      if (sizeBytes > BODY_SIZE_BYTES_MAX) tooLarge = true;
      else chunks.push(Buffer.from(chunk.slice(0)));
    }
    if (isLast) onBody(tooLarge ? undefined : Buffer.concat(chunks));
  });
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The text of an ArrayBuffer address uWS hands out. */
export function addressText(address: ArrayBuffer): string {
  return Buffer.from(address).toString();
}

/**
 * The client's address for per-IP limits: the socket's peer, or, behind `trustedProxyHops` proxies that each
 * append the address they saw to X-Forwarded-For (as an AWS ALB does), the entry that many places from the end.
 * Entries further left are the client's own words and never trusted. Without the header, or with an entry that is
 * not an IP address, the peer (the proxy): stricter, never looser.
 */
export function clientAddress(peer: string, forwardedFor: string, trustedProxyHops: number): string {
  if (trustedProxyHops === 0 || forwardedFor === '') return peer;
  const entries = forwardedFor.split(',');
  const entry = entries[entries.length - trustedProxyHops]?.trim();
  return entry !== undefined && isIP(entry) !== 0 ? entry : peer;
}
