import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../journal/atomic-file';
import type { ReleaseHistory } from './release-history.rules';

/** state/releases.json, written atomically. */
export class ReleaseHistoryStore {
  constructor(private readonly file: string) {}

  async read(): Promise<ReleaseHistory> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return text === undefined ? {} : (JSON.parse(text) as ReleaseHistory);
  }

  async write(history: ReleaseHistory): Promise<void> {
    await writeFileAtomically(this.file, `${JSON.stringify(history, null, 2)}\n`);
  }

  async update(change: (history: ReleaseHistory) => ReleaseHistory): Promise<ReleaseHistory> {
    const next = change(await this.read());
    await this.write(next);
    return next;
  }
}
