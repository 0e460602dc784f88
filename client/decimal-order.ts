// Ordering of decimal strings for the local book, without floats: the protocol's decimals are
// canonical (no sign, no leading zeros), so after dropping trailing fraction zeros equal numbers are
// equal strings and comparing lengths, then digits, orders them.

/** The one spelling of a decimal: no trailing fraction zeros ("1.50" and "1.5" are both "1.5"). */
export function normalizeDecimal(text: string): string {
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

/** Negative, zero or positive as a is below, equal to or above b (both normalized). */
export function compareDecimals(a: string, b: string): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  if (aWhole.length !== bWhole.length) return aWhole.length - bWhole.length;
  if (aWhole !== bWhole) return aWhole < bWhole ? -1 : 1;
  const width = Math.max(aFraction.length, bFraction.length);
  const x = aFraction.padEnd(width, '0');
  const y = bFraction.padEnd(width, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}
