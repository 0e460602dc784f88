// One load-generator WebSocket: it logs in as its account, clears the account's orders, then sends
// what the scheduler asks for and measures each request from its intended send time to its
// acknowledgement, the first frame that carries its requestId (a report, or an error frame). Against
// the bare echo server the acknowledgement is the echoed request itself.
import WebSocket from 'ws';
import { decodeClientMessage, decodeServerMessage, encodeClientMessage, subprotocolOf, type Encoding } from '../gateway/protocol/codec.ts';
import { ProtocolError } from '../gateway/protocol/errors.ts';
import { FRAME_SIZE_BYTES_MAX, type ClientMessage, type ExecutionReportMessage, type ServerMessage } from '../gateway/protocol/messages.ts';
import type { FlowRequest, OrderFlow } from './loadgen-flow.ts';
import { isBalanceFrame } from './loadgen-frames.ts';
import { countInto, recordUs, type SenderStats } from './loadgen-stats.ts';

/** Longest a connect, a login or the opening mass cancel may take. */
export const SETUP_TIMEOUT_MS = 10_000;
const US_PER_MS = 1_000;

interface Pending {
  /** The intended send time (performance.now() time). */
  readonly dueMs: number;
  readonly measured: boolean;
  readonly request: FlowRequest;
}

export class LoadConnection {
  private readonly pending = new Map<number, Pending>();
  private requestIdLast = 0;
  private closed = false;
  /** During setup: the answer being waited for. */
  private waiter: ((m: ServerMessage) => boolean) | undefined;
  /** Echo runs: ids for the orders a real venue would have assigned, so cancels and replaces keep their share. */
  private syntheticOrderIdLast = 0;

  private constructor(private readonly socket: WebSocket, private readonly encoding: Encoding, private readonly flow: OrderFlow,
    private readonly stats: SenderStats, private readonly echo: boolean) {
    socket.on('message', (data: Buffer) => this.onFrame(data));
    socket.on('close', () => this.onClose());
    // A failing socket also closes, and the close counts what it lost; the error itself adds nothing.
    socket.on('error', () => undefined);
  }

  static open(url: string, encoding: Encoding, flow: OrderFlow, stats: SenderStats, echo: boolean): Promise<LoadConnection> {
    const socket = new WebSocket(url, [subprotocolOf(encoding)], { perMessageDeflate: false, maxPayload: FRAME_SIZE_BYTES_MAX, handshakeTimeout: SETUP_TIMEOUT_MS });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new LoadConnection(socket, encoding, flow, stats, echo)));
      socket.once('error', reject);
    });
  }

  get outstanding(): number {
    return this.pending.size;
  }

  async logIn(token: string): Promise<void> {
    const requestId = ++this.requestIdLast;
    const answer = await this.request({ type: 'login', requestId, token }, (m) => 'requestId' in m && m.requestId === requestId);
    if (answer.type !== 'loginAccepted') throw new Error(`login refused: ${JSON.stringify(answer)}`);
  }

  /** Ends the orders an earlier run of the same account left resting, so every run starts from its own book. */
  async cancelAll(): Promise<void> {
    const requestId = ++this.requestIdLast;
    const answer = await this.request({ type: 'massCancel', requestId }, (m) => (m.type === 'massCancelDone' || m.type === 'error') && m.requestId === requestId);
    if (answer.type !== 'massCancelDone') throw new Error(`mass cancel refused: ${JSON.stringify(answer)}`);
  }

  private request(message: ClientMessage, answers: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${message.type} in ${SETUP_TIMEOUT_MS} ms`)), SETUP_TIMEOUT_MS);
      this.waiter = (m) => {
        if (!answers(m)) return false;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(m);
        return true;
      };
      this.socket.send(encodeClientMessage(this.encoding, message));
    });
  }

  /** Sends the flow's next request, due at `dueMs` (performance.now() time); `measured` outside the warm-up. */
  send(dueMs: number, measured: boolean): void {
    const requestId = ++this.requestIdLast;
    const request = this.flow.next(requestId);
    const stats = this.stats;
    stats.sent++;
    countInto(stats.requestsByKind, request.kind);
    if (measured) {
      stats.sentMeasured++;
      recordUs(stats.sendLag, (performance.now() - dueMs) * US_PER_MS);
    }
    // Never answerable: an error, but no latency (it would be the send's lateness, not a wait).
    if (this.closed) return countInto(stats.errorsByCode, 'CONNECTION_CLOSED');
    this.pending.set(requestId, { dueMs, measured, request });
    this.socket.send(encodeClientMessage(this.encoding, request.message));
  }

  /** The run is over: whatever is still unanswered is an error of the run. */
  abandonOutstanding(): void {
    this.stats.gaveUp([...this.pending.values()], 'UNACKNOWLEDGED');
    this.pending.clear();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private onClose(): void {
    this.closed = true;
    this.stats.gaveUp([...this.pending.values()], 'CONNECTION_CLOSED');
    this.pending.clear();
  }

  private onFrame(bytes: Buffer): void {
    this.stats.messagesReceived++;
    if (this.echo) return this.onEcho(bytes);
    if (isBalanceFrame(this.encoding, bytes)) return;
    const m = decodeServerMessage(this.encoding, bytes);
    if (m instanceof ProtocolError) return countInto(this.stats.errorsByCode, 'UNDECODABLE_FRAME');
    if (this.waiter?.(m) === true) return;
    const pending = 'requestId' in m && m.requestId !== undefined ? this.acknowledge(m.requestId) : undefined;
    if (m.type === 'error') {
      if (pending !== undefined || m.requestId === undefined) countInto(this.stats.errorsByCode, `${m.code} ${m.name}`);
    } else if (m.type === 'executionReport') {
      if (pending !== undefined && m.kind === 'rejected') countInto(this.stats.rejectionsByReason, m.reason ?? `code ${m.code ?? 0}`);
      this.track(m, pending);
    }
  }

  private onEcho(bytes: Buffer): void {
    const m = decodeClientMessage(this.encoding, bytes);
    if (m instanceof ProtocolError) return countInto(this.stats.errorsByCode, 'UNDECODABLE_FRAME');
    const pending = this.acknowledge(m.requestId);
    if (pending?.request.kind === 'limit') this.flow.live.add({ orderId: ++this.syntheticOrderIdLast, symbolIndex: pending.request.symbolIndex, side: pending.request.side });
  }

  /** The first frame naming a pending request acknowledges it; later ones find nothing pending. */
  private acknowledge(requestId: number): Pending | undefined {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return undefined;
    this.pending.delete(requestId);
    const nowMs = performance.now();
    const stats = this.stats;
    stats.acknowledged++;
    if (pending.measured) {
      recordUs(stats.latency, (nowMs - pending.dueMs) * US_PER_MS);
      stats.acknowledgedMeasured++;
      stats.lastMeasuredAckEpochMs = performance.timeOrigin + nowMs;
    }
    return pending;
  }

  /** Keeps the account's resting orders in step with its reports (fills of its orders come without a requestId). */
  private track(report: ExecutionReportMessage, pending: Pending | undefined): void {
    const orderId = report.orderId;
    if (orderId === undefined) return;
    switch (report.kind) {
      case 'accepted':
        if (pending?.request.kind === 'limit') this.flow.live.add({ orderId, symbolIndex: pending.request.symbolIndex, side: pending.request.side });
        return;
      case 'filled':
      case 'cancelled':
      case 'expired':
      case 'rejected':
        return this.flow.live.remove(orderId);
      default:
        return;
    }
  }
}
