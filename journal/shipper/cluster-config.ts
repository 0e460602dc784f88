// How the shipper reaches the target cluster: brokers, TLS and SASL (PLAIN, SCRAM or MSK IAM),
// turned into a kafkajs configuration. Secrets come from the environment, never from arguments
// (which other users can read in the process list).

import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { credentialsFromEnvironment, mskIamToken } from './msk-iam.ts';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'aws-msk-iam'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface ClusterOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers (MSK's TLS listeners, ports 9094/9096/9098). */
  readonly tls: boolean;
  /** A PEM bundle to trust instead of the system's CAs. */
  readonly tlsCaPath?: string;
  readonly sasl?: SaslMechanism;
  /** For aws-msk-iam. */
  readonly awsRegion?: string;
}

function saslOptions(options: ClusterOptions, env: NodeJS.ProcessEnv): SASLOptions | undefined {
  const mechanism = options.sasl;
  if (mechanism === undefined) return undefined;
  if (mechanism === 'aws-msk-iam') {
    const region = options.awsRegion ?? env['AWS_REGION'];
    if (region === undefined) throw new Error('aws-msk-iam needs --aws-region or AWS_REGION');
    return { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: mskIamToken(region, credentialsFromEnvironment(env), new Date()) }) };
  }
  const username = env['KAFKA_SASL_USERNAME'];
  const password = env['KAFKA_SASL_PASSWORD'];
  if (username === undefined || password === undefined) throw new Error(`SASL ${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  return { mechanism, username, password };
}

export function kafkaConfig(options: ClusterOptions, env: NodeJS.ProcessEnv): KafkaConfig {
  const sasl = saslOptions(options, env);
  const ssl = options.tlsCaPath === undefined ? options.tls : { ca: [readFileSync(options.tlsCaPath, 'utf8')] };
  if (sasl !== undefined && !options.tls && options.sasl === 'aws-msk-iam') throw new Error('MSK IAM listeners require TLS (--tls)');
  return { clientId: options.clientId, brokers: [...options.brokers], ssl, ...(sasl === undefined ? {} : { sasl }) };
}
