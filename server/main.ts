// `npm start -- --port P --data-dir DIR`: the venue. Recovers from the journal (newest valid snapshot
// and replay) before accepting connections, then runs the LMAX pipeline: the gateway on this thread
// sequences commands into the command ring, the journal worker makes them durable, the core worker
// applies them, and only durable effects are released. SIGTERM: stop intake, drain, final snapshot, exit 0.
import type { Worker } from 'node:worker_threads';
import pino from 'pino';
import uWS from 'uWebSockets.js';
import { TokenVerifier } from '../gateway/auth.ts';
import { Gateway } from '../gateway/gateway.ts';
import { addHttpRoutes } from '../gateway/http-routes.ts';
import { MarketData } from '../gateway/market-data.ts';
import { Registry } from '../gateway/registry.ts';
import { addWebSocketRoute } from '../gateway/ws-route.ts';
import { moduleUrlBeside, startModuleWorker } from '../journal/module-worker.ts';
import { startClockTicks } from './clock-ticks.ts';
import { ConfigError, loadConfig, redacted, type ServerConfig } from './config.ts';
import type { CoreWorkerData, Recovered } from './core-worker.ts';
import type { JournalWorkerData } from './journal-worker.ts';
import { ServerMetrics } from './metrics.ts';
import { Pipeline } from './pipeline.ts';
import { createPipelineMemory, type PipelineMemory } from './pipeline-memory.ts';
import { ProjectorSupervisor } from './projector-supervisor.ts';

/** Commands the core applies before handing their events on. */
const CORE_BATCH_COMMANDS_MAX = 4_096;
/** Time allowed for the workers to drain and snapshot on shutdown. */
const SHUTDOWN_TIMEOUT_MS = 60_000;

type WorkerMessage = { kind: string; message?: string } & Record<string, unknown>;

function startWorker(name: string, data: CoreWorkerData | JournalWorkerData, onMessage: (m: WorkerMessage) => void): Worker {
  const worker = startModuleWorker(moduleUrlBeside(import.meta.url, name), { workerData: data, name });
  worker.on('message', onMessage);
  return worker;
}

