// The state hash: SHA-256 over the canonical snapshot encoding (pure computation, no I/O).
import { createHash } from 'node:crypto';

export function stateHashOf(snapshot: Uint8Array): string {
  return createHash('sha256').update(snapshot).digest('hex');
}
