// What the gateway needs of the venue behind it (the server's journal and core pipeline): a way to
// submit commands, the order id the next one will carry, and whether it is accepting commands.
import type { Command } from '../engine/commands.ts';

export interface Venue {
  /** The order id the next submitted command will carry (an OCO's stop leg gets the next integer). */
  nextOrderId(): number;
  /** Sequences, journals and applies `command`; returns its seq, or 0 when the pipeline is full. */
  submit(command: Command): number;
  /** Recovered, matching, and not shutting down. */
  accepting(): boolean;
}
