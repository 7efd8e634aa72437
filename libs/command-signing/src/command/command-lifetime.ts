/** Pure checks on a command's validity window, shared by the signer and the agent. */

export function lifetimeMs(command: { issuedAt: string; expiresAt: string }): number {
  return Date.parse(command.expiresAt) - Date.parse(command.issuedAt);
}

/** Undefined if the lifetime is within policy, else a message saying by how much it is not. */
export function lifetimeProblem(
  command: { issuedAt: string; expiresAt: string },
  maxLifetimeMs: number,
): string | undefined {
  const lifetime = lifetimeMs(command);
  if (lifetime > maxLifetimeMs) {
    return `lifetime ${lifetime} ms (issuedAt ${command.issuedAt} to expiresAt ${command.expiresAt}) exceeds the maximum ${maxLifetimeMs} ms`;
  }
  return undefined;
}
