import { loadFixture } from '../__fixtures__/load-fixture';
import { UnknownBackendError, UnknownServerError } from '../errors/haproxy-errors';
import { parseShowStat } from './show-stat-parser';
import { currentSessionsOf, requireServerRow, serverRows } from './stat-snapshot';

describe('stat snapshot helpers', () => {
  const snapshot = parseShowStat(loadFixture('show-stat-mixed.csv'));

  it('says the current sessions of a server', () => {
    expect(currentSessionsOf(snapshot, 'be_online', 's1')).toBe(1);
    expect(currentSessionsOf(snapshot, 'be_maintenance', 's1')).toBe(0);
    expect(currentSessionsOf(snapshot, 'be_online', 'nope')).toBeUndefined();
  });

  it('does not mistake the BACKEND row for a server', () => {
    expect(currentSessionsOf(snapshot, 'be_online', 'BACKEND')).toBeUndefined();
    expect(serverRows(snapshot, 'be_online')).toHaveLength(6);
  });

  it('raises UnknownBackendError or UnknownServerError naming what is missing', () => {
    expect(() => requireServerRow(snapshot, 'be_nope', 's1')).toThrow(UnknownBackendError);
    expect(() => requireServerRow(snapshot, 'be_nope', 's1')).toThrow(/no backend "be_nope"/);
    expect(() => requireServerRow(snapshot, 'be_online', 's9')).toThrow(UnknownServerError);
    expect(() => requireServerRow(snapshot, 'be_online', 's9')).toThrow(/"be_online" has no server "s9"/);
    expect(() => requireServerRow(snapshot, 'fe_online', 's1')).toThrow(UnknownBackendError);
  });
});
