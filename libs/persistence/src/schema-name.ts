/** Schema names come from code and configuration, never from users; still, refuse anything odd. */
export function quoteSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`"${schema}" is not a valid schema name (lower-case letters, digits, underscores)`);
  }
  return `"${schema}"`;
}
