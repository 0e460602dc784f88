// One client connection: splits the byte stream into size-prefixed requests, decodes each with
// the API table, runs its handler and writes the responses strictly in request order (a parked
// Fetch delays later responses on the same connection, as in Kafka). A frame that is too large or
// too small, an API or version not advertised (except ApiVersions), or a request that does not
// decode exactly closes this connection and nothing else. Reading pauses while too many requests
// await their responses or the socket's send buffer is full, so a slow client holds bounded memory.

import type { Socket } from 'node:net';
import { decodeMessage, encodeMessage, isFlexible } from './codec/message-codec.ts';
import { KafkaWireError } from './codec/errors.ts';
import { readRequestHeader, writeResponseHeader, type RequestHeader } from './codec/request-header.ts';
import { inRange } from './codec/schema.ts';
import { WireReader } from './codec/wire-reader.ts';
import { WireWriter } from './codec/wire-writer.ts';
import { advertisedRanges } from './api-table.ts';
import type { ApiHandler, HandlerResult } from './context.ts';
import type { EndpointLog } from './endpoint-log.ts';
import { KafkaErrorCode } from './error-codes.ts';
import { API_VERSIONS_KEY } from './codec/request-header.ts';
import { apiVersionsBody } from './handlers/api-versions.ts';
import { CONNECTION_IDLE_MS_MAX, IN_FLIGHT_REQUESTS_MAX, REQUEST_SIZE_BYTES_MAX, REQUEST_SIZE_BYTES_MIN } from './limits.ts';
import type { CloseHooks } from './parked-fetches.ts';

const FRAME_SIZE_PREFIX_BYTES = 4;
/** KIP-511: an unsupported ApiVersions version is answered in the v0 format. */
const API_VERSIONS_FALLBACK_VERSION = 0;

interface Slot {
  chunks: Buffer[] | null;
}

export class Connection implements CloseHooks {
  readonly #socket: Socket;
  readonly #table: ReadonlyMap<number, ApiHandler>;
  readonly #log: EndpointLog;
  readonly #onClosed: (connection: Connection) => void;
  readonly #input: Buffer[] = [];
  #inputBytes = 0;
  readonly #slots: Slot[] = [];
  readonly #closeHooks = new Set<() => void>();
  #closed = false;
  #paused = false;
  /** Set while #processFrames runs, so responses written from inside it do not re-enter it. */
  #processing = false;

