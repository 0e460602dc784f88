// Where the Redis projection's books start: the newest snapshot on disk (the engine's books at a
// durable point, and the event index it stands before), folded by the same MarketData the gateway
// uses, so the hot state in Redis is derived exactly like the market data clients see. Without a
// snapshot the books start empty at event 0.
import { catalogOf } from '../engine/queries.ts';
import { MarketData } from '../gateway/market-data.ts';
import { restoreSnapshot } from '../journal/core-snapshot.ts';
import { loadNewestSnapshot } from '../journal/snapshot-store.ts';
import { ProjectionCatalog } from '../projections/catalog.ts';
import type { HotStart } from '../projections/redis-projection.ts';

export async function hotStartFromSnapshot(dataDir: string): Promise<HotStart> {
  const { snapshot } = loadNewestSnapshot(dataDir);
  if (snapshot === null) return { books: new MarketData([]), catalog: new ProjectionCatalog(), eventIndexNext: 0 };
  const catalog = catalogOf(restoreSnapshot(snapshot).state);
  return { books: new MarketData(catalog.symbols), catalog: ProjectionCatalog.of(catalog), eventIndexNext: snapshot.eventIndexNext };
}
