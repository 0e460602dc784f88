// Login tokens: JWTs verified with jose (HS256 with a shared secret, ES256 with a public key),
// carrying the account (`sub`) and its roles. Expiry is required. A failure is a code, not a throw.
import { importSPKI, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';

export const Role = { TRADER: 'trader', MARKET_DATA: 'market_data', ADMIN: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];
const ROLES = new Set<string>(Object.values(Role));
const ACCOUNT_PATTERN = /^[A-Za-z0-9._:@-]{1,32}$/;
/** Tolerated clock difference between the token issuer and this server. */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface Identity {
  readonly account: string;
  readonly roles: readonly Role[];
}

export type Verified = { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly reason: 'expired' | 'invalid'; readonly message: string };

export interface TokenKeys {
  readonly hs256Secret: string | undefined;
  readonly es256PublicKeyPem: string | undefined;
}

export class TokenVerifier {
  private constructor(private readonly hs256: Uint8Array | undefined, private readonly es256: CryptoKey | undefined) {}

  static async create(keys: TokenKeys): Promise<TokenVerifier> {
    const hs256 = keys.hs256Secret === undefined ? undefined : new TextEncoder().encode(keys.hs256Secret);
    const es256 = keys.es256PublicKeyPem === undefined ? undefined : await importSPKI(keys.es256PublicKeyPem, 'ES256');
    return new TokenVerifier(hs256, es256);
  }

  async verify(token: string): Promise<Verified> {
    const alg = headerAlg(token);
    const key = alg === 'HS256' ? this.hs256 : alg === 'ES256' ? this.es256 : undefined;
    if (key === undefined) return { ok: false, reason: 'invalid', message: `token algorithm ${alg ?? 'unreadable'} is not accepted here` };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: [alg as string], clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'sub'] }));
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid', message: `token rejected: ${(e as Error).message}` };
    }
    return identityOf(payload);
  }
}

function headerAlg(token: string): string | undefined {
  const header = token.split('.')[0];
  if (header === undefined || header.length > 512) return undefined;
  try {
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

function identityOf(payload: JWTPayload): Verified {
  const account = payload.sub;
  const roles = payload['roles'];
  if (typeof account !== 'string' || !ACCOUNT_PATTERN.test(account)) return { ok: false, reason: 'invalid', message: 'token sub must be an account name' };
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && ROLES.has(r))) {
    return { ok: false, reason: 'invalid', message: `token roles must be a non-empty list of ${[...ROLES].join(', ')}` };
  }
  return { ok: true, identity: { account, roles: roles as Role[] } };
}
