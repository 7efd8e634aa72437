import { loadFixture } from '../__fixtures__/load-fixture';
import { HaproxyParseError } from '../errors/haproxy-errors';
import { assertServerStateDump } from './server-state-file';

describe('assertServerStateDump', () => {
  it('accepts a real HAProxy 2.6 dump', () => {
    expect(() => assertServerStateDump(loadFixture('show-servers-state.txt'))).not.toThrow();
  });

  it.each([
    ['an error text', 'Permission denied\n'],
    ['an empty answer', ''],
    ['another format version', '2\n# be_id be_name srv_id srv_name\n'],
    ['a dump without its header', '1\n3 be 1 s1 127.0.0.1 2 0 1 1\n'],
  ])('refuses %s (HAProxy could not load it at the next start)', (_label, text) => {
    expect(() => assertServerStateDump(text)).toThrow(HaproxyParseError);
  });
});
