import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file';
import type { StepRecord } from './step-journal.rules';

/** The file name of a step: its id when that is a safe file name, else a hash of it. */
export function stepFileName(stepId: string): string {
  const safe = /^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$/.test(stepId) && !stepId.endsWith('.tmp');
  return `${safe ? stepId : `sha256-${createHash('sha256').update(stepId).digest('hex')}`}.json`;
}

/** state/steps/<stepId>.json, each written atomically. One agent process per directory. */
export class StepJournal {
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<StepJournal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new StepJournal(dir);
  }

  async get(stepId: string): Promise<StepRecord | undefined> {
    const text = await readFile(join(this.dir, stepFileName(stepId)), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    return text === undefined ? undefined : (JSON.parse(text) as StepRecord);
  }

  async put(record: StepRecord): Promise<StepRecord> {
    await writeFileAtomically(
      join(this.dir, stepFileName(record.stepId)),
      `${JSON.stringify(record, null, 2)}\n`,
    );
    return record;
  }

  /** Every step still `started`: on a fresh start, these were interrupted. */
  async unfinished(): Promise<StepRecord[]> {
    return (await this.all()).filter((record) => record.status === 'started');
  }

  /** Every journalled step (a file vanishing meanwhile is skipped). */
  async all(): Promise<StepRecord[]> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.json'));
    const records = await Promise.all(
      names.map(async (name) => {
        const text = await readFile(join(this.dir, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        });
        return text === undefined ? undefined : (JSON.parse(text) as StepRecord);
      }),
    );
    return records.filter((record): record is StepRecord => record !== undefined);
  }
}