function firstMessage(worker: Worker, kind: string): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.kind === kind) {
        worker.off('message', onMessage);
        resolve(m);
      } else if (m.kind === 'fatal') {
        reject(new Error(m.message));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${worker.threadId} exited with ${code} before ${kind}`)));
  });
}

const clockUs = (): number => Math.floor((performance.timeOrigin + performance.now()) * 1_000);

async function serve(config: ServerConfig): Promise<void> {
  const log = pino({ level: config.logLevel, base: { service: 'exchange' } });
  log.info({ config: redacted(config) }, 'starting');
  if (config.generatedSecrets.length > 0) {
    log.warn({ adminApiKey: config.adminApiKey, jwtSecret: config.jwtSecret }, `no ${config.generatedSecrets.join(' or ')} given: generated for this run only (set ADMIN_API_KEY and JWT_SECRET to keep them)`);
  }
  if (config.durability === 'none') log.warn('DURABILITY IS none: acknowledged orders are NOT on disk and can be lost. Benchmarks only.');
  const leading = config.role === 'leader';
  const metrics = new ServerMetrics();
  const memory: PipelineMemory = createPipelineMemory(config.inputRingSlots, config.outputRingSlots);
  const onWorkerMessage = (who: string) => (m: WorkerMessage) => {
    if (m.kind === 'fatal') {
      log.fatal({ worker: who, error: m.message }, 'worker failed; the process stops so that recovery can run');
      process.exit(1);
    }
    if (m.kind === 'warning') log.warn({ worker: who }, m.message ?? '');
    if (m.kind === 'snapshot') log.info({ path: m['path'], seq: m['seq'] }, 'snapshot written');
    if (m.kind === 'stats') {
      for (const s of (m['fsyncSeconds'] as number[] | undefined) ?? []) metrics.fsync.observe(s);
      for (const s of (m['engineSeconds'] as number[] | undefined) ?? []) metrics.engineTime.observe(s);
      for (const n of (m['batchSizes'] as number[] | undefined) ?? []) metrics.batchSize.observe(n);
    }
  };
  const core = startWorker('core-worker', {
    memory, dataDir: config.dataDir, durability: config.durability, segmentSizeBytes: config.segmentSizeBytes,
    snapshotEveryCommands: config.snapshotEveryCommands, snapshotEverySeconds: config.snapshotEverySeconds, snapshotsKept: config.snapshotsKept,
    batchCommandsMax: CORE_BATCH_COMMANDS_MAX,
  }, onWorkerMessage('core'));
  const recovered = (await firstMessage(core, 'recovered')) as unknown as Recovered;
  log.info({ seqLast: recovered.seqLast, snapshotSeq: recovered.snapshotSeq, replayed: recovered.commandsReplayed, truncatedBytes: recovered.truncatedBytes, stateHash: recovered.stateHash }, 'recovered');
  const journal = startWorker('journal-worker', {
    memory, dataDir: config.dataDir, durability: config.durability, segmentSizeBytes: config.segmentSizeBytes, batchRecordsMax: config.journalBatchRecordsMax, scan: recovered.scan,
  }, onWorkerMessage('journal'));
  await firstMessage(journal, 'ready');

  const pipeline = new Pipeline(memory, clockUs, recovered.seqLast, recovered.timeUsLast, () => performance.now());
  const registry = new Registry(recovered.catalog);
  const marketData = new MarketData(recovered.catalog.symbols);
  const verifier = await TokenVerifier.create({ hs256Secret: config.jwtSecret, es256PublicKeyPem: config.jwtPublicKeyPem });
  const gateway = new Gateway({ registry, marketData, venue: pipeline, verifier, messagesPerSecondPerSession: config.messagesPerSecondPerSession, nowMs: Date.now, counters: metrics });
  // Projections (docs/projections.md): a child process tails the event log; matching never waits for it.
  // Only the leader projects: a standby's own (idle) log must not write into the stores the leader feeds.
  const projector = !leading || (config.pgUrl === undefined && config.redisUrl === undefined) ? undefined : new ProjectorSupervisor({
    dataDir: config.dataDir, pgUrl: config.pgUrl, pgTlsCaFile: config.pgTlsCaFile, pgMigrateOnStart: config.pgMigrateOnStart,
    redisUrl: config.redisUrl, redisTlsCaFile: config.redisTlsCaFile, redisKeyPrefix: config.redisKeyPrefix, logLevel: config.logLevel,
  }, () => pipeline.seqDurable, log);
  const releasing = pipeline.run({
    release: (view, offset, count) => {
      gateway.release(view, offset, count);
      projector?.eventsReleased(count);
    },
    afterRelease: () => gateway.afterRelease(),
    acknowledged: (seconds) => metrics.ingressToAck.observe(seconds),
  });
  const stopClockTicks = leading ? startClockTicks(pipeline, config.clockIntervalMs) : () => undefined;
  if (leading) {
    pipeline.setAccepting(true);
    gateway.sweepCancelOnDisconnect();
  } else {
    log.warn('STANDBY (VENUE_ROLE=standby): recovered; refusing orders, WebSocket upgrades and admin calls until restarted as leader');
  }
  metrics.ready.set(1);
  metrics.leader.set(leading ? 1 : 0);
  const app = uWS.App();
  addHttpRoutes(app, {
    gateway, registry, marketData, adminApiKey: config.adminApiKey, ready: () => pipeline.accepting(),
    readiness: () => ({
      role: config.role, seqLast: pipeline.seqLast, seqDurable: pipeline.seqDurable, sessions: gateway.sessions.count,
      ...(projector === undefined ? {} : { projections: projector.readiness() }),
    }),
    metricsText: () => {
      const o = pipeline.occupancy();
      metrics.ringOccupancy.set({ ring: 'commands' }, o.commands);
      metrics.ringOccupancy.set({ ring: 'events' }, o.events);
      for (const [store, lag] of projector?.lagEvents() ?? []) metrics.projectionLag.set({ store }, lag);
      return metrics.registry.metrics();
    },
    metricsContentType: metrics.registry.contentType,
  });
  addWebSocketRoute(app, gateway, config, () => pipeline.accepting(), (n) => metrics.connections.set(n));
  const listenSocket = await new Promise<uWS.us_listen_socket>((resolve, reject) => {
    app.listen(config.host, config.port, (socket) => (socket === false ? reject(new Error(`cannot listen on ${config.host}:${config.port}`)) : resolve(socket)));
  });
  log.info({ host: config.host, port: uWS.us_socket_local_port(listenSocket) }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: intake closed, draining');
    stopClockTicks();
    pipeline.setAccepting(false);
    metrics.ready.set(0);
    uWS.us_listen_socket_close(listenSocket);
    const timer = setTimeout(() => {
      log.fatal('workers did not drain in time');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    const coreStopped = firstMessage(core, 'stopped');
    const journalStopped = firstMessage(journal, 'stopped');
    pipeline.stopWorkers();
    const [coreResult, journalResult] = await Promise.all([coreStopped, journalStopped]);
    pipeline.stopReleasing();
    await releasing;
    gateway.closeAll('the venue is stopping');
    await projector?.stop();
    clearTimeout(timer);
    log.info({ seqLast: coreResult['seqLast'], seqDurable: journalResult['seqDurable'], stateHash: coreResult['stateHash'] }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

try {
  await serve(loadConfig(process.argv.slice(2), process.env));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`configuration: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
