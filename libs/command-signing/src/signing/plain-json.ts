/**
 * Pure: finds the first value that would not survive a JSON round trip unchanged (undefined,
 * NaN, Infinity, functions, Dates, class instances, ...), so a signer never signs bytes that
 * differ from what the agent will receive. Undefined if `value` is plain JSON.
 */
export function findNonJsonValue(value: unknown, path = ''): string | undefined {
  const where = path === '' ? 'the command' : path;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${where} is ${value}, not a JSON number`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = findNonJsonValue(value[index], `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      return `${where} is a ${value.constructor.name} object, not plain JSON`;
    }
    for (const [key, item] of Object.entries(value)) {
      const problem = findNonJsonValue(item, path === '' ? key : `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return `${where} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}, not a JSON value`;
}
