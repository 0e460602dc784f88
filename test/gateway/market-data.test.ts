// Proves the edge's L2 books, built only from events, equal the core's shown quantities after every command of seeded full-featured streams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../engine/commands.ts';
import { Engine } from '../../engine/engine.ts';
import { bookLevels } from '../../engine/queries.ts';
import { EVENT_SIZE_BYTES } from '../../engine/schema.ts';
import { MarketData, type BookChange } from '../../gateway/market-data.ts';
import { randomCommandStream } from '../engine/random-commands.ts';

for (const seed of [11, 12, 13]) {
  test(`seed ${seed}: the event-built books equal the engine's after every command, and updates replay them`, () => {
    const engine = new Engine();
    const market = new MarketData([]);
    const replica = new Map<number, { bids: Map<number, number>; asks: Map<number, number>; seq: number }>();
    let trades = 0;
    const publish = (c: BookChange) => {
      trades += c.trades.length;
      if (c.bookSeq === undefined) return;
      const r = replica.get(c.symbolId) ?? { bids: new Map(), asks: new Map(), seq: 0 };
      assert.equal(c.bookSeq, r.seq + 1, 'book sequences have no gaps');
      r.seq = c.bookSeq;
      for (const [levels, changes] of [[r.bids, c.bids], [r.asks, c.asks]] as const) {
        for (const [price, qty] of changes) {
          if (qty === 0) levels.delete(price);
          else levels.set(price, qty);
        }
      }
      replica.set(c.symbolId, r);
    };
    for (const command of randomCommandStream(seed, { accounts: 4, symbols: 2, commands: 2_500 })) {
      engine.apply(command);
      const bytes = engine.events.written();
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 0; at < bytes.length; at += EVENT_SIZE_BYTES) market.applyEvent(view, at);
      engine.events.clear();
      market.flush(publish);
      for (let symbolId = 0; symbolId < engine.state.symbols.length; symbolId++) {
        const expected = (side: number) => bookLevels(engine.state, symbolId, side).map((l): [number, number] => [l.priceTicks, l.visibleQtyLots]);
        const snapshot = market.snapshot(symbolId, Number.MAX_SAFE_INTEGER);
        assert.deepEqual(snapshot?.bids, expected(Side.BUY), `seed ${seed} seq ${command.seq} bids`);
        assert.deepEqual(snapshot?.asks, expected(Side.SELL), `seed ${seed} seq ${command.seq} asks`);
        const r = replica.get(symbolId);
        if (r !== undefined) {
          assert.deepEqual([...r.bids].sort((a, b) => b[0] - a[0]), expected(Side.BUY), 'updates rebuild the bids');
          assert.deepEqual([...r.asks].sort((a, b) => a[0] - b[0]), expected(Side.SELL), 'updates rebuild the asks');
        }
      }
    }
    assert.ok(trades > 100, 'the stream trades');
  });
}
