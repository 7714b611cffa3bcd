import { esc } from './escape';

/**
 * Charts as inline SVG strings, drawn when the report is built: the report loads nothing at
 * view time and prints the same in Chromium's PDF. Data marks (class "mark") are coloured and
 * text is grey, so a rendered chart's colour shows it has data (test/integration/report.test.ts looks).
 */

const COLORS = {
  bar: '#4c78c0',
  higher: '#2f855a',
  lower: '#c05621',
  series: ['#3182ce', '#dd6b20', '#38a169', '#805ad5'],
  ink: '#1a202c',
  muted: '#718096',
  grid: '#e2e8f0',
  band: '#edf2f7',
};

const WIDTH = 720;
const FONT = `font-family="Helvetica, Arial, sans-serif" font-size="11"`;
/** Average glyph width at 11px, for fitting labels into their column. */
const CHAR_WIDTH = 6;

function clip(label: string, width: number): string {
  const max = Math.max(4, Math.floor(width / CHAR_WIDTH));
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function svg(height: number, title: string, body: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" style="max-width:${WIDTH}px" ` +
    `role="img" aria-label="${esc(title)}" ${FONT}><title>${esc(title)}</title>${body.join('')}</svg>`
  );
}

const fixed = (n: number) => Number(n.toFixed(1));

/** Axis ticks from 0 in steps of 1, 2, 2.5 or 5 times a power of ten, so their labels read well. */
export function niceTicks(max: number, count = 4): number[] {
  const top = max > 0 ? max : 1;
  const raw = top / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => Math.ceil(top / s - 1e-9) <= count + 1)!;
  return Array.from({ length: Math.ceil(top / step - 1e-9) + 1 }, (_, k) => Number((k * step).toPrecision(12)));
}

export type Tone = 'bar' | 'higher' | 'lower';

export interface Bar {
  value: number;
  ci?: [number, number];
  tone?: Tone;
}

export interface Panel {
  title: string;
  /** One per row; null leaves the row empty in this panel. */
  bars: (Bar | null)[];
  format: (v: number) => string;
  /** A dashed reference line, e.g. the rate over all clicks. */
  reference?: number;
}

/**
 * Horizontal bars, one row per label, in one or more side-by-side panels sharing the labels
 * (a group's three rates next to each other). Whiskers show confidence intervals. Taller rows
 * suit a chart of few bars shown large (a finding on a slide).
 */
export function hbars(title: string, labels: readonly string[], panels: readonly Panel[], rowH = 18): string {
  const top = 26;
  const labelW = panels.length === 1 ? 330 : 190;
  const gap = 18;
  const valueW = panels.length === 1 ? 70 : 0;
  const panelW = (WIDTH - labelW - gap * panels.length - valueW) / panels.length;
  const height = top + rowH * labels.length + 8;
  const body: string[] = [];
  labels.forEach((label, i) => {
    const y = top + i * rowH + rowH / 2 + 4;
    body.push(`<text x="${labelW - 6}" y="${y}" text-anchor="end" fill="${COLORS.ink}"><title>${esc(label)}</title>${esc(clip(label, labelW - 10))}</text>`);
  });
  panels.forEach((panel, p) => {
    const x0 = labelW + gap / 2 + p * (panelW + gap);
    const max = niceTicks(Math.max(...panel.bars.flatMap((b) => (b ? [b.value, b.ci?.[1] ?? 0] : [])), panel.reference ?? 0)).at(-1)!;
    const sx = (v: number) => fixed(x0 + (v / max) * panelW);
    body.push(`<text x="${x0}" y="14" fill="${COLORS.ink}" font-weight="bold">${esc(panel.title)}</text>`);
    body.push(`<text x="${x0 + panelW}" y="14" text-anchor="end" fill="${COLORS.muted}">${esc(panel.format(max))}</text>`);
    body.push(`<line x1="${x0}" y1="${top - 4}" x2="${x0}" y2="${height - 6}" stroke="${COLORS.muted}"/>`);
    panel.bars.forEach((bar, i) => {
      if (!bar) return;
      const yTop = top + i * rowH + 3;
      const yMid = fixed(yTop + (rowH - 6) / 2);
      body.push(`<rect class="mark" x="${x0}" y="${yTop}" width="${fixed(sx(bar.value) - x0)}" height="${rowH - 6}" fill="${COLORS[bar.tone ?? 'bar']}"/>`);
      if (bar.ci) {
        const [a, b] = [sx(bar.ci[0]), sx(bar.ci[1])];
        body.push(`<path d="M${a} ${yMid}H${b}M${a} ${yMid - 4}V${yMid + 4}M${b} ${yMid - 4}V${yMid + 4}" stroke="${COLORS.ink}" fill="none"/>`);
      }
      if (valueW) body.push(`<text x="${x0 + panelW + 6}" y="${yMid + 4}" fill="${COLORS.ink}">${esc(panel.format(bar.value))}</text>`);
    });
    if (panel.reference !== undefined) {
      const x = sx(panel.reference);
      body.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 6}" stroke="${COLORS.ink}" stroke-dasharray="3 3"/>`);
    }
  });
  return svg(height, title, body);
}

export interface Series {
  name: string;
  values: (number | null)[];
}

/**
 * Daily lines over a shared x axis of days; `band` shades a span of days (the period both
 * sources cover). A null value breaks its line.
 */
export function lines(title: string, days: readonly string[], series: readonly Series[], format: (v: number) => string, band?: [number, number]): string {
  const [left, right, top, bottom] = [56, 12, 28, 24];
  const height = 220;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const max = ticks[ticks.length - 1];
  const sx = (i: number) => fixed(left + (days.length > 1 ? (i / (days.length - 1)) * plotW : plotW / 2));
  const sy = (v: number) => fixed(top + plotH - (v / max) * plotH);
  const body: string[] = [];
  if (band) body.push(`<rect x="${sx(band[0])}" y="${top}" width="${fixed(sx(band[1]) - sx(band[0]))}" height="${plotH}" fill="${COLORS.band}"/>`);
  for (const v of ticks) {
    body.push(`<line x1="${left}" y1="${sy(v)}" x2="${WIDTH - right}" y2="${sy(v)}" stroke="${COLORS.grid}"/>`);
    body.push(`<text x="${left - 6}" y="${sy(v) + 4}" text-anchor="end" fill="${COLORS.muted}">${esc(format(v))}</text>`);
  }
  const every = Math.max(1, Math.ceil(days.length / 9));
  days.forEach((d, i) => {
    if (i % every === 0) body.push(`<text x="${sx(i)}" y="${height - 6}" text-anchor="middle" fill="${COLORS.muted}">${esc(d.slice(5))}</text>`);
  });
  series.forEach((s, k) => {
    const color = COLORS.series[k % COLORS.series.length];
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) return void (pen = false);
      d += `${pen ? 'L' : 'M'}${sx(i)} ${sy(v)}`;
      pen = true;
    });
    body.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    // Single days would not show as a line: a dot per value keeps them visible.
    s.values.forEach((v, i) => v !== null && body.push(`<circle class="mark" cx="${sx(i)}" cy="${sy(v)}" r="2" fill="${color}"/>`));
    const lx = left + k * 180;
    body.push(`<rect x="${lx}" y="6" width="12" height="10" fill="${color}"/><text x="${lx + 16}" y="15" fill="${COLORS.ink}">${esc(s.name)}</text>`);
  });
  return svg(height, title, body);
}
