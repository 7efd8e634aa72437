import { joinQualifiedName } from './qualified-name';

describe('joinQualifiedName', () => {
  it('joins suite path and test name with dots, skipping empty parts', () => {
    expect(joinQualifiedName(['Integration', '', undefined, 'Payments', 'refund'])).toBe(
      'Integration.Payments.refund',
    );
  });

  it('drops a surefire suite repeated as classname', () => {
    expect(joinQualifiedName(['com.acme.FooTest', 'com.acme.FooTest', 'bar'])).toBe('com.acme.FooTest.bar');
  });

  it('drops a jest describe block the test name already starts with', () => {
    expect(joinQualifiedName(['api smoke', 'api smoke GET /health', 'api smoke GET /health'])).toBe(
      'api smoke GET /health',
    );
  });

  it('keeps a part that is only a prefix of the next word', () => {
    expect(joinQualifiedName(['Api', 'ApiTests', 'login'])).toBe('Api.ApiTests.login');
  });
});
