/**
 * Finds the keys a stream delivers more than once, in 12 to 24 bytes a key: a batch's keys
 * are its rows (5.7M at 100x), too many for a Set of strings. Keys are kept as 64-bit hashes,
 * so two different keys may share one (about once in a million batches at 100x): what it
 * reports are candidates, which the caller resolves on the keys themselves. Repeats are rare,
 * so the candidates are a handful of lines, where grouping every row in SQL found the same few.
 */
export class RepeatedKeys {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  /** First line of each slot's key, 0 for an empty slot, negated once that line is reported. */
  private firstLine = new Int32Array(1 << 16);
  private used = 0;
  private readonly repeated: number[] = [];

  /** Records `key` at `lineNo` (line numbers start at 1); true when its hash was seen before. */
  add(key: string, lineNo: number): boolean {
    const [h, l] = hash64(key);
    if (4 * (this.used + 1) > 3 * this.firstLine.length) this.grow();
    const slot = this.find(h, l);
    const first = this.firstLine[slot];
    if (first === 0) {
      this.hi[slot] = h;
      this.lo[slot] = l;
      this.firstLine[slot] = lineNo;
      this.used++;
      return false;
    }
    if (first > 0) {
      this.repeated.push(first);
      this.firstLine[slot] = -first;
    }
    this.repeated.push(lineNo);
    return true;
  }

  /** The lines whose key was seen more than once (first sightings included), ascending. */
  lines(): number[] {
    return [...this.repeated].sort((a, b) => a - b);
  }

  private find(h: number, l: number): number {
    const mask = this.firstLine.length - 1;
    let slot = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
    while (this.firstLine[slot] !== 0 && (this.hi[slot] !== h || this.lo[slot] !== l)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, firstLine } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.firstLine = new Int32Array(firstLine.length * 2);
    for (let i = 0; i < firstLine.length; i++) {
      if (firstLine[i] === 0) continue;
      const slot = this.find(hi[i], lo[i]);
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.firstLine[slot] = firstLine[i];
    }
  }
}

/** Two independent 32-bit FNV-1a style hashes of the UTF-16 code units, with a final mix each. */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [mix(a) >>> 0, mix(b ^ 0x27d4eb2f) >>> 0];
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
