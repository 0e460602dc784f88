// Proves the local book's pure parts: decimals order and normalize without floats, updates apply only in sequence, and a side is shown only as far as it is known exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareDecimals, normalizeDecimal } from '../../client/decimal-order.ts';
import { applyBookUpdate, bookFromSnapshot, bookView } from '../../client/local-book.ts';

test('decimals normalize to one spelling and order like numbers, past what a double can hold', () => {
  assert.deepEqual(['1.50', '10.0', '0.000', '100', '0.10', '7'].map(normalizeDecimal), ['1.5', '10', '0', '100', '0.1', '7']);
  const ordered = ['0', '0.000000000000000001', '0.5', '1', '1.05', '1.5', '2', '10', '10.01', '99.999', '100', '9007199254740993', '9007199254740993.5'];
  const shuffled = [...ordered.filter((_, i) => i % 2 === 1).reverse(), ...ordered.filter((_, i) => i % 2 === 0)];
  assert.deepEqual(shuffled.sort(compareDecimals), ordered);
  assert.equal(compareDecimals(normalizeDecimal('3.10'), '3.1'), 0);
});

test('an update applies only as the next sequence: older ones are stale, later ones a gap, neither changes the book', () => {
  const book = bookFromSnapshot({ type: 'bookSnapshot', symbol: 'X', seq: 5, bids: [['10', '1']], asks: [] }, 10);
  assert.equal(applyBookUpdate(book, { type: 'bookUpdate', symbol: 'X', seq: 5, bids: [['10', '0']], asks: [] }), 'stale');
  assert.equal(applyBookUpdate(book, { type: 'bookUpdate', symbol: 'X', seq: 7, bids: [['10', '0']], asks: [] }), 'gap');
  assert.deepEqual(bookView(book), { symbol: 'X', seq: 5, bids: [['10', '1']], asks: [] });
  assert.equal(applyBookUpdate(book, { type: 'bookUpdate', symbol: 'X', seq: 6, bids: [['10.0', '0.0'], ['9', '2']], asks: [['11', '1']] }), 'applied');
  assert.deepEqual(bookView(book), { symbol: 'X', seq: 6, bids: [['9', '2']], asks: [['11', '1']] });
});

test('a full snapshot side is shown down to its worst price only; a short one was the whole side; views keep depth', () => {
  const book = bookFromSnapshot({ type: 'bookSnapshot', symbol: 'X', seq: 1, bids: [['10', '1'], ['9', '1']], asks: [['11', '1']] }, 2);
  applyBookUpdate(book, { type: 'bookUpdate', symbol: 'X', seq: 2, bids: [['10', '0'], ['8', '3']], asks: [['15', '1'], ['12', '1']] });
  // Bids: the snapshot was full, so below its worst price (9) levels that never changed are unknown; 8 is not shown.
  assert.deepEqual(bookView(book).bids, [['9', '1']]);
  // Asks: the snapshot held 1 < 2 levels, the whole side; 15 is known but beyond depth 2.
  assert.deepEqual(bookView(book).asks, [['11', '1'], ['12', '1']]);
});
