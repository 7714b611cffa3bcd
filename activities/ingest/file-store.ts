import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileDigest } from './read-rows';

export interface StoredFile {
  /** The name it was delivered under: messages name the file as the sender knows it. */
  fileName: string;
  sha256: string;
  bytes: number;
  /** Where the stored copy is: what normalize reads. */
  path: string;
}

/**
 * The raw layer: every delivered file kept as delivered, immutable, under its content's sha256
 * (`<root>/ab/abcd…/<file name>`). Normalize reads a batch's files from here, never from the
 * landing zone, whose file may have been replaced since ingest; a re-normalize reads the same
 * bytes. In production the root is storage every worker reaches (a shared volume, or object
 * storage behind the same two calls).
 */
export class FileStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string, fileName: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256, fileName);
  }

  /**
   * Copies the file in and names the copy by the digest of the copy itself, so the stored
   * bytes are the ones hashed even if the delivered file changes meanwhile. A copy already
   * there is kept as it is (a re-delivery costs one read and one write, no more).
   */
  async put(filePath: string): Promise<StoredFile> {
    const fileName = path.basename(filePath);
    await fs.promises.mkdir(this.root, { recursive: true });
    // Unique per call: a backfill ingests the same mapping for several days at once, in one process.
    const partial = path.join(this.root, `.partial-${randomUUID()}-${fileName}`);
    try {
      // FICLONE shares the blocks where the file system can (copy-on-write), else it copies.
      await fs.promises.copyFile(filePath, partial, fs.constants.COPYFILE_FICLONE);
      const { sha256, bytes } = await fileDigest(partial);
      const target = this.pathOf(sha256, fileName);
      if (!fs.existsSync(target)) {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.chmod(partial, 0o444);
        await fs.promises.rename(partial, target);
      }
      return { fileName, sha256, bytes, path: target };
    } finally {
      await fs.promises.rm(partial, { force: true });
    }
  }
}
