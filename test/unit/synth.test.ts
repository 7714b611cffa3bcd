import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupCountry } from '../../activities/normalize/countries';
import { CALIBRATION } from '../../synth/calibration';
import { generate, PLANTED_EFFECTS, type GenerateOptions, type GenerateSummary } from '../../synth/generate';
import { readSample } from '../fixtures/sample';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let runs = 0;
const run = (opts: Omit<GenerateOptions, 'outDir'>) => generate({ outDir: path.join(root, `run${runs++}`), ...opts });

const CONVERSIONS_HEADER = 'id;session_id;country_name;is_mobile;ui_element;created_at;measurement_category';
const BROKER_HEADER = 'timestamp,country_residency,ip_country,important_score';
const LAGS = CALIBRATION.broker.lagSeconds.map(([lag]) => lag);

/**
 * Rows of a generated CSV after checking the header, CRLF line ends and every row against
 * `valid` (field count included). Bad rows are collected for one assertion: an `expect` per
 * value would make the test slower than the generator.
 */
function readCsv(file: string, header: string, sep: string, valid: RegExp[]): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.endsWith('\r\n'), file).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  expect(lines[0]).toBe(header);
  const rows = lines.slice(1).map((line) => line.split(sep));
  const bad = rows.filter((row) => row.length !== valid.length || row.some((v, i) => !valid[i].test(v)));
  expect(bad.map((row) => row.join(sep)), file).toEqual([]);
  return rows;
}

