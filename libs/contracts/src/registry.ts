import { z } from 'zod';
import type { EventContract } from './define-event';
import * as agent from './agent';
import * as audit from './audit';
import * as deployment from './deployment';
import * as identity from './identity';
import * as messaging from './messaging';
import * as pipeline from './pipeline';
import * as pool from './pool';
import * as verification from './verification';

/**
 * Every event on the bus, derived from the event folders: adding an event is writing its
 * `*.event.ts` file and exporting it from its folder's index (a test fails when an event file is
 * not exported). A new folder is added to `eventFolders` once.
 */
const eventFolders = { agent, audit, deployment, identity, messaging, pipeline, pool, verification };

type Folder = (typeof eventFolders)[keyof typeof eventFolders];
/** The event contracts a folder exports (its other exports — schemas, types, helpers — are not events). */
type ContractsOf<M> = {
  [K in keyof M]: M[K] extends EventContract<string, number, z.ZodType> ? M[K] : never;
}[keyof M];
type AnyContract = Folder extends infer M ? (M extends unknown ? ContractsOf<M> : never) : never;

function isEventContract(value: unknown): value is AnyContract {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<EventContract>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.type === 'string' &&
    typeof candidate.version === 'number' &&
    typeof candidate.producer === 'string' &&
    candidate.schema instanceof z.ZodType
  );
}

/** Every event contract, sorted by type (a stable order for generated files). */
export const eventContracts: readonly AnyContract[] = Object.values(eventFolders)
  .flatMap((folder) => Object.values(folder).filter(isEventContract))
  .sort((a, b) => a.type.localeCompare(b.type));

/** Event type → payload: `publish('deployment.startd', …)` or a wrong payload fails to compile. */
export type EventMap = { [C in AnyContract as C['type']]: z.infer<C['schema']> };
export type EventType = keyof EventMap;
/** What a publisher passes: fields with defaults may be left out. */
export type EventInput = { [C in AnyContract as C['type']]: z.input<C['schema']> };

export const contractsByType: ReadonlyMap<string, EventContract> = new Map(
  eventContracts.map((c) => [c.type, c as EventContract]),
);

export function isEventType(type: string): type is EventType {
  return contractsByType.has(type);
}
