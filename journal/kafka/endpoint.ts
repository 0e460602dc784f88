// The read-only Kafka wire-protocol endpoint over a journal directory: topics `commands` (offset
// = command seq) and `events` (offset = event index), one partition each, served from the
// segment files as they are. It runs in its own process (journal/kafka/cli.ts) so consumers never
// share the engine's event loop; its only writes are its own state (identity, committed offsets).

import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { nodeFsOps } from '../fs-ops.ts';
import { buildApiTable } from './api-table.ts';
import { Connection } from './connection.ts';
import type { EndpointContext } from './context.ts';
import type { EndpointLog } from './endpoint-log.ts';
import { GroupCoordinator } from './groups/group-coordinator.ts';
import { loadOrCreateIdentity } from './groups/identity.ts';
import { OffsetStore } from './groups/offset-store.ts';
import { CONNECTIONS_MAX } from './limits.ts';
import { JournalTopics, TOPIC_NAMES, type CommandVisibility } from './log/journal-topics.ts';
import { ParkedFetches } from './parked-fetches.ts';

/** Where the endpoint keeps its own state unless told otherwise: inside the data dir. */
export const STATE_DIR_NAME = 'kafka';

export interface EndpointOptions {
  readonly dataDir: string;
  /** Interface to bind; 127.0.0.1 unless the endpoint must be reachable from elsewhere. */
  readonly host: string;
  /** 0 picks a free port (then advertised as bound). */
  readonly port: number;
  /** The address clients are told to connect to; default: host and the bound port. */
  readonly advertisedHost?: string;
  readonly advertisedPort?: number;
  /** Default 'synced': command batches are served once this process has fdatasync'ed them. */
  readonly visibility?: CommandVisibility;
  /** Identity and committed offsets; default `<dataDir>/kafka`. */
  readonly stateDir?: string;
  readonly log: EndpointLog;
}

export class KafkaEndpoint {
  readonly #server: Server;
  readonly #context: EndpointContext;
  readonly #connections = new Set<Connection>();
  readonly port: number;
  readonly host: string;

  private constructor(server: Server, context: EndpointContext) {
    this.#server = server;
    this.#context = context;
    this.host = context.broker.host;
    this.port = context.broker.port;
  }

  static async start(options: EndpointOptions): Promise<KafkaEndpoint> {
    const stateDir = options.stateDir ?? join(options.dataDir, STATE_DIR_NAME);
    const topics = await JournalTopics.open(options.dataDir, options.log, options.visibility);
    const identity = loadOrCreateIdentity(nodeFsOps, stateDir, dirname(stateDir), TOPIC_NAMES);
    const offsets = await OffsetStore.open(stateDir, options.log);
    if (offsets.truncatedBytes > 0) options.log.warn({ truncatedBytes: offsets.truncatedBytes }, 'cut a torn tail off the committed-offsets file');
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : options.port;
    const context: EndpointContext = {
      topics,
      identity,
      broker: { host: options.advertisedHost ?? options.host, port: options.advertisedPort ?? boundPort },
      coordinator: new GroupCoordinator(),
      offsets,
      parked: new ParkedFetches(topics),
      log: options.log,
    };
    const endpoint = new KafkaEndpoint(server, context);
    const table = buildApiTable(context);
    server.on('connection', (socket: Socket) => {
      if (endpoint.#connections.size >= CONNECTIONS_MAX) {
        socket.destroy();
        return;
      }
      endpoint.#connections.add(new Connection(socket, table, options.log, (connection) => endpoint.#connections.delete(connection)));
    });
    return endpoint;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const connection of [...this.#connections]) connection.close(null);
    this.#context.parked.close();
    this.#context.coordinator.close();
    await closed;
    await this.#context.topics.close();
    await this.#context.offsets.close();
  }
}
