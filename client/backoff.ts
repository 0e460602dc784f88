// Reconnect delays: exponential from a first delay, capped, so that a server that is down is not
// hammered and one that comes back is found again within the cap.

/** Doublings past which the delay is surely at its cap; keeps 2 ** attempt finite however long the outage. */
const DOUBLINGS_MAX = 30;

/** The delay before reconnect attempt `attempt` (0 for the first). */
export function reconnectDelayMs(attempt: number, delayMsFirst: number, delayMsMax: number): number {
  return Math.min(delayMsMax, delayMsFirst * 2 ** Math.min(attempt, DOUBLINGS_MAX));
}
