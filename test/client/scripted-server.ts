// A small WebSocket server on 127.0.0.1 that speaks the protocol and answers as each test scripts it:
// it negotiates the subprotocol, decodes every client frame, records it, and hands it to the test's
// script. Tests can push any message, raw bytes, or drop every connection to simulate a network cut.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import { decodeClientMessage, encodeServerMessage, encodingOf, negotiateSubprotocol } from '../../gateway/protocol/codec.ts';
import type { Encoding } from '../../gateway/protocol/codec.ts';
import { ProtocolError } from '../../gateway/protocol/errors.ts';
import type { ClientMessage, ServerMessage } from '../../gateway/protocol/messages.ts';

export interface Connection {
  readonly socket: WebSocket;
  readonly encoding: Encoding;
  send(message: ServerMessage): void;
}

export type Script = (message: ClientMessage, connection: Connection) => void;

/** Answers login, subscribe, unsubscribe and ping the plain way; tests replace or wrap it. */
export const answerPlainly: Script = (m, c) => {
  if (m.type === 'login') c.send({ type: 'loginAccepted', requestId: m.requestId, account: 'alice', roles: ['trader'], sessionId: 1 });
  if (m.type === 'subscribe') c.send({ type: 'subscribed', requestId: m.requestId, channel: m.channel, symbol: m.symbol });
  if (m.type === 'unsubscribe') c.send({ type: 'unsubscribed', requestId: m.requestId, channel: m.channel, symbol: m.symbol });
  if (m.type === 'ping') c.send({ type: 'pong', requestId: m.requestId, ...(m.timeMs === undefined ? {} : { timeMs: m.timeMs }), serverTimeMs: 1 });
};

export class ScriptedServer {
  readonly received: ClientMessage[] = [];
  readonly connections: Connection[] = [];
  script: Script = answerPlainly;
  private readonly waiters: { predicate: (m: ClientMessage) => boolean; resolve: (m: ClientMessage) => void }[] = [];

  private constructor(private readonly server: WebSocketServer, readonly url: string) {
    server.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(): Promise<ScriptedServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => negotiateSubprotocol(offered) ?? false });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return new ScriptedServer(server, `ws://127.0.0.1:${port}/ws`);
  }

  private onConnection(socket: WebSocket): void {
    const encoding = encodingOf(socket.protocol);
    if (encoding === undefined) throw new Error(`no encoding for subprotocol ${socket.protocol}`);
    const connection: Connection = { socket, encoding, send: (m) => socket.send(encodeServerMessage(encoding, m)) };
    this.connections.push(connection);
    socket.on('message', (data) => {
      const message = decodeClientMessage(encoding, data as Buffer);
      if (message instanceof ProtocolError) throw new Error(`the client sent a bad frame: ${message.message}`);
      this.received.push(message);
      this.script(message, connection);
      for (const waiter of this.waiters.filter((w) => w.predicate(message))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    });
  }

  get latest(): Connection {
    const connection = this.connections[this.connections.length - 1];
    if (connection === undefined) throw new Error('no client has connected');
    return connection;
  }

  /** The next client message that matches, or a rejection after timeoutMs. */
  next<T extends ClientMessage['type']>(type: T, timeoutMs = 2_000): Promise<Extract<ClientMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} from the client within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate: (m) => m.type === type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<ClientMessage, { type: T }>);
        },
      });
    });
  }

  /** Cuts every connection without a close handshake, as a network failure would. */
  dropAll(): void {
    for (const c of this.connections) c.socket.terminate();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error === undefined ? resolve() : reject(error))));
  }
}
