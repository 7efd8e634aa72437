import { z } from 'zod';
import { isProducer, type Producer } from './producer';

/** `deployment.requested` for version 1, `deployment.requested.v2` for version 2, and so on. */
export type VersionedType<N extends string, V extends number> = V extends 1 ? N : `${N}.v${V}`;

export interface EventContract<
  N extends string = string,
  V extends number = number,
  S extends z.ZodType = z.ZodType,
> {
  /** The event's name without its version, e.g. `deployment.requested`. */
  readonly name: N;
  readonly version: V;
  /** The CloudEvents `type` and the RabbitMQ routing key. */
  readonly type: VersionedType<N, V>;
  readonly description: string;
  /**
   * Who publishes it. Consumers accept it only from this producer's broker user (an agent's
   * event only from the user of the node its `data.nodeId` names), and the broker's topic
   * permissions let only this producer publish its routing key.
   */
  readonly producer: Producer;
  readonly schema: S;
}

export function versionedType<N extends string, V extends number>(name: N, version: V): VersionedType<N, V> {
  return (version === 1 ? name : `${name}.v${version}`) as VersionedType<N, V>;
}

/**
 * Declares one event. A breaking change to `data` is a new contract with the next version
 * (a new file); the old one stays until nobody consumes it.
 */
export function defineEvent<const N extends string, const V extends number, S extends z.ZodType>(spec: {
  name: N;
  version: V;
  description: string;
  producer: Producer;
  schema: S;
}): EventContract<N, V, S> {
  if (!/^[a-z]+(\.[a-z_]+)+$/.test(spec.name)) {
    throw new Error(`event name "${spec.name}" must be dot-separated lower-case words`);
  }
  if (!Number.isInteger(spec.version) || spec.version < 1) {
    throw new Error(`event "${spec.name}" has version ${spec.version}; versions are integers from 1`);
  }
  if (!isProducer(spec.producer)) {
    throw new Error(`event "${spec.name}" names an unknown producer "${String(spec.producer)}"`);
  }
  return { ...spec, type: versionedType(spec.name, spec.version) };
}
