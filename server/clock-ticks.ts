// A quiet market sends the core nothing, so a GTD order would stay on the book past its expiry until the
// next command arrived. When no command has entered for one interval, the leader submits a CLOCK command:
// the core's time moves on and due orders expire. It is journaled like any command, so a replay expires
// the same orders at the same seq; a busy venue sends none.
import { CommandType } from '../engine/schema.ts';
import type { Pipeline } from './pipeline.ts';

/** Starts the ticks; returns the function that stops them. */
export function startClockTicks(venue: Pick<Pipeline, 'submit' | 'accepting' | 'seqLast'>, intervalMs: number): () => void {
  let seqSeen = venue.seqLast;
  const timer = setInterval(() => {
    if (venue.seqLast === seqSeen && venue.accepting()) venue.submit({ type: CommandType.CLOCK, seq: 0, timeUs: 0 });
    seqSeen = venue.seqLast;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
