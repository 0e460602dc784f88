// `npm run kafka -- --data-dir DIR [--port 9092] [--host 127.0.0.1] [--advertised-host H]
// [--advertised-port P] [--state-dir D] [--visibility synced|written] [--log-level info]`: serves the journal in DIR to Kafka
// consumers until SIGTERM or SIGINT. Logs are pino JSON lines on stdout; the line with
// msg "listening" carries the bound host and port. Exit codes: 0 after a signal, 1 on failure,
// 2 on bad arguments.

import pino from 'pino';
import { UsageError, integerOption, parseCommandArgs, requiredOption } from '../cli-args.ts';
import { KafkaEndpoint } from './endpoint.ts';
import type { CommandVisibility } from './log/journal-topics.ts';

const USAGE = `usage: npm run kafka -- --data-dir DIR [--port 9092] [--host 127.0.0.1] [--advertised-host HOST]
                     [--advertised-port PORT] [--state-dir DIR/kafka] [--visibility synced|written] [--log-level info]`;
const PORT_DEFAULT = 9092;
const HOST_DEFAULT = '127.0.0.1';
const PORT_MAX = 65_535;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

async function main(argv: readonly string[]): Promise<void> {
  let options;
  try {
    options = parseCommandArgs(argv, 0, ['data-dir', 'port', 'host', 'advertised-host', 'advertised-port', 'state-dir', 'visibility', 'log-level']).options;
    requiredOption(options, 'data-dir');
    if (!['synced', 'written', undefined].includes(options['visibility'])) throw new UsageError('--visibility must be synced or written');
    for (const name of ['port', 'advertised-port']) if ((integerOption(options, name, 0) ?? 0) > PORT_MAX) throw new UsageError(`--${name} above ${PORT_MAX}`);
  } catch (error) {
    console.error(`kafka: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const log = pino({ level: options['log-level'] ?? 'info', base: { service: 'kafka-endpoint' } });
  const advertisedPort = integerOption(options, 'advertised-port', 1);
  const advertisedHost = options['advertised-host'];
  const stateDir = options['state-dir'];
  const visibility = options['visibility'] as CommandVisibility | undefined;
  let endpoint: KafkaEndpoint;
  try {
    endpoint = await KafkaEndpoint.start({
      dataDir: requiredOption(options, 'data-dir'),
      host: options['host'] ?? HOST_DEFAULT,
      port: integerOption(options, 'port', 0) ?? PORT_DEFAULT,
      log,
      ...(advertisedHost === undefined ? {} : { advertisedHost }),
      ...(advertisedPort === undefined ? {} : { advertisedPort }),
      ...(stateDir === undefined ? {} : { stateDir }),
      ...(visibility === undefined ? {} : { visibility }),
    });
  } catch (error) {
    log.error({ err: error }, 'failed to start');
    process.exitCode = EXIT_FAILURE;
    return;
  }
  // The ready line is printed whatever --log-level says: supervisors and tests wait for it.
  pino({ base: { service: 'kafka-endpoint' } }).info({ host: endpoint.host, port: endpoint.port }, 'listening');
  const stop = (signal: string): void => {
    log.info({ signal }, 'stopping');
    endpoint.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'failed to stop cleanly');
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main(process.argv.slice(2));
