// `journal replay DIR --trades TRADES.csv --book BOOK.csv`: the outputs `npm run replay` writes
// for the same commands, produced from the journal as a restart sees it: the book from the
// recovered engine (snapshot + replay), the trades from the derived event log, read from event 0.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bookText, collectTrades, tradesText } from '../engine/orderflow.ts';
import { EventType, decodeRecord, eventLayout, type RecordLayout } from '../engine/schema.ts';
import { parseCommandArgs, requiredOption } from './cli-args.ts';
import { NO_CLOCK_US } from './sequencer.ts';
import { EVENT_RECORD_SIZE_BYTES } from './core-records.ts';
import { DurableCore } from './durable-core.ts';
import { readEventLog } from './event-log-reader.ts';

/** Events gathered before their trades are rendered. */
const TRADE_BLOCK_EVENTS = 4096;
const SYMBOL_ADDED_LAYOUT = eventLayout(EventType.SYMBOL_ADDED) as RecordLayout;

interface TradeLog {
  readonly symbolNames: string[];
  readonly tradesBySymbol: string[][];
}

/** Trade lines per symbol, with symbol names taken from the SymbolAdded events. */
function readTrades(dir: string): TradeLog {
  const symbolNames: string[] = [];
  const tradesBySymbol: string[][] = [];
  const block = new Uint8Array(TRADE_BLOCK_EVENTS * EVENT_RECORD_SIZE_BYTES);
  let blockCount = 0;
  const flush = (): void => {
    collectTrades(block.subarray(0, blockCount * EVENT_RECORD_SIZE_BYTES), symbolNames, tradesBySymbol);
    blockCount = 0;
  };
  readEventLog(dir, (bytes, offsetBytes) => {
    if (bytes[offsetBytes] === EventType.SYMBOL_ADDED) {
      const added = decodeRecord(SYMBOL_ADDED_LAYOUT, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offsetBytes);
      symbolNames[added['symbolId'] as number] = added['name'] as string;
    }
    block.set(bytes.subarray(offsetBytes, offsetBytes + EVENT_RECORD_SIZE_BYTES), blockCount * EVENT_RECORD_SIZE_BYTES);
    blockCount++;
    if (blockCount === TRADE_BLOCK_EVENTS) flush();
  });
  flush();
  return { symbolNames, tradesBySymbol };
}

export async function runReplay(args: readonly string[]): Promise<void> {
  const { positionals, options } = parseCommandArgs(args, 1, ['trades', 'book']);
  const dir = positionals[0]!;
  const tradesPath = requiredOption(options, 'trades');
  const bookPath = requiredOption(options, 'book');
  const core = DurableCore.open({ dir, clockUs: NO_CLOCK_US });
  try {
    const { symbolNames, tradesBySymbol } = readTrades(dir);
    const outputs = [
      [tradesPath, tradesText(symbolNames, tradesBySymbol)],
      [bookPath, bookText(core.engine.state, symbolNames)],
    ] as const;
    for (const [path, text] of outputs) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    const tradeCount = tradesBySymbol.reduce((sum, lines) => sum + lines.length, 0);
    console.log(JSON.stringify({ seq_last: core.seqDurable, trades: tradeCount, state_hash: core.engine.stateHash() }));
  } finally {
    await core.close();
  }
}
