// `npm run token -- --account A --roles trader[,market_data,admin] [--ttl-seconds N]`: prints a login
// token (JWT, HS256) signed with JWT_SECRET from the environment.
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

const DEFAULT_TTL_SECONDS = 24 * 3600;

const usage = 'usage: JWT_SECRET=... npm run token -- --account A --roles trader[,market_data,admin] [--ttl-seconds N]';
let values;
try {
  ({ values } = parseArgs({ options: { account: { type: 'string' }, roles: { type: 'string' }, 'ttl-seconds': { type: 'string' } } }));
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
const secret = process.env['JWT_SECRET'];
const ttlSeconds = Number(values['ttl-seconds'] ?? DEFAULT_TTL_SECONDS);
if (values.account === undefined || values.roles === undefined || secret === undefined || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
  console.error(usage);
  process.exit(2);
}
const token = await new SignJWT({ roles: values.roles.split(',') })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.account)
  .setIssuedAt()
  .setExpirationTime(Math.floor(Date.now() / 1_000) + ttlSeconds)
  .sign(new TextEncoder().encode(secret));
console.log(token);
