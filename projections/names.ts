// How the projections spell the engine's enums: lower-case words that read well in SQL and
// Redis, one table each, so a reader never has to know the engine's numbers.
import { OrderType, Side, StpMode, SymbolStatus, TimeInForce } from '../engine/commands.ts';
import { CommandType } from '../engine/schema.ts';

function table(entries: Record<string, number>): (value: number) => string {
  const names = new Map(Object.entries(entries).map(([name, value]) => [value, name.toLowerCase()]));
  return (value) => {
    const name = names.get(value);
    if (name === undefined) throw new RangeError(`no name for ${value} among ${[...names.values()].join(', ')}`);
    return name;
  };
}

export const sideName = table(Side);
export const orderTypeName = table(OrderType);
export const timeInForceName = table(TimeInForce);
export const stpName = table(StpMode);
export const symbolStatusName = table(SymbolStatus);
export const commandName = table(CommandType);

/** Where an order stands in the `orders` table. */
export const OrderStatus = {
  /** A stop (or the stop leg of a pair) waiting for its trigger price. */
  PENDING: 'pending',
  /** Accepted and live: matching, resting, or a triggered stop executing. */
  OPEN: 'open',
  FILLED: 'filled',
  /** Ended without filling in full (owner, mass cancel, expiry, IOC/market rest, self-trade, OCO sibling, symbol close). */
  CANCELLED: 'cancelled',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
