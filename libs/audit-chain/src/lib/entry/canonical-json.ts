import canonicalize from 'canonicalize';
import type { JsonValue } from './json-value';

/**
 * True when `value` is plain JSON data (null, booleans, finite numbers, strings, arrays, plain
 * objects without undefined members) whose object keys are already in RFC 8785 order (UTF-16
 * code units). For such a value JSON.stringify writes exactly the canonical text: RFC 8785 takes
 * its string escaping and number format from ECMAScript's JSON.stringify.
 */
function isSortedPlainJson(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index += 1)
          if (!isSortedPlainJson(value[index])) return false;
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      const record = value as Record<string, unknown>;
      let previous: string | null = null;
      for (const key of Object.keys(record)) {
        if (previous !== null && !(previous < key)) return false;
        if (!isSortedPlainJson(record[key])) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value. Values whose keys are already
 * sorted (e.g. parsed from canonical text, as when verifying or exporting) take the native
 * JSON.stringify path; anything else goes through `canonicalize`. A unit test compares both.
 */
export function canonicalJson(value: JsonValue): string {
  if (isSortedPlainJson(value)) return JSON.stringify(value);
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
