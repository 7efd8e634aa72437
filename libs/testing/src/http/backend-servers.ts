import { BackendServer } from './backend-server';

/** A set of local backend servers; `close()` stops them all. */
export interface BackendFleet {
  readonly servers: readonly BackendServer[];
  /** The server with this id; throws naming the id when there is none. */
  byId(id: string): BackendServer;
  close(): Promise<void>;
}

export interface StartBackendServersOptions {
  /** Ids are `${idPrefix}${index + 1}`. Default "s" → s1, s2, … */
  readonly idPrefix?: string;
  readonly host?: string;
}

/** Starts `count` backend servers, each on its own free port. */
export async function startBackendServers(
  count: number,
  options: StartBackendServersOptions = {},
): Promise<BackendFleet> {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`startBackendServers needs a positive integer count, got ${count}`);
  }
  const prefix = options.idPrefix ?? 's';
  const servers: BackendServer[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      servers.push(await BackendServer.start(`${prefix}${index + 1}`, options.host));
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  return {
    servers,
    byId(id: string): BackendServer {
      const found = servers.find((server) => server.id === id);
      if (!found) throw new Error(`No backend server "${id}" (have ${servers.map((s) => s.id).join(', ')})`);
      return found;
    },
    async close(): Promise<void> {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
