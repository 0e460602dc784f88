// `npm run ship -- --data-dir DIR --brokers HOST:PORT[,HOST:PORT...] [options]`: ships the
// journal's commands and events to a Kafka cluster until SIGTERM or SIGINT (see docs/kafka.md).
// Secrets come from the environment: KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD for PLAIN and
// SCRAM, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN for MSK IAM. Logs are pino
// JSON lines on stdout. Exit codes: 0 after a signal, 1 on failure, 2 on bad arguments.

import { parseArgs } from 'node:util';
import pino from 'pino';
import { SASL_MECHANISMS, kafkaConfig, type SaslMechanism } from './cluster-config.ts';
import { SEND_RECORDS_MAX, Shipper } from './shipper.ts';

const USAGE = `usage: npm run ship -- --data-dir DIR --brokers HOST:PORT[,HOST:PORT...]
    [--topic-commands commands] [--topic-events events] [--client-id journal-shipper]
    [--tls] [--tls-ca CA.pem] [--sasl ${SASL_MECHANISMS.join('|')}] [--aws-region REGION]
    [--no-idempotence] [--auto-create-topics] [--send-records-max 2000] [--log-level info]`;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      brokers: { type: 'string' },
      'topic-commands': { type: 'string', default: 'commands' },
      'topic-events': { type: 'string', default: 'events' },
      'client-id': { type: 'string', default: 'journal-shipper' },
      tls: { type: 'boolean', default: false },
      'tls-ca': { type: 'string' },
      sasl: { type: 'string' },
      'aws-region': { type: 'string' },
      'no-idempotence': { type: 'boolean', default: false },
      'auto-create-topics': { type: 'boolean', default: false },
      'send-records-max': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  const dataDir = values['data-dir'];
  const brokers = values.brokers?.split(',').filter((broker) => broker !== '');
  if (dataDir === undefined || brokers === undefined || brokers.length === 0) throw new Error('--data-dir and --brokers are required');
  const sasl = values.sasl;
  if (sasl !== undefined && !(SASL_MECHANISMS as readonly string[]).includes(sasl)) throw new Error(`--sasl must be one of ${SASL_MECHANISMS.join(', ')}`);
  const sendText = values['send-records-max'];
  const sendRecordsMax = sendText === undefined ? SEND_RECORDS_MAX : Number(sendText);
  if (!/^\d+$/.test(sendText ?? '1') || sendRecordsMax < 1 || sendRecordsMax > SEND_RECORDS_MAX) throw new Error(`--send-records-max must be an integer in [1, ${SEND_RECORDS_MAX}]`);
  return { values, dataDir, brokers, sendRecordsMax, sasl: sasl as SaslMechanism | undefined };
}

async function main(argv: readonly string[]): Promise<void> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`ship: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const { values, dataDir, brokers, sendRecordsMax, sasl } = parsed;
  const log = pino({ level: values['log-level'], base: { service: 'journal-shipper' } });
  let shipper: Shipper;
  try {
    const tlsCaPath = values['tls-ca'];
    const awsRegion = values['aws-region'];
    const cluster = kafkaConfig(
      {
        brokers,
        clientId: values['client-id'],
        tls: values.tls || tlsCaPath !== undefined,
        ...(tlsCaPath === undefined ? {} : { tlsCaPath }),
        ...(sasl === undefined ? {} : { sasl }),
        ...(awsRegion === undefined ? {} : { awsRegion }),
      },
      process.env,
    );
    shipper = await Shipper.start({
      dataDir,
      cluster,
      targets: { commands: values['topic-commands'], events: values['topic-events'] },
      idempotent: !values['no-idempotence'],
      allowAutoTopicCreation: values['auto-create-topics'],
      sendRecordsMax,
      log,
    });
  } catch (error) {
    log.error({ err: error }, 'failed to start');
    process.exitCode = EXIT_FAILURE;
    return;
  }
  if (values['no-idempotence']) log.warn('idempotence is OFF: a retried produce request may duplicate records; use only with brokers that lack it');
  log.info({ brokers }, 'started');
  let stopping = false;
  const stop = (signal: string): void => {
    stopping = true;
    log.info({ signal, shipped: shipper.shipped }, 'stopping');
    void shipper.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  shipper.done.then(
    () => undefined,
    (error: unknown) => {
      if (stopping) return;
      log.error({ err: error }, 'shipping failed; a restart resumes where the target ends');
      process.exit(EXIT_FAILURE);
    },
  );
}

await main(process.argv.slice(2));
