// The sweep's chart, written by hand as SVG: p50, p99 and p99.9 against offered rate for both
// durability modes, with the bare echo p99 and the physical floor (echo p99 + fdatasync p99), on
// log-log axes.
import type { RateRow } from './sweep-summary.ts';

const WIDTH = 880;
const HEIGHT = 520;
const MARGIN = { left: 70, right: 230, top: 40, bottom: 50 } as const;
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const Y_TICKS_US = [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

export interface Line {
  readonly label: string;
  readonly color: string;
  readonly dash: string;
  readonly widthPx: number;
  readonly points: readonly (readonly [rateHz: number, us: number])[];
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function usText(us: number): string {
  return us >= 1_000_000 ? `${us / 1_000_000} s` : us >= 1_000 ? `${us / 1_000} ms` : `${us} µs`;
}

function rateText(hz: number): string {
  return hz >= 1_000 ? `${hz / 1_000}k` : String(hz);
}

export function chartSvg(title: string, lines: readonly Line[], ratesHz: readonly number[]): string {
  const values = lines.flatMap((l) => l.points.map(([, us]) => us)).filter((us) => us > 0);
  const yMin = Math.max(1, 10 ** Math.floor(Math.log10(Math.min(...values))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const xMin = Math.min(...ratesHz);
  const xMax = Math.max(...ratesHz);
  const x = (hz: number): number => MARGIN.left + (xMax === xMin ? 0 : (Math.log(hz / xMin) / Math.log(xMax / xMin)) * PLOT_W);
  const y = (us: number): number => MARGIN.top + PLOT_H - (Math.log(Math.max(us, yMin) / yMin) / Math.log(yMax / yMin)) * PLOT_H;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#888"/>`,
  ];
  for (const us of Y_TICKS_US.filter((v) => v >= yMin && v <= yMax)) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${y(us).toFixed(1)}" y2="${y(us).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${(y(us) + 4).toFixed(1)}" text-anchor="end">${usText(us)}</text>`);
  }
  for (const hz of ratesHz) {
    out.push(`<line x1="${x(hz).toFixed(1)}" x2="${x(hz).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" stroke="#eee"/>`);
    out.push(`<text x="${x(hz).toFixed(1)}" y="${MARGIN.top + PLOT_H + 18}" text-anchor="middle">${rateText(hz)}</text>`);
  }
  out.push(`<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 10}" text-anchor="middle">offered rate (orders/s, log scale)</text>`);
  out.push(`<text transform="translate(16 ${MARGIN.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">latency, intended send to acknowledgement (log scale)</text>`);
  lines.forEach((line, i) => {
    const points = line.points.filter(([, us]) => us > 0).map(([hz, us]) => `${x(hz).toFixed(1)},${y(us).toFixed(1)}`).join(' ');
    const dash = line.dash === '' ? '' : ` stroke-dasharray="${line.dash}"`;
    out.push(`<polyline points="${points}" fill="none" stroke="${line.color}" stroke-width="${line.widthPx}"${dash}/>`);
    for (const [hz, us] of line.points) if (us > 0) out.push(`<circle cx="${x(hz).toFixed(1)}" cy="${y(us).toFixed(1)}" r="2.5" fill="${line.color}"/>`);
    const ly = MARGIN.top + 10 + i * 20;
    const lx = MARGIN.left + PLOT_W + 16;
    out.push(`<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="${line.widthPx}"${dash}/>`);
    out.push(`<text x="${lx + 34}" y="${ly + 4}">${escape(line.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The sweep's lines: both modes' percentiles, the echo p99 and the floor. */
export function sweepLines(fsync: readonly RateRow[], none: readonly RateRow[], echo: readonly RateRow[], fdatasyncUsP99: number): Line[] {
  const of = (rows: readonly RateRow[], figure: (r: RateRow) => number) => rows.map((r) => [r.rateHz, figure(r)] as const);
  return [
    { label: 'fsync p50', color: '#1f5fbf', dash: '', widthPx: 1.5, points: of(fsync, (r) => r.p50Us) },
    { label: 'fsync p99', color: '#1f5fbf', dash: '', widthPx: 3, points: of(fsync, (r) => r.p99Us) },
    { label: 'fsync p99.9', color: '#1f5fbf', dash: '6 3', widthPx: 1.5, points: of(fsync, (r) => r.p999Us) },
    { label: 'none p50', color: '#d9731a', dash: '', widthPx: 1.5, points: of(none, (r) => r.p50Us) },
    { label: 'none p99', color: '#d9731a', dash: '', widthPx: 3, points: of(none, (r) => r.p99Us) },
    { label: 'none p99.9', color: '#d9731a', dash: '6 3', widthPx: 1.5, points: of(none, (r) => r.p999Us) },
    { label: 'echo p99', color: '#555', dash: '', widthPx: 2, points: of(echo, (r) => r.p99Us) },
    { label: 'floor: echo p99 + fdatasync p99', color: '#000', dash: '2 3', widthPx: 2, points: of(echo, (r) => r.p99Us + fdatasyncUsP99) },
  ];
}
