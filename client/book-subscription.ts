// The state of one book subscription between the frames that feed it: a local book once a snapshot
// has arrived, and whether a snapshot is on its way (after a subscribe, a resync or a reconnect),
// during which updates are ignored rather than taken for a gap.
import type { BookSnapshotMessage, BookUpdateMessage } from '../gateway/protocol/messages.ts';
import { applyBookUpdate, bookFromSnapshot, bookView } from './local-book.ts';
import type { BookView, LocalBook } from './local-book.ts';

export interface BookSubscription {
  readonly depth: number;
  book: LocalBook | undefined;
  awaitingSnapshot: boolean;
}

export function bookSubscription(depth: number): BookSubscription {
  return { depth, book: undefined, awaitingSnapshot: true };
}

/** Drops the book until the next snapshot: the subscription is being (re)made. */
export function awaitSnapshot(s: BookSubscription): void {
  s.book = undefined;
  s.awaitingSnapshot = true;
}

/** The (re)subscribe failed: no snapshot is coming, so the next update finds no book and resyncs again. */
export function snapshotNotComing(s: BookSubscription): void {
  s.awaitingSnapshot = false;
}

/** A snapshot (asked for or not) replaces the book; returns the view to publish. */
export function takeSnapshot(s: BookSubscription, snapshot: BookSnapshotMessage): BookView {
  s.book = bookFromSnapshot(snapshot, s.depth);
  s.awaitingSnapshot = false;
  return bookView(s.book);
}

/** The view to publish after an applied update, 'gap' when the book must be resynced, undefined when nothing changed. */
export function takeUpdate(s: BookSubscription, update: BookUpdateMessage): BookView | 'gap' | undefined {
  if (s.awaitingSnapshot) return undefined;
  if (s.book === undefined) return 'gap';
  const outcome = applyBookUpdate(s.book, update);
  return outcome === 'applied' ? bookView(s.book) : outcome === 'gap' ? 'gap' : undefined;
}
