/** A JSON value as RFC 8785 (I-JSON) can canonicalize it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Matches an unpaired UTF-16 surrogate, which I-JSON (and so RFC 8785) forbids. */
const LONE_SURROGATE = /\p{Surrogate}/u;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * Returns why `value` is not a plain JSON value (with the path of the offending part), or null
 * when it is one. Rejects undefined, functions, NaN/Infinity, class instances such as Date
 * (their toJSON would make the hash depend on a conversion) and strings with lone surrogates.
 */
export function findJsonValueProblem(value: unknown, path = '$'): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : `${path} is ${String(value)}, which JSON cannot represent`;
  if (typeof value === 'string')
    return isWellFormedText(value) ? null : `${path} contains an unpaired UTF-16 surrogate`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const problem = findJsonValueProblem(value[index], `${path}[${index}]`);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null)
      return `${path} is a class instance, not a plain JSON object`;
    for (const [key, member] of Object.entries(value)) {
      if (!isWellFormedText(key)) return `${path} has a key with an unpaired UTF-16 surrogate`;
      const problem = findJsonValueProblem(member, `${path}.${key}`);
      if (problem !== null) return problem;
    }
    return null;
  }
  return `${path} is a ${typeof value}, which JSON cannot represent`;
}