  constructor(socket: Socket, table: ReadonlyMap<number, ApiHandler>, log: EndpointLog, onClosed: (connection: Connection) => void) {
    this.#socket = socket;
    this.#table = table;
    this.#log = log;
    this.#onClosed = onClosed;
    socket.setNoDelay(true);
    socket.setTimeout(CONNECTION_IDLE_MS_MAX, () => this.close('idle'));
    socket.on('data', (chunk: Buffer) => {
      this.#input.push(chunk);
      this.#inputBytes += chunk.length;
      this.#processFrames();
    });
    socket.on('drain', () => this.#processFrames());
    socket.on('error', () => this.close(null));
    socket.on('close', () => this.close(null));
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(hook: () => void): () => void {
    this.#closeHooks.add(hook);
    return () => this.#closeHooks.delete(hook);
  }

  /** `reason` is logged; null for an ordinary disconnect. */
  close(reason: string | null): void {
    if (this.#closed) return;
    this.#closed = true;
    if (reason !== null) this.#log.warn({ remote: this.#socket.remoteAddress, reason }, 'closing Kafka connection');
    this.#socket.destroy();
    this.#input.length = 0;
    this.#slots.length = 0;
    for (const hook of [...this.#closeHooks]) hook();
    this.#closeHooks.clear();
    this.#onClosed(this);
  }

  #processFrames(): void {
    if (this.#processing) return;
    this.#processing = true;
    while (!this.#closed && this.#slots.length < IN_FLIGHT_REQUESTS_MAX && !this.#socket.writableNeedDrain) {
      if (this.#inputBytes < FRAME_SIZE_PREFIX_BYTES) break;
      const sizeBytes = this.#take(FRAME_SIZE_PREFIX_BYTES, false).readInt32BE(0);
      if (sizeBytes < REQUEST_SIZE_BYTES_MIN || sizeBytes > REQUEST_SIZE_BYTES_MAX) {
        this.close(`request size ${sizeBytes} outside [${REQUEST_SIZE_BYTES_MIN}, ${REQUEST_SIZE_BYTES_MAX}]`);
        return;
      }
      if (this.#inputBytes < FRAME_SIZE_PREFIX_BYTES + sizeBytes) break;
      const frame = this.#take(FRAME_SIZE_PREFIX_BYTES + sizeBytes, true).subarray(FRAME_SIZE_PREFIX_BYTES);
      this.#handle(frame);
    }
    this.#processing = false;
    this.#updateReading();
  }

  #updateReading(): void {
    if (this.#closed) return;
    const pause = this.#slots.length >= IN_FLIGHT_REQUESTS_MAX || this.#socket.writableNeedDrain;
    if (pause && !this.#paused) this.#socket.pause();
    if (!pause && this.#paused) this.#socket.resume();
    this.#paused = pause;
  }

  /** The first `sizeBytes` of the input, removed from it when `consume`; copies only across chunks. */
  #take(sizeBytes: number, consume: boolean): Buffer {
    const first = this.#input[0]!;
    let bytes: Buffer;
    if (first.length >= sizeBytes) {
      bytes = first.subarray(0, sizeBytes);
    } else {
      bytes = Buffer.allocUnsafe(sizeBytes);
      let copied = 0;
      for (const chunk of this.#input) {
        copied += chunk.copy(bytes, copied, 0, Math.min(chunk.length, sizeBytes - copied));
        if (copied === sizeBytes) break;
      }
    }
    if (!consume) return bytes;
    let rest = sizeBytes;
    while (rest > 0) {
      const chunk = this.#input[0]!;
      if (chunk.length > rest) {
        this.#input[0] = chunk.subarray(rest);
        break;
      }
      this.#input.shift();
      rest -= chunk.length;
    }
    this.#inputBytes -= sizeBytes;
    return bytes;
  }

  #handle(frame: Buffer): void {
    const reader = new WireReader(frame);
    let header: RequestHeader;
    let handler: ApiHandler | undefined;
    let request: Record<string, unknown>;
    try {
      header = readRequestHeader(reader);
      handler = this.#table.get(header.apiKey);
      if (handler === undefined) throw new KafkaWireError('unsupported', 0, `API key ${header.apiKey}`);
      if (!inRange(handler.request.versions, header.apiVersion)) {
        if (header.apiKey !== API_VERSIONS_KEY) throw new KafkaWireError('unsupported', 2, `API key ${header.apiKey} version ${header.apiVersion}`);
        const body = apiVersionsBody(KafkaErrorCode.unsupportedVersion, advertisedRanges(this.#table));
        this.#respond({ chunks: null }, header, API_VERSIONS_FALLBACK_VERSION, handler, body, true);
        return;
      }
      if (isFlexible(handler.request, header.apiVersion)) reader.skipTaggedFields();
      request = decodeMessage(handler.request, header.apiVersion, reader);
    } catch (error) {
      if (!(error instanceof KafkaWireError)) this.#log.error({ err: error }, 'decoding a request failed unexpectedly');
      this.close(`malformed or unsupported request: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const slot: Slot = { chunks: null };
    this.#slots.push(slot);
    const version = header.apiVersion;
    const chosen = handler;
    const fail = (error: unknown): void => {
      this.#log.error({ err: error, apiKey: header.apiKey, version }, 'request handler failed');
      this.close('handler failed');
    };
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      result = chosen.handle(request, { version, clientId: header.clientId, connection: this });
    } catch (error) {
      fail(error);
      return;
    }
    if (result instanceof Promise) {
      result.then((body) => this.#respond(slot, header, version, chosen, body, false), fail);
    } else {
      this.#respond(slot, header, version, chosen, result, false);
    }
  }

  #respond(slot: Slot, header: RequestHeader, version: number, handler: ApiHandler, body: HandlerResult, enqueue: boolean): void {
    if (this.#closed) return;
    if (enqueue) this.#slots.push(slot);
    if (body === null) {
      slot.chunks = [];
    } else {
      const writer = new WireWriter();
      writeResponseHeader(writer, header.apiKey, header.correlationId, isFlexible(handler.response, version));
      try {
        encodeMessage(handler.response, version, body, writer);
      } catch (error) {
        this.#log.error({ err: error, apiKey: header.apiKey, version }, 'response does not fit its message definition');
        this.close('response encoding failed');
        return;
      }
      slot.chunks = writer.finish();
    }
    this.#flush();
  }

  #flush(): void {
    this.#socket.cork();
    while (this.#slots.length > 0 && this.#slots[0]!.chunks !== null) {
      for (const chunk of this.#slots.shift()!.chunks!) this.#socket.write(chunk);
    }
    this.#socket.uncork();
    this.#processFrames();
  }
}
