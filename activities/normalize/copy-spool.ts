import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from '../db/copy';

const FLUSH_CHARS = 64 * 1024;

/**
 * Rows bound for a second table while the connection's one COPY carries the accepted rows:
 * spooled to a file as COPY lines, loaded after. A file, not memory, because a bad delivery
 * can be nothing but bad rows.
 */
export class CopySpool {
  private pending = '';
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly fd: number,
  ) {}

  static open(): CopySpool {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-spool-'));
    return new CopySpool(dir, fs.openSync(path.join(dir, 'rows.copy'), 'w'));
  }

  add(values: Parameters<typeof copyLine>[0]): void {
    this.pending += copyLine(values);
    this.count++;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** Loads the spooled rows into `target` (`table (columns)`); returns how many. */
  async copyInto(tx: PoolClient, target: string): Promise<number> {
    this.flush();
    if (this.count === 0) return 0;
    await pipeline(fs.createReadStream(path.join(this.dir, 'rows.copy')), tx.query(copyFrom(`COPY ${target} FROM STDIN`)));
    return this.count;
  }

  remove(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.pending) fs.writeSync(this.fd, this.pending);
    this.pending = '';
  }
}
