// Field rules: each takes a decoded value of unknown shape and returns it typed (arrays copied) or an
// Invalid saying what the field must be. They never throw, whatever the input: validate.ts runs them
// on hostile frames.
import {
  BOOK_DEPTH_MAX, CODE_MAX, CODE_NAME_LENGTH_MAX, DECIMAL_LENGTH_MAX, EXPIRE_TIME_MS_MAX, NAME_LENGTH_MAX, REQUEST_ID_MAX,
  TOKEN_LENGTH_MAX, U32_MAX, U53_MAX,
} from './messages.ts';
import type { Decimal, PriceLevel } from './messages.ts';

/** Why a value is refused: the error it is answered with and what the field must be. */
export class Invalid {
  constructor(readonly error: 'BAD_FIELD' | 'BAD_DECIMAL', readonly expected: string) {}
}

export type Rule<T> = (value: unknown) => T | Invalid;

function integer(min: number, max: number, expected: string): Rule<number> {
  const invalid = new Invalid('BAD_FIELD', expected);
  return (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? value : invalid);
}

export const requestId = integer(0, REQUEST_ID_MAX, 'an integer in 0..4294967295');
export const u32 = integer(0, U32_MAX, 'an integer in 0..4294967295');
export const u53 = integer(0, U53_MAX, 'an integer in 0..2^53-1');
export const orderId = integer(1, U53_MAX, 'an integer in 1..2^53-1');
export const code = integer(0, CODE_MAX, 'an integer in 0..65535');
export const depth = integer(1, BOOK_DEPTH_MAX, `an integer in 1..${BOOK_DEPTH_MAX}`);
export const expireTimeMs = integer(0, EXPIRE_TIME_MS_MAX, `an integer in 0..${EXPIRE_TIME_MS_MAX}`);

const notBoolean = new Invalid('BAD_FIELD', 'true or false');
export const boolean: Rule<boolean> = (value) => (typeof value === 'boolean' ? value : notBoolean);

export function oneOf<T extends string>(names: readonly T[]): Rule<T> {
  const invalid = new Invalid('BAD_FIELD', `one of ${names.join(', ')}`);
  const set: ReadonlySet<unknown> = new Set(names);
  return (value) => (set.has(value) ? (value as T) : invalid);
}

function matching(pattern: RegExp, lengthMax: number, invalid: Invalid): Rule<string> {
  return (value) => (typeof value === 'string' && value.length <= lengthMax && pattern.test(value) ? value : invalid);
}

/** Symbols, assets, accounts and roles follow the core's name rule. */
export const name = matching(/^[A-Za-z0-9._:@-]+$/, NAME_LENGTH_MAX, new Invalid('BAD_FIELD', `1..${NAME_LENGTH_MAX} of letters, digits and ._:@-`));
export const token = matching(/^[\x21-\x7e]+$/, TOKEN_LENGTH_MAX, new Invalid('BAD_FIELD', `1..${TOKEN_LENGTH_MAX} printable ASCII characters`));
export const codeName = matching(/^[A-Z][A-Z0-9_]*$/, CODE_NAME_LENGTH_MAX, new Invalid('BAD_FIELD', `an upper-case name of 1..${CODE_NAME_LENGTH_MAX} of A-Z, 0-9 and _`));

export function text(lengthMax: number): Rule<string> {
  const invalid = new Invalid('BAD_FIELD', `a string of at most ${lengthMax} characters`);
  return (value) => (typeof value === 'string' && value.length <= lengthMax ? value : invalid);
}

/** The core's decimal syntax (engine/decimal.ts), so a decimal that passes here is never malformed there. */
const DECIMAL_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const ZERO_PATTERN = /^0(\.0+)?$/;

export const decimal = matching(DECIMAL_PATTERN, DECIMAL_LENGTH_MAX,
  new Invalid('BAD_DECIMAL', `a decimal string of at most ${DECIMAL_LENGTH_MAX} characters like "0", "12" or "12.5" (no sign, exponent or leading zero)`));

const notPositive = new Invalid('BAD_DECIMAL', `a positive decimal string of at most ${DECIMAL_LENGTH_MAX} characters like "12" or "0.5"`);
export const positiveDecimal: Rule<Decimal> = (value) => {
  const checked = decimal(value);
  return checked instanceof Invalid || ZERO_PATTERN.test(checked) ? notPositive : checked;
};

/** An array of at most `countMax` values that each pass `rule`, copied. */
export function list<T>(rule: Rule<T>, countMax: number, expected: string): Rule<readonly T[]> {
  const invalid = new Invalid('BAD_FIELD', `an array of at most ${countMax} ${expected}`);
  return (value) => {
    if (!Array.isArray(value) || value.length > countMax) return invalid;
    const out: T[] = [];
    for (const item of value) {
      const checked = rule(item);
      if (checked instanceof Invalid) return new Invalid(checked.error, `an array of at most ${countMax} ${expected}`);
      out.push(checked);
    }
    return out;
  };
}

/** A [price, qty] pair; a book update's qty may be "0" (the level is gone), a snapshot's may not. */
export function level(qty: Rule<Decimal>): Rule<PriceLevel> {
  const invalid = new Invalid('BAD_FIELD', 'a [price, qty] pair');
  return (value) => {
    if (!Array.isArray(value) || value.length !== 2) return invalid;
    const p = positiveDecimal(value[0]);
    if (p instanceof Invalid) return p;
    const q = qty(value[1]);
    if (q instanceof Invalid) return q;
    return [p, q];
  };
}

/** Characters of a refused string quoted in an error text, which must stay short whatever was sent. */
const QUOTED_LENGTH_MAX = 24;

/** A short, safe rendering of a refused value for an error text. */
export function describe(value: unknown): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value.length > QUOTED_LENGTH_MAX ? `${value.slice(0, QUOTED_LENGTH_MAX)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value} (out of range)`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'binary';
  return typeof value === 'object' ? 'a map' : typeof value;
}
