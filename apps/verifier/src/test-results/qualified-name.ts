/**
 * Joins a suite path and a test name with ".", dropping empty parts and any part the next
 * one already starts with (surefire repeats the suite as `classname`; jest-junit repeats
 * the describe block in the test name), so each test reads as one fully qualified name.
 */
export function joinQualifiedName(parts: readonly (string | undefined)[]): string {
  const present = parts.map((part) => part?.trim() ?? '').filter((part) => part.length > 0);
  const kept = present.filter((part, index) => {
    const next = present[index + 1];
    return next === undefined || !(next === part || startsWithPart(next, part));
  });
  return kept.join('.');
}

function startsWithPart(text: string, prefix: string): boolean {
  if (!text.startsWith(prefix)) return false;
  const boundary = text.charAt(prefix.length);
  return boundary === '.' || boundary === ' ' || boundary === '/' || boundary === ':';
}
