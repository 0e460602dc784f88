// The shipper: produces the journal's `commands` and `events` logs to a Kafka cluster (MSK),
// durable batches only (the same visibility rule as the endpoint), in order, with acks=all and an
// idempotent producer (kafkajs, one request in flight, so retries within a session neither
// duplicate nor reorder). At start it resumes after the last journal offset found at the tail of
// each target partition (resume.ts), so a restart neither skips nor repeats a record.

import { Kafka, Partitioners, logLevel, type KafkaConfig, type Producer } from 'kafkajs';
import { SEQ_HEADER_KEY } from '../record-batch.ts';
import type { EndpointLog } from '../kafka/endpoint-log.ts';
import { JournalTopics, TOPIC_COMMANDS, TOPIC_EVENTS, type TopicName } from '../kafka/log/journal-topics.ts';
import type { TopicLog } from '../kafka/log/topic-log.ts';
import { findShippedEnd } from './resume.ts';
import { EVENT_INDEX_HEADER_KEY, shippedRecords } from './shipped-records.ts';

/** Records per produce request (one batch each; the default and the most allowed), and the journal bytes read to build it. */
export const SEND_RECORDS_MAX = 2_000;
export const SEND_READ_BYTES_MAX = 1024 * 1024;
/** With nothing to ship, the shipper sleeps until the journal advances or this passes. */
const IDLE_WAIT_MS = 1_000;
/** Progress is logged at most this often. */
const PROGRESS_LOG_INTERVAL_MS = 1_000;
/** The header whose value is the record's offset in the local log, per topic. */
const OFFSET_HEADER: Readonly<Record<TopicName, string>> = { [TOPIC_COMMANDS]: SEQ_HEADER_KEY, [TOPIC_EVENTS]: EVENT_INDEX_HEADER_KEY };

export interface ShipperOptions {
  readonly dataDir: string;
  readonly cluster: KafkaConfig;
  /** Target topic for each journal log. */
  readonly targets: Readonly<Record<TopicName, string>>;
  /** Off only for brokers without idempotence support (librdkafka's mock cluster in tests). */
  readonly idempotent: boolean;
  readonly allowAutoTopicCreation: boolean;
  /** At most SEND_RECORDS_MAX. */
  readonly sendRecordsMax: number;
  readonly log: EndpointLog;
}

interface Lane {
  readonly name: TopicName;
  readonly log: TopicLog;
  readonly target: string;
  offsetNext: number;
  shipped: number;
}

export class Shipper {
  readonly #topics: JournalTopics;
  readonly #producer: Producer;
  readonly #lanes: Lane[];
  readonly #log: EndpointLog;
  readonly #sendRecordsMax: number;
  #stopping = false;
  #progressLoggedMs = 0;
  #wake: () => void = () => undefined;
  readonly done: Promise<void>;

  private constructor(topics: JournalTopics, producer: Producer, lanes: Lane[], log: EndpointLog, sendRecordsMax: number) {
    this.#topics = topics;
    this.#sendRecordsMax = sendRecordsMax;
    this.#producer = producer;
    this.#lanes = lanes;
    this.#log = log;
    topics.onAdvance(() => this.#wake());
    this.done = this.#run();
  }

  static async start(options: ShipperOptions): Promise<Shipper> {
    const log = options.log;
    const kafka = new Kafka({
      ...options.cluster,
      logLevel: logLevel.WARN,
      logCreator: () => ({ level, log: entry }) => {
        if (level <= logLevel.ERROR) log.error({ kafkajs: entry }, 'kafkajs');
        else log.warn({ kafkajs: entry }, 'kafkajs');
      },
    });
    const topics = await JournalTopics.open(options.dataDir, log);
    try {
      const lanes: Lane[] = [];
      for (const name of [TOPIC_COMMANDS, TOPIC_EVENTS] as const) {
        const topicLog = topics.topic(name)!;
        const target = options.targets[name];
        const end = await findShippedEnd(kafka, target, OFFSET_HEADER[name]);
        if (end.lastShipped === null && end.highWatermark > 0) {
          throw new Error(`${target} has offsets up to ${end.highWatermark} but no records left to resume from; refusing to ship from the start again`);
        }
        const offsetNext = end.lastShipped === null ? topicLog.logStartOffset : end.lastShipped + 1;
        if (offsetNext < topicLog.logStartOffset) {
          throw new Error(`${name}: the journal starts at ${topicLog.logStartOffset} but ${target} ends at ${offsetNext - 1}; records in between are gone`);
        }
        log.info({ topic: name, target, offsetNext }, 'resuming');
        lanes.push({ name, log: topicLog, target, offsetNext, shipped: 0 });
      }
      // Every record names partition 0, so the partitioner never runs; naming it keeps kafkajs quiet.
      const producer = kafka.producer({
        idempotent: options.idempotent,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: options.allowAutoTopicCreation,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return new Shipper(topics, producer, lanes, log, options.sendRecordsMax);
    } catch (error) {
      await topics.close();
      throw error;
    }
  }

  /** Records shipped per journal log since start. */
  get shipped(): Readonly<Record<TopicName, number>> {
    return { [TOPIC_COMMANDS]: this.#lanes[0]!.shipped, [TOPIC_EVENTS]: this.#lanes[1]!.shipped };
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake();
    await this.done.catch(() => undefined);
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stopping) {
        let shippedAny = false;
        for (const lane of this.#lanes) if (await this.#shipSome(lane)) shippedAny = true;
        if (!shippedAny && !this.#stopping) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, IDLE_WAIT_MS);
            this.#wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } finally {
      await this.#producer.disconnect().catch(() => undefined);
      await this.#topics.close();
    }
  }

  async #shipSome(lane: Lane): Promise<boolean> {
    if (lane.offsetNext >= lane.log.highWatermark) return false;
    const batches = await lane.log.read(lane.offsetNext, SEND_READ_BYTES_MAX, true);
    const messages = shippedRecords(batches, lane.log.format, lane.offsetNext, this.#sendRecordsMax);
    if (messages.length === 0) return false;
    await this.#producer.send({ topic: lane.target, acks: -1, messages });
    lane.offsetNext += messages.length;
    lane.shipped += messages.length;
    if (performance.now() - this.#progressLoggedMs >= PROGRESS_LOG_INTERVAL_MS) {
      this.#progressLoggedMs = performance.now();
      this.#log.info({ shipped: this.shipped, offsetsNext: this.#lanes.map((each) => each.offsetNext) }, 'shipping');
    }
    return true;
  }
}
