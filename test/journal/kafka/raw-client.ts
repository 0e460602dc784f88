// A bare TCP client for size-prefixed Kafka frames: sends bytes as they are (valid or not) and
// collects response frames, so tests can see exactly what the endpoint does with each.

import { connect, type Socket } from 'node:net';

export class RawClient {
  readonly #socket: Socket;
  #buffered = Buffer.alloc(0);
  readonly frames: Buffer[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = Buffer.concat([this.#buffered, chunk]);
      while (this.#buffered.length >= 4 && this.#buffered.length >= 4 + this.#buffered.readInt32BE(0)) {
        const size = this.#buffered.readInt32BE(0);
        this.frames.push(this.#buffered.subarray(4, 4 + size));
        this.#buffered = this.#buffered.subarray(4 + size);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(host: string, port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    if (!this.closed) this.#socket.write(bytes);
  }

  /** Waits until `count` frames arrived or the connection closed, at most `timeoutMs`. */
  async waitFrames(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count && !this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async waitClosed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return this.closed;
  }

  close(): void {
    this.#socket.destroy();
    this.closed = true;
  }
}