const ANY = /^[^\r\n]*$/;
const CONVERSION_FIELDS = [/^\d+$/, /^\d+$/, ANY, /^[01]$/, ANY, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, ANY];
const BROKER_FIELDS = [/^\d+$/, ANY, ANY, /^(0|10|[1-9]\d|100|#REF!)$/];
const TRUTH_FIELDS = [/^\d+$/, /^(\d{4}-\d{2}-\d{2}\/)?broker_data\.csv$/, /^\d+$/];

interface Click { id: string; session: string; country: string; mobile: string; ui: string; t: number; mc: string }
interface Broker { t: number; residency: string; ip: string; score: string }

/** A generated data set read back: clicks by id (a fan-out id once), broker rows by `file:line`, truth rows. */
function load(summary: GenerateSummary) {
  const dir = summary.outDir;
  const files = (name: string) => summary.files.filter((f) => path.basename(f) === name);
  const clicks = new Map<string, Click>();
  for (const f of files('brokerchooser_conversions.csv')) {
    for (const [id, session, country, mobile, ui, createdAt, mc] of readCsv(path.join(dir, f), CONVERSIONS_HEADER, ';', CONVERSION_FIELDS)) {
      if (!clicks.has(id)) clicks.set(id, { id, session, country, mobile, ui, t: Date.parse(`${createdAt.replace(' ', 'T')}Z`) / 1000, mc });
    }
  }
  const brokers = new Map<string, Broker>();
  for (const f of files('broker_data.csv')) {
    readCsv(path.join(dir, f), BROKER_HEADER, ',', BROKER_FIELDS).forEach(([t, residency, ip, score], i) => {
      brokers.set(`${f}:${i + 2}`, { t: Number(t), residency, ip, score });
    });
  }
  const truth = readCsv(path.join(dir, 'truth.csv'), 'conversion_id,broker_file,broker_line', ',', TRUTH_FIELDS)
    .map(([id, file, line]) => ({ click: clicks.get(id) as Click, broker: brokers.get(`${file}:${line}`) as Broker, id, file }));
  return { clicks: [...clicks.values()], brokers: [...brokers.values()], truth };
}

const share = <T>(xs: T[], pred: (x: T) => boolean) => xs.filter(pred).length / xs.length;
const highRate = (pairs: { broker: Broker }[]) => share(pairs.filter((p) => p.broker.score !== '#REF!'), (p) => p.broker.score !== '0');

describe('synthetic data generator', () => {
  let sample: GenerateSummary;
  let data: ReturnType<typeof load>;
  beforeAll(async () => {
    sample = await run({ days: 3, scale: 3, seed: 7 });
    data = load(sample);
  });

  it('is reproducible: same options give byte-identical files, another seed other data', async () => {
    const [a, b, c] = await Promise.all([run({ days: 3, seed: 5 }), run({ days: 3, seed: 5 }), run({ days: 3, seed: 6 })]);
    expect(a.files).toEqual(b.files);
    for (const f of a.files) expect(fs.readFileSync(path.join(b.outDir, f)).equals(fs.readFileSync(path.join(a.outDir, f))), f).toBe(true);
    const conversions = (s: GenerateSummary) => fs.readFileSync(path.join(s.outDir, 'brokerchooser_conversions.csv'), 'utf8');
    expect(conversions(c)).not.toBe(conversions(a));
  });

  it('writes the real formats: headers, separators, CRLF, parseable values, the broker file sorted by time', () => {
    expect(sample.files).toEqual(['broker_data.csv', 'brokerchooser_conversions.csv', 'page_category_mapping.csv', 'truth.csv']);
    expect(sample.clicks).toBe(data.clicks.length);
    expect(sample.brokerRecords).toBe(data.brokers.length);
    const start = Date.parse('2024-04-01T00:00:00Z') / 1000;
    expect(data.clicks.every((c) => c.t >= start && c.t < start + 3 * 86400)).toBe(true);
    const ids = data.clicks.map((c) => Number(c.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    expect(data.brokers.every((b, i) => i === 0 || b.t >= data.brokers[i - 1].t)).toBe(true);
    expect(data.brokers.every((b) => b.t >= start && b.t < start + 3 * 86400)).toBe(true);
  });

  it('writes the real page category mapping byte for byte', () => {
    expect(fs.readFileSync(path.join(sample.outDir, 'page_category_mapping.csv'), 'utf8')).toBe(readSample('mapping'));
  });

  it('repeats a fan-out click as a second row with the same id', () => {
    const text = fs.readFileSync(path.join(sample.outDir, 'brokerchooser_conversions.csv'), 'utf8').split('\r\n');
    const westBank = text.filter((l) => l.split(';')[2] === 'West Bank');
    expect(westBank.length).toBeGreaterThan(0);
    for (const row of westBank) expect(text[text.indexOf(row) + 1]).toBe(row.replace(';West Bank;', ';Gaza Strip;'));
  });

  it('names each country in all three schemes so that one ISO code resolves from each name', () => {
    for (const c of CALIBRATION.countries) {
      const brokerNames = [...Object.keys(c.ip), ...Object.keys(c.residency)];
      const click = c.click ?? c.code;
      expect(lookupCountry(click, 'web-analytics').code, click).toBe(c.code);
      for (const name of Object.keys(c.ip)) expect(lookupCountry(name, 'iso-3166').code, name).toBe(c.code);
      for (const name of Object.keys(c.residency)) expect(lookupCountry(name, 'free-text').code, name).toBe(c.code);
      expect(c.click ?? '').not.toContain(';');
      for (const name of brokerNames) expect(name).not.toContain(',');
    }
    for (const [v] of [...CALIBRATION.clicks.uiElements, ...CALIBRATION.clicks.measurementCategories]) expect(v).not.toContain(';');
  });

  it('truth points at existing broker lines, one-to-one, with a calibrated lag', () => {
    expect(data.truth.length).toBe(sample.truePairs);
    expect(data.truth.length).toBeGreaterThan(0.9 * data.brokers.length);
    expect(new Set(data.truth.map((p) => p.id)).size).toBe(data.truth.length);
    expect(new Set(data.truth.map((p) => p.broker)).size).toBe(data.truth.length);
    expect(data.truth.filter((p) => !p.click || !p.broker || !LAGS.includes(p.broker.t - p.click.t))).toEqual([]);
  });

  it('lands near the calibrated rates', () => {
    const { clicks, brokers, truth } = data;
    const mapped = new Set(CALIBRATION.mapping.map(([, mc]) => mc));
    const lagShare = (lag: number) => share(truth, (p) => p.broker.t - p.click.t === lag);
    const lagCount = (lag: number) => CALIBRATION.broker.lagSeconds.find(([l]) => l === lag)?.[1] ?? 0;
    const lagTotal = CALIBRATION.broker.lagSeconds.reduce((s, [, n]) => s + n, 0);
    const ipCode = (name: string) => lookupCountry(name, 'iso-3166').code;
    const clickCode = (name: string) => lookupCountry(name, 'web-analytics').code;
    expect(share(clicks, (c) => c.mobile === '1')).toBeCloseTo(CALIBRATION.clicks.mobileShare, 1);
    expect(Math.abs(lagShare(0) - lagCount(0) / lagTotal)).toBeLessThan(0.03);
    expect(Math.abs(lagShare(1) - lagCount(1) / lagTotal)).toBeLessThan(0.03);
    expect(Math.abs(share(brokers, (b) => b.score === '#REF!') - CALIBRATION.broker.refScoreShare)).toBeLessThan(0.005);
    expect(Math.abs(share(clicks, (c) => !mapped.has(c.mc)) - 0.0757)).toBeLessThan(0.01);
    const disagree = share(truth, (p) => p.broker.ip !== '' && p.broker.ip !== '-' && ipCode(p.broker.ip) !== clickCode(p.click.country));
    expect(disagree).toBeGreaterThan(0.01);
    expect(disagree).toBeLessThan(0.04);
    expect(share(brokers, (b) => b.residency !== '')).toBeCloseTo(CALIBRATION.broker.residencyShare, 1);
    expect(truth.length / clicks.length).toBeGreaterThan(0.9);
  });

  it('landing layout: the same data, each broker record in the folder of its own timestamp', async () => {
    const landing = await run({ days: 3, scale: 3, seed: 7, layout: 'landing' });
    expect(landing.files).toContain('2024-04-03/broker_data.csv');
    expect(landing.files).toContain('2024-04-01/brokerchooser_conversions.csv');
    const l = load(landing);
    expect(l.clicks).toEqual(data.clicks);
    expect(l.brokers).toEqual(data.brokers);
    const dayOf = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
    expect(l.truth.length).toBe(data.truth.length);
    expect(l.truth.filter((p) => !p.click || !p.broker || !LAGS.includes(p.broker.t - p.click.t))).toEqual([]);
    expect(l.truth.filter((p) => p.file !== `${dayOf(p.broker.t)}/broker_data.csv`)).toEqual([]);
    for (const f of landing.files.filter((f) => f.endsWith('/broker_data.csv'))) {
      const times = readCsv(path.join(landing.outDir, f), BROKER_HEADER, ',', BROKER_FIELDS).map(([t]) => Number(t));
      expect(times.filter((t) => dayOf(t) !== f.slice(0, 10))).toEqual([]);
    }
  });

  it('scales the volume', async () => {
    const [one, two] = await Promise.all([run({ days: 3, seed: 3 }), run({ days: 3, seed: 3, scale: 2 })]);
    expect(two.clicks / one.clicks).toBeGreaterThan(1.8);
    expect(two.clicks / one.clicks).toBeLessThan(2.2);
    expect(two.brokerRecords / one.brokerRecords).toBeGreaterThan(1.7);
    expect(two.brokerRecords / one.brokerRecords).toBeLessThan(2.3);
  });

  it('plants the exported effects, and none with effects: none', async () => {
    const [planted, none] = await Promise.all([run({ days: 7, scale: 4, seed: 11 }), run({ days: 7, scale: 4, seed: 11, effects: 'none' })]);
    const measure = (s: GenerateSummary) => {
      const { clicks, truth } = load(s);
      const recorded = new Set(truth.map((p) => p.id));
      const [device, page, ui] = PLANTED_EFFECTS;
      const pageMc = CALIBRATION.mapping.find(([p]) => p === page.group)?.[1];
      const recordRate = (inGroup: boolean) => share(clicks.filter((c) => (c.mc === pageMc) === inGroup), (c) => recorded.has(c.id));
      return {
        device: [highRate(truth.filter((p) => p.click.mobile === '0')), highRate(truth.filter((p) => p.click.mobile === '1'))],
        page: [recordRate(true), recordRate(false)],
        ui: [highRate(truth.filter((p) => p.click.ui === ui.group)), highRate(truth.filter((p) => p.click.ui !== ui.group))],
        expected: { device: [device.rate, device.baselineRate], page: [page.rate, page.baselineRate], ui: [ui.rate, ui.baselineRate] },
      };
    };
    const p = measure(planted);
    for (const key of ['device', 'page', 'ui'] as const) {
      expect(Math.abs(p[key][0] - p.expected[key][0]) / p.expected[key][0], key).toBeLessThan(0.35);
      expect(Math.abs(p[key][1] - p.expected[key][1]) / p.expected[key][1], key).toBeLessThan(0.2);
    }
    expect(p.device[0] / p.device[1]).toBeGreaterThan(1.5);
    expect(p.page[0] - p.page[1]).toBeGreaterThan(0.02);
    expect(p.ui[0] / p.ui[1]).toBeLessThan(0.5);

    const n = measure(none);
    expect(n.device[0] / n.device[1]).toBeGreaterThan(0.7);
    expect(n.device[0] / n.device[1]).toBeLessThan(1.4);
    expect(Math.abs(n.page[0] - n.page[1])).toBeLessThan(0.02);
    expect(n.ui[0] / n.ui[1]).toBeGreaterThan(0.6);
    expect(n.ui[0] / n.ui[1]).toBeLessThan(1.6);
  });
});
