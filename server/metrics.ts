// The server's Prometheus metrics (prom-client), named as monitoring/ expects. Ring occupancy is read
// from the shared cursors when scraped; timings from the workers arrive as periodic summaries.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { resultCodeName } from '../engine/result-codes.ts';
import type { GatewayCounters } from '../gateway/gateway.ts';

const LATENCY_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

export class ServerMetrics implements GatewayCounters {
  readonly registry = new Registry();
  readonly commands = new Counter({ name: 'exchange_commands_total', help: 'Client messages by type', labelNames: ['type'], registers: [this.registry] });
  readonly rejects = new Counter({ name: 'exchange_rejects_total', help: 'Refusals by result code (core and gateway)', labelNames: ['code'], registers: [this.registry] });
  readonly ingressToAck = new Histogram({ name: 'exchange_ingress_to_ack_seconds', help: 'From a command entering the pipeline to its first effect being released (durable)', buckets: LATENCY_BUCKETS_SECONDS, registers: [this.registry] });
  readonly fsync = new Histogram({ name: 'exchange_fsync_seconds', help: 'Journal group commit: one write and one fdatasync', buckets: LATENCY_BUCKETS_SECONDS, registers: [this.registry] });
  readonly batchSize = new Histogram({ name: 'exchange_journal_batch_size', help: 'Commands per group commit', buckets: BATCH_BUCKETS, registers: [this.registry] });
  readonly engineTime = new Histogram({ name: 'exchange_engine_batch_seconds', help: 'Core time to apply one batch of commands', buckets: LATENCY_BUCKETS_SECONDS, registers: [this.registry] });
  readonly connections = new Gauge({ name: 'exchange_connections', help: 'Open WebSocket sessions', registers: [this.registry] });
  readonly backpressureDrops = new Counter({ name: 'exchange_backpressure_drops_total', help: 'Slow consumers disconnected by backpressure', registers: [this.registry] });
  readonly ready = new Gauge({ name: 'exchange_ready', help: '1 once recovered (a leader then matches, a standby stands by)', registers: [this.registry] });
  readonly leader = new Gauge({ name: 'exchange_leader', help: '1 on the instance that serves orders', registers: [this.registry] });
  readonly ringOccupancy = new Gauge({ name: 'exchange_ring_occupancy_ratio', help: 'Share of each ring in use', labelNames: ['ring'], registers: [this.registry] });
  // Projections: set from the projector's reports when scraped (server/projector-supervisor.ts).
  readonly projectionLag = new Gauge({ name: 'exchange_projection_lag_events', help: 'Events not yet written to a projection store', labelNames: ['store'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  command(type: string): void {
    this.commands.inc({ type });
  }

  rejectedByCode(code: number): void {
    this.rejects.inc({ code: `${code} ${resultCodeName(code)}` });
  }

  slowConsumerDropped(): void {
    this.backpressureDrops.inc();
  }
}
