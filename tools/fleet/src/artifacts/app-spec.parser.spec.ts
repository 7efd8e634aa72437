import { stringify } from 'yaml';
import { parseAppSpec } from './app-spec.parser';
import { AppSpecError } from './artifact.errors';
import { sampleAppSpec } from './sample-app-spec';

const hook = (timeoutSeconds: number) => ({
  timeoutSeconds,
  linux: 'sh hooks/x.sh',
  windows: '& hooks\\x.ps1',
});
const validSpec = () => ({
  specVersion: 1,
  name: 'billing-api',
  version: '2.4.0',
  hooks: { stop: hook(15), start: hook(10), validate: hook(30) },
});

function problemsOf(document: unknown): readonly string[] {
  try {
    parseAppSpec(stringify(document), 'test.yaml');
  } catch (error: unknown) {
    if (error instanceof AppSpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}

describe('parseAppSpec', () => {
  it('accepts the sample app spec every artifact carries', () => {
    const spec = sampleAppSpec('1.2.3');
    expect(parseAppSpec(stringify(spec))).toEqual(spec);
  });

  it('accepts a spec without the optional install hooks and with a windows-only hook', () => {
    const spec = {
      ...validSpec(),
      hooks: { ...validSpec().hooks, stop: { timeoutSeconds: 5, windows: 'Stop-Service x' } },
    };
    const parsed = parseAppSpec(stringify(spec));
    expect(parsed.hooks['before-install']).toBeUndefined();
    expect(parsed.hooks.stop).toEqual({ timeoutSeconds: 5, windows: 'Stop-Service x' });
  });

  it('names a missing required hook', () => {
    const { validate: _validate, ...hooks } = validSpec().hooks;
    expect(problemsOf({ ...validSpec(), hooks })).toEqual([expect.stringMatching(/^hooks\.validate: /)]);
  });

  it('rejects a hook name it does not know, so typos do not go unnoticed', () => {
    const problems = problemsOf({
      ...validSpec(),
      hooks: { ...validSpec().hooks, 'before-instal': hook(5) },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^hooks: unknown hook "before-instal"; hooks are stop, before-install/),
    ]);
  });

  it.each([
    [0, 'hooks.start.timeoutSeconds: timeoutSeconds must be at least 1'],
    [2.5, 'hooks.start.timeoutSeconds: timeoutSeconds must be a whole number of seconds'],
    [7200, 'hooks.start.timeoutSeconds: timeoutSeconds must be at most 3600'],
    ['10s', 'hooks.start.timeoutSeconds: timeoutSeconds must be a number of seconds'],
  ])('rejects timeoutSeconds %p with a clear message', (timeoutSeconds, message) => {
    expect(
      problemsOf({ ...validSpec(), hooks: { ...validSpec().hooks, start: { ...hook(1), timeoutSeconds } } }),
    ).toEqual([message]);
  });

  it('rejects a hook with no command for any OS', () => {
    expect(
      problemsOf({ ...validSpec(), hooks: { ...validSpec().hooks, stop: { timeoutSeconds: 5 } } }),
    ).toEqual(['hooks.stop: a hook needs a linux command, a windows command, or both']);
  });

  it.each(['../../etc', '1.0/evil', '', '.hidden', '1..2'])(
    'rejects version %p, which would escape or break releases/<version>',
    (version) => {
      expect(problemsOf({ ...validSpec(), version })).toEqual([
        expect.stringMatching(/^version: version must/),
      ]);
    },
  );

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({ specVersion: 2, name: 'Billing API', version: '1.0.0' });
    expect(problems).toEqual([
      'specVersion: specVersion must be 1',
      expect.stringMatching(/^name: /),
      'hooks: hooks is required',
    ]);
  });

  it('says when the text is not YAML at all, naming the source', () => {
    expect(() => parseAppSpec('hooks: [unclosed', 'artifact.tar.gz!/conveyor-app.yaml')).toThrow(
      /invalid app spec artifact\.tar\.gz!\/conveyor-app\.yaml: not valid YAML/,
    );
  });
});
