import { readRepoFile } from '../repo-files';
import { conveyorLoginsSql } from './conveyor-logins';

describe('deploy/postgres/conveyor-logins.sql', () => {
  it('is the generated one (the statements the test harness runs in every test database)', () => {
    expect(readRepoFile('deploy', 'postgres', 'conveyor-logins.sql')).toBe(conveyorLoginsSql());
  });
});
