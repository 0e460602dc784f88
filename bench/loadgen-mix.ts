// The order mix: what share of requests are new passive limit orders near the touch, marketable
// orders, cancels and replaces, given as `--mix limit=50,marketable=15,cancel=25,replace=10` (weights).

export const MIX_KINDS = ['limit', 'marketable', 'cancel', 'replace'] as const;
export type MixKind = (typeof MIX_KINDS)[number];
/** Shares that sum to 1. */
export type Mix = Readonly<Record<MixKind, number>>;

export const MIX_DEFAULT_TEXT = 'limit=50,marketable=15,cancel=25,replace=10';

export function parseMix(text: string): Mix {
  const weights: Record<MixKind, number> = { limit: 0, marketable: 0, cancel: 0, replace: 0 };
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    const weight = Number(value);
    if (!(MIX_KINDS as readonly string[]).includes(name ?? '') || value === undefined || !Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`--mix takes kind=weight pairs of ${MIX_KINDS.join(', ')}, got ${JSON.stringify(part)}`);
    }
    weights[name as MixKind] = weight;
  }
  const total = MIX_KINDS.reduce((sum, kind) => sum + weights[kind], 0);
  if (total === 0 || weights.limit === 0) throw new RangeError('--mix needs a positive limit weight: cancels and replaces need resting orders');
  for (const kind of MIX_KINDS) weights[kind] /= total;
  return weights;
}

export function mixText(mix: Mix): string {
  return MIX_KINDS.map((kind) => `${kind}=${Math.round(mix[kind] * 100)}`).join(',');
}

/** A kind drawn with the mix's shares from a uniform number in [0, 1). */
export function kindAt(mix: Mix, uniform: number): MixKind {
  let left = uniform;
  for (const kind of MIX_KINDS) {
    if (left < mix[kind]) return kind;
    left -= mix[kind];
  }
  return 'limit';
}
