// A symbol's order book as a client sees it: built from a snapshot, kept by updates whose book
// sequence must advance by exactly one (anything else is a gap, and the caller resyncs). Updates cover
// the whole book while a snapshot holds only `depth` levels, so a side whose snapshot was full is
// known exactly only from its best price down to the snapshot's worst (its horizon); the view shows
// that part and nothing beyond it.
import type { BookSnapshotMessage, BookUpdateMessage, PriceLevel } from '../gateway/protocol/messages.ts';
import { compareDecimals, normalizeDecimal } from './decimal-order.ts';

interface BookSide {
  /** Normalized price to quantity. */
  readonly levels: Map<string, string>;
  /** The worst price known exactly, or undefined when the whole side is known. */
  readonly horizon: string | undefined;
}

export interface LocalBook {
  readonly symbol: string;
  readonly depth: number;
  seq: number;
  readonly bids: BookSide;
  readonly asks: BookSide;
}

/** What a caller sees: best first, at most `depth` levels per side, only levels known exactly. */
export interface BookView {
  readonly symbol: string;
  readonly seq: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export type UpdateOutcome = 'applied' | 'stale' | 'gap';

function sideOf(levels: readonly PriceLevel[], depth: number): BookSide {
  const map = new Map<string, string>();
  for (const [price, qty] of levels) map.set(normalizeDecimal(price), qty);
  const worst = levels[levels.length - 1];
  return { levels: map, horizon: levels.length >= depth && worst !== undefined ? normalizeDecimal(worst[0]) : undefined };
}

export function bookFromSnapshot(snapshot: BookSnapshotMessage, depth: number): LocalBook {
  return { symbol: snapshot.symbol, depth, seq: snapshot.seq, bids: sideOf(snapshot.bids, depth), asks: sideOf(snapshot.asks, depth) };
}

function applyLevels(side: BookSide, levels: readonly PriceLevel[]): void {
  for (const [price, qty] of levels) {
    const key = normalizeDecimal(price);
    if (normalizeDecimal(qty) === '0') side.levels.delete(key);
    else side.levels.set(key, qty);
  }
}

/** Applies the update when it is the next one; a stale update changes nothing, a gap changes nothing and must be resynced. */
export function applyBookUpdate(book: LocalBook, update: BookUpdateMessage): UpdateOutcome {
  if (update.seq <= book.seq) return 'stale';
  if (update.seq !== book.seq + 1) return 'gap';
  applyLevels(book.bids, update.bids);
  applyLevels(book.asks, update.asks);
  book.seq = update.seq;
  return 'applied';
}

/** `direction` 1 for asks (ascending), -1 for bids (descending). */
function view(side: BookSide, depth: number, direction: 1 | -1): PriceLevel[] {
  const known = [...side.levels].filter(([price]) => side.horizon === undefined || direction * compareDecimals(price, side.horizon) <= 0);
  known.sort(([a], [b]) => direction * compareDecimals(a, b));
  return known.slice(0, depth);
}

export function bookView(book: LocalBook): BookView {
  return { symbol: book.symbol, seq: book.seq, bids: view(book.bids, book.depth, -1), asks: view(book.asks, book.depth, 1) };
}
