// `node --import tsx bench/echo-server.ts [--host H] [--port P]`: the physical floor of the latency
// benchmark. A bare uWebSockets.js app that sends every binary frame on /ws straight back, with the
// exchange's subprotocols and the same frame and backpressure limits as the server, and nothing
// else: no decoding, no pipeline, no disk. Logs {"msg":"listening","port":N}; SIGTERM stops it.
import { parseArgs } from 'node:util';
import uWS from 'uWebSockets.js';
import { negotiateSubprotocol } from '../gateway/protocol/codec.ts';
import { FRAME_SIZE_BYTES_MAX } from '../gateway/protocol/messages.ts';

/** The server's default --backpressure-bytes: a client that stops reading is cut off past it, as there. */
const BACKPRESSURE_BYTES_MAX = 4 * 1024 * 1024;
const IDLE_TIMEOUT_SECONDS = 60;
const SEND_DROPPED = 2;

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } } });
const app = uWS.App();
app.ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: FRAME_SIZE_BYTES_MAX,
  maxBackpressure: BACKPRESSURE_BYTES_MAX,
  idleTimeout: IDLE_TIMEOUT_SECONDS,
  upgrade: (res, req, context) => {
    const protocol = negotiateSubprotocol(req.getHeader('sec-websocket-protocol'));
    if (protocol === undefined) return void res.cork(() => res.writeStatus('400 Bad Request').end('offer an exchange subprotocol\n'));
    res.upgrade({}, req.getHeader('sec-websocket-key'), protocol, req.getHeader('sec-websocket-extensions'), context);
  },
  message: (ws, message, isBinary) => {
    if (ws.send(message, isBinary, false) === SEND_DROPPED) ws.close();
  },
});
app.listen(values.host, Number(values.port), (socket) => {
  if (socket === false) {
    console.error(`cannot listen on ${values.host}:${values.port}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ msg: 'listening', port: uWS.us_socket_local_port(socket) }));
  process.once('SIGTERM', () => {
    uWS.us_listen_socket_close(socket);
    process.exit(0);
  });
});
