// The WebSocket route on uWebSockets.js: subprotocol negotiation (the encoding), per-IP connection
// and message limits, frame size and backpressure limits, idle timeout with automatic pings, and the
// hand-off of every frame to the Gateway. A standby or a venue that is not ready refuses upgrades.
import uWS, { type TemplatedApp, type WebSocket } from 'uWebSockets.js';
import type { Gateway } from './gateway.ts';
import { addressText, clientAddress } from './http-util.ts';
import { ENCODINGS, encodingOf, negotiateSubprotocol, subprotocolOf, type Encoding } from './protocol/codec.ts';
import { FRAME_SIZE_BYTES_MAX } from './protocol/messages.ts';
import { KeyedBuckets } from './rate-limit.ts';
import { BURST_SECONDS, type Session } from './sessions.ts';

/** Client IPs remembered for rate limiting at once. */
const IPS_TRACKED_MAX = 100_000;

export interface WsLimits {
  readonly connectionsPerIpMax: number;
  readonly messagesPerSecondPerIp: number;
  readonly idleTimeoutSeconds: number;
  readonly backpressureBytesMax: number;
  /** Proxies in front that append the client's address to X-Forwarded-For (see clientAddress). */
  readonly trustedProxyHops: number;
}

interface UserData {
  ip: string;
  encoding: Encoding;
  session: Session | undefined;
  /** Marks the socket closed, so that nothing is sent on it afterwards. */
  closeHook: (() => void) | undefined;
}

export function addWebSocketRoute(app: TemplatedApp, gateway: Gateway, limits: WsLimits, accepting: () => boolean, onConnections: (count: number) => void): void {
  const connectionsByIp = new Map<string, number>();
  const ipBuckets = new KeyedBuckets(limits.messagesPerSecondPerIp, limits.messagesPerSecondPerIp * BURST_SECONDS, IPS_TRACKED_MAX);
  app.ws<UserData>('/ws', {
    compression: uWS.DISABLED,
    maxPayloadLength: FRAME_SIZE_BYTES_MAX,
    idleTimeout: limits.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    maxBackpressure: limits.backpressureBytesMax,
    upgrade: (res, req, context) => {
      const ip = clientAddress(addressText(res.getRemoteAddressAsText()), req.getHeader('x-forwarded-for'), limits.trustedProxyHops);
      const protocol = negotiateSubprotocol(req.getHeader('sec-websocket-protocol'));
      const refuse = (status: string, reason: string): void => {
        res.cork(() => res.writeStatus(status).writeHeader('content-type', 'text/plain').end(reason));
      };
      if (!accepting()) return refuse('503 Service Unavailable', 'not accepting connections\n');
      const encoding = protocol === undefined ? undefined : encodingOf(protocol);
      if (protocol === undefined || encoding === undefined) return refuse('400 Bad Request', `offer one of the subprotocols ${ENCODINGS.map(subprotocolOf).join(', ')}\n`);
      if ((connectionsByIp.get(ip) ?? 0) >= limits.connectionsPerIpMax) return refuse('429 Too Many Requests', 'too many connections from this address\n');
      const userData: UserData = { ip, encoding, session: undefined, closeHook: undefined };
      res.upgrade(userData, req.getHeader('sec-websocket-key'), protocol, req.getHeader('sec-websocket-extensions'), context);
    },
    open: (ws: WebSocket<UserData>) => {
      const data = ws.getUserData();
      connectionsByIp.set(data.ip, (connectionsByIp.get(data.ip) ?? 0) + 1);
      let closed = false;
      data.session = gateway.open({
        // 2: uWS dropped the frame because this peer's unsent data passed maxBackpressure. A peer that
        // cannot keep up is cut off at once, so that it can never hold the venue's memory or time.
        send: (bytes) => {
          if (closed) return false;
          if (ws.send(bytes, true, false) !== 2) return true;
          closed = true;
          ws.close();
          return false;
        },
        cork: (sends) => {
          if (closed) sends();
          else ws.cork(sends);
        },
        close: (code, reason) => {
          if (!closed) ws.end(code, reason);
        },
      }, data.ip, data.encoding);
      onConnections(gateway.sessions.count);
      data.closeHook = () => {
        closed = true;
      };
    },
    message: (ws, message, isBinary) => {
      const data = ws.getUserData();
      if (data.session === undefined) return;
      if (!isBinary) return gateway.rejectTextFrame(data.session);
      // Decoding copies what it keeps: the frame is only read during this callback.
      gateway.onFrame(data.session, new Uint8Array(message), ipBuckets.take(data.ip, Date.now()));
    },
    close: (ws) => {
      const data = ws.getUserData();
      data.closeHook?.();
      const n = (connectionsByIp.get(data.ip) ?? 1) - 1;
      if (n === 0) connectionsByIp.delete(data.ip);
      else connectionsByIp.set(data.ip, n);
      if (data.session !== undefined) gateway.close(data.session);
      onConnections(gateway.sessions.count);
    },
  });
}
