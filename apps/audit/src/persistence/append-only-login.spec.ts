import { appendOnlyLoginProblems, type AuditLoginFacts } from './append-only-login';

const appendOnly: AuditLoginFacts = {
  login: 'conveyor_audit',
  superuser: false,
  ownerRoles: [],
  changePrivileges: [],
  missingPrivileges: [],
};

describe('appendOnlyLoginProblems', () => {
  it('accepts a login that may only read and append', () => {
    expect(appendOnlyLoginProblems(appendOnly)).toEqual([]);
  });

  it('names every reason a login could rewrite the chain', () => {
    expect(
      appendOnlyLoginProblems({
        login: 'conveyor',
        superuser: true,
        ownerRoles: ['conveyor', 'conveyor_audit_owner'],
        changePrivileges: [{ table: 'audit.entries', privilege: 'DELETE' }],
        missingPrivileges: [{ table: 'audit.checkpoints', privilege: 'INSERT' }],
      }),
    ).toEqual([
      'conveyor is a superuser',
      'conveyor owns the audit schema or a chain table',
      'conveyor may act as conveyor_audit_owner, which owns the audit schema or a chain table',
      'conveyor has DELETE on audit.entries',
      'conveyor lacks INSERT on audit.checkpoints',
    ]);
  });
});
