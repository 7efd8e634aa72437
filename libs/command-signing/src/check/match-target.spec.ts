import fc from 'fast-check';
import { explainTargetMismatch, matchesTarget } from './match-target';

const facts = { service: 'billing', environment: 'production', os: 'windows', role: 'web' };

describe('matchesTarget', () => {
  it('selects a node named in nodeIds', () => {
    expect(matchesTarget({ nodeIds: ['web-01', 'web-02'] }, 'web-02', facts)).toBe(true);
  });

  it('does not select a node missing from nodeIds', () => {
    expect(matchesTarget({ nodeIds: ['web-01', 'web-02'] }, 'web-03', facts)).toBe(false);
  });

  it('selects a node holding every targeted fact with the same value', () => {
    expect(matchesTarget({ facts: { service: 'billing', os: 'windows' } }, 'any', facts)).toBe(true);
  });

  it('does not select a node with one differing fact', () => {
    expect(matchesTarget({ facts: { service: 'billing', os: 'linux' } }, 'any', facts)).toBe(false);
  });

  it('does not select a node lacking a targeted fact', () => {
    expect(matchesTarget({ facts: { datacenter: 'ams1' } }, 'any', facts)).toBe(false);
  });

  it('does not treat inherited object properties as facts', () => {
    expect(matchesTarget({ facts: { constructor: 'function Object() { [native code] }' } }, 'any', {})).toBe(
      false,
    );
  });

  it('with both nodeIds and facts, requires both', () => {
    const target = { nodeIds: ['web-01'], facts: { environment: 'production' } };
    expect(matchesTarget(target, 'web-01', facts)).toBe(true);
    expect(matchesTarget(target, 'web-01', { ...facts, environment: 'staging' })).toBe(false);
    expect(matchesTarget(target, 'web-09', facts)).toBe(false);
  });

  it('selects nobody with an empty target', () => {
    expect(matchesTarget({}, 'web-01', facts)).toBe(false);
  });

  it('fact matching is exact: any single targeted fact an agent holds differently excludes it', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string(), { minKeys: 1 }),
        fc.string(),
        (agentFacts, otherValue) => {
          const [name, value] = Object.entries(agentFacts)[0]!;
          expect(matchesTarget({ facts: agentFacts }, 'n', agentFacts)).toBe(true);
          fc.pre(otherValue !== value);
          expect(matchesTarget({ facts: { ...agentFacts, [name]: otherValue } }, 'n', agentFacts)).toBe(
            false,
          );
        },
      ),
    );
  });
});

describe('explainTargetMismatch', () => {
  it('names the node when its id is not targeted', () => {
    expect(explainTargetMismatch({ nodeIds: ['web-01'] }, 'web-09', facts)).toBe(
      'node "web-09" is not among the 1 targeted node id(s)',
    );
  });

  it('names each differing or missing fact', () => {
    expect(explainTargetMismatch({ facts: { os: 'linux', datacenter: 'ams1' } }, 'web-01', facts)).toBe(
      'fact os is "windows", target wants "linux"; fact datacenter is missing, target wants "ams1"',
    );
  });
});
