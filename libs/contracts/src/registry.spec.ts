import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventContracts } from './registry';

/** Every `*.event.ts` file under the contracts, as a path relative to this folder. */
function eventFiles(): string[] {
  const files: string[] = [];
  for (const folder of readdirSync(__dirname, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(__dirname, folder.name)))
      if (file.endsWith('.event.ts')) files.push(join(folder.name, file));
  }
  return files.sort();
}

describe('the event registry', () => {
  it('holds every contract of every event file: writing the file and exporting it is enough', () => {
    const registered = new Set<unknown>(eventContracts);
    const missing: string[] = [];
    const files = eventFiles();
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const exported = Object.values(require(join(__dirname, file)) as Record<string, unknown>);
      const contracts = exported.filter(
        (value) => typeof value === 'object' && value !== null && 'producer' in value && 'schema' in value,
      );
      if (contracts.length === 0) missing.push(`${file} (defines no event)`);
      for (const contract of contracts)
        if (!registered.has(contract)) missing.push(`${file} (not exported from its folder's index)`);
    }
    expect(missing).toEqual([]);
  });

  it('lists each type once, in a stable order', () => {
    const types = eventContracts.map((contract) => contract.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual([...types].sort((a, b) => a.localeCompare(b)));
  });
});
