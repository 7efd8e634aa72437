import { claimedCommandId, claimsToAddress, invalidCommandReason } from './rejection-policy';

const facts = { service: 'billing', environment: 'production' };

describe('claimsToAddress: whether an agent reports a refused command', () => {
  it('yes when the command names this node, whatever its facts say', () => {
    expect(claimsToAddress({ target: { nodeIds: ['web-1'] } }, 'web-1', facts)).toBe(true);
    expect(
      claimsToAddress({ target: { nodeIds: ['web-1'], facts: { environment: 'staging' } } }, 'web-1', facts),
    ).toBe(true);
  });

  it('no when it names only other nodes (every agent sees every command)', () => {
    expect(claimsToAddress({ target: { nodeIds: ['web-2', 'web-3'] } }, 'web-1', facts)).toBe(false);
  });

  it('for a target by facts only: yes when the facts match, no otherwise', () => {
    expect(claimsToAddress({ target: { facts: { service: 'billing' } } }, 'web-1', facts)).toBe(true);
    expect(claimsToAddress({ target: { facts: { service: 'orders' } } }, 'web-1', facts)).toBe(false);
  });

  it('yes when the target cannot be read at all', () => {
    expect(claimsToAddress({ target: {} }, 'web-1', facts)).toBe(true);
    expect(claimsToAddress('garbage', 'web-1', facts)).toBe(true);
    expect(claimsToAddress(undefined, 'web-1', facts)).toBe(true);
  });
});

describe('invalidCommandReason', () => {
  it('unsigned when the signature is missing, null or empty; malformed otherwise', () => {
    expect(invalidCommandReason({ commandId: 'x' })).toBe('unsigned');
    expect(invalidCommandReason({ signature: null })).toBe('unsigned');
    expect(invalidCommandReason({ signature: '' })).toBe('unsigned');
    expect(invalidCommandReason({ signature: 'abc' })).toBe('malformed');
    expect(invalidCommandReason([1, 2])).toBe('malformed');
  });
});

describe('claimedCommandId', () => {
  it('takes a uuid command id, ignores anything else', () => {
    expect(claimedCommandId({ commandId: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(claimedCommandId({ commandId: 'not-a-uuid' })).toBeUndefined();
    expect(claimedCommandId(null)).toBeUndefined();
  });
});
