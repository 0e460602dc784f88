// Where a restarted shipper continues: after the highest journal offset found in the headers of
// the last records of the target partition. The broker assigns its own offsets, so only the
// headers say what was shipped; records in flight when the shipper died are either there (and
// found here) or not, so each journal record ends up in the topic exactly once.

import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { readHeaderValue } from './shipped-records.ts';

/** How many records back from the end of the target partition are searched. */
export const RESUME_TAIL_RECORDS = 1000;
/** The tail read must finish within this (joining a group included). */
export const RESUME_TIMEOUT_MS = 60_000;
const PARTITION = 0;

export interface ShippedEnd {
  /** The highest header value found; null when the partition holds no records. */
  readonly lastShipped: number | null;
  /** The partition's end offset (records may have expired even when it is above 0). */
  readonly highWatermark: number;
}

async function partitionOffsets(kafka: Kafka, topic: string): Promise<{ low: number; high: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const partition = offsets.find((entry) => entry.partition === PARTITION);
    return { low: Number(partition?.low ?? 0), high: Number(partition?.high ?? 0) };
  } catch (error) {
    // A topic that does not exist yet has shipped nothing.
    if ((error as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return { low: 0, high: 0 };
    throw error;
  } finally {
    await admin.disconnect();
  }
}

export async function findShippedEnd(kafka: Kafka, topic: string, headerKey: string): Promise<ShippedEnd> {
  const { low, high } = await partitionOffsets(kafka, topic);
  if (high <= low) return { lastShipped: null, highWatermark: high };
  const consumer = kafka.consumer({ groupId: `journal-shipper-resume-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    let lastShipped = -1;
    let reachedEnd: () => void = () => undefined;
    const tailRead = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading the tail of ${topic} took over ${RESUME_TIMEOUT_MS} ms`)), RESUME_TIMEOUT_MS);
      reachedEnd = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (partition !== PARTITION) return;
        const value = readHeaderValue(message.headers?.[headerKey] as Buffer | undefined);
        if (Number.isSafeInteger(value)) lastShipped = Math.max(lastShipped, value);
        if (Number(message.offset) >= high - 1) reachedEnd();
      },
    });
    // kafkajs accepts a seek only once the consumer runs.
    consumer.seek({ topic, partition: PARTITION, offset: String(Math.max(low, high - RESUME_TAIL_RECORDS)) });
    await tailRead;
    if (lastShipped < 0) throw new Error(`the last ${RESUME_TAIL_RECORDS} records of ${topic} carry no ${headerKey} header: not written by this shipper`);
    return { lastShipped, highWatermark: high };
  } finally {
    await consumer.disconnect();
  }
}
