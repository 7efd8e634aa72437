import canonicalize from 'canonicalize';

/**
 * The exact bytes that are signed: the UTF-8 of the RFC 8785 (JCS) canonical JSON of the
 * command without its `signature` field. Throws if the value is not representable in JSON
 * (NaN, Infinity), which a command received as JSON never is.
 */
export function signingInput(command: object): Buffer {
  const { signature: _signature, ...unsigned } = command as { signature?: unknown };
  const canonical = canonicalize(unsigned);
  if (canonical === undefined) {
    throw new Error('command cannot be canonicalized to JSON');
  }
  return Buffer.from(canonical, 'utf8');
}
