// One account's resting orders as the load generator knows them (from its own execution reports), so
// that cancels and replaces name real orders. Add, remove and a random pick are O(1).
import type { Side } from '../gateway/protocol/messages.ts';

export interface LiveOrder {
  readonly orderId: number;
  readonly symbolIndex: number;
  readonly side: Side;
}

export class LiveOrders {
  private readonly orders: LiveOrder[] = [];
  private readonly indexById = new Map<number, number>();

  get size(): number {
    return this.orders.length;
  }

  add(order: LiveOrder): void {
    if (this.indexById.has(order.orderId)) return;
    this.indexById.set(order.orderId, this.orders.length);
    this.orders.push(order);
  }

  /** Forgets an order (unknown ids are ignored: reports of orders already forgotten still arrive). */
  remove(orderId: number): void {
    const index = this.indexById.get(orderId);
    if (index === undefined) return;
    const last = this.orders.pop() as LiveOrder;
    this.indexById.delete(orderId);
    if (last.orderId === orderId) return;
    this.orders[index] = last;
    this.indexById.set(last.orderId, index);
  }

  /** The order at a uniform position in [0, 1); the set must not be empty. */
  pick(uniform: number): LiveOrder {
    return this.orders[Math.floor(uniform * this.orders.length)] as LiveOrder;
  }
}
