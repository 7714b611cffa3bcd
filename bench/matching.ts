import { execFile } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { estimateModel, matchRecords, type BrokerRecord, type Click } from '../activities/match';
import { sniffFile } from '../activities/ingest/sniff';
import { lookupCountry } from '../activities/normalize/countries';
import { parseClickTime, parseEpochSeconds } from '../activities/normalize/fields';
import { SOURCES, type SourceSpec } from '../activities/sources';
import { MIB, procStatusBytes } from './memory';

export interface MatchingBench {
  /** What was matched in one call: the whole generated period, the worst case for memory. */
  mode: 'all days at once';
  clicks: number;
  brokers: number;
  candidatePairs: number;
  matched: number;
  loadSeconds: number;
  estimateSeconds: number;
  matchSeconds: number;
  /** Candidate pairs per second of estimateModel + matchRecords. */
  pairsPerSecond: number;
  /** Peak RSS of the benchmark process, parsed data included. */
  peakRssMiB: number;
  /** RSS with the data loaded, before matching. */
  loadedRssMiB: number;
}

/**
 * Runs the matching benchmark in a process of its own, so its peak RSS is matching's alone and
 * not the orchestrating benchmark's.
 */
export function benchMatchingInChild(conversionsPath: string, brokerPath: string): Promise<MatchingBench> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [__filename, conversionsPath, brokerPath], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`matching benchmark failed: ${err.message} ${stderr.trim()}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as MatchingBench);
    });
  });
}

async function benchMatching(conversionsPath: string, brokerPath: string): Promise<MatchingBench> {
  let t = process.hrtime.bigint();
  const lap = () => {
    const now = process.hrtime.bigint();
    const s = Number(now - t) / 1e9;
    t = now;
    return s;
  };
  const clicks = await loadClicks(conversionsPath);
  const brokers = await loadBrokers(brokerPath);
  const loadSeconds = lap();
  const loadedRssMiB = process.memoryUsage().rss / MIB;
  const model = estimateModel(clicks, brokers);
  const estimateSeconds = lap();
  const result = matchRecords(clicks, brokers, model);
  const matchSeconds = lap();
  return {
    mode: 'all days at once',
    clicks: clicks.length,
    brokers: brokers.length,
    candidatePairs: result.candidatePairs,
    matched: result.pairs.length,
    loadSeconds,
    estimateSeconds,
    matchSeconds,
    pairsPerSecond: result.candidatePairs / (estimateSeconds + matchSeconds),
    peakRssMiB: (procStatusBytes('self', 'VmHWM') ?? process.memoryUsage().rss) / MIB,
    loadedRssMiB,
  };
}

/** The typed fields matching needs, read the way normalize reads them; a fan-out click counts once. */
async function loadClicks(filePath: string): Promise<Click[]> {
  const clicks: Click[] = [];
  const seen = new Set<string>();
  await eachRow(filePath, SOURCES.conversions, (get) => {
    const id = get('id');
    const time = parseClickTime(get('created_at'));
    if (seen.has(id) || !time.ok) return;
    seen.add(id);
    clicks.push({ id, t: time.value.getTime() / 1000, country: lookupCountry(get('country_name'), 'web-analytics').code });
  });
  return clicks;
}

async function loadBrokers(filePath: string): Promise<BrokerRecord[]> {
  const brokers: BrokerRecord[] = [];
  await eachRow(filePath, SOURCES.broker, (get, lineNo) => {
    const time = parseEpochSeconds(get('timestamp'));
    if (!time.ok) return;
    brokers.push({
      id: `line-${lineNo}`,
      t: time.value.getTime() / 1000,
      ip: lookupCountry(get('ip_country'), 'iso-3166').code,
      residency: lookupCountry(get('country_residency'), 'free-text').code,
    });
  });
  return brokers;
}

async function eachRow(filePath: string, spec: SourceSpec, row: (get: (column: string) => string, lineNo: number) => void): Promise<void> {
  const { delimiter, columnIndex } = await sniffFile(filePath, spec);
  const index = new Map(spec.columns.map((c, i) => [c, columnIndex[i]]));
  const lines = readline.createInterface({ input: fs.createReadStream(filePath), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    if (++lineNo === 1 || line === '') continue;
    const fields = line.split(delimiter);
    row((column) => fields[index.get(column)!] ?? '', lineNo);
  }
}

if (require.main === module) {
  const [conversionsPath, brokerPath] = process.argv.slice(2);
  benchMatching(conversionsPath, brokerPath).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
