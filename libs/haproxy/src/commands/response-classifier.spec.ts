import { loadRuntimeAnswer } from '../__fixtures__/load-fixture';
import {
  HaproxyCommandError,
  HaproxyPermissionDeniedError,
  UnknownBackendError,
  UnknownServerError,
} from '../errors/haproxy-errors';
import { assertActionSucceeded, raiseKnownFailure, type CommandContext } from './response-classifier';

const context: CommandContext = {
  command: 'set server be_online/s1 state maint',
  address: 'unix:/tmp/admin.sock',
  backend: 'be_online',
  server: 's1',
};

describe('classifying real HAProxy answers', () => {
  it('accepts the empty answer of a successful set command', () => {
    expect(() => assertActionSucceeded(loadRuntimeAnswer('success'), context)).not.toThrow();
  });

  it('raises UnknownBackendError naming the backend', () => {
    const answer = loadRuntimeAnswer('noSuchBackend');
    expect(() => assertActionSucceeded(answer, context)).toThrow(UnknownBackendError);
    expect(() => assertActionSucceeded(answer, context)).toThrow(/no backend "be_online"/);
  });

  it('treats "Can\'t find backend." from show servers state as an unknown backend', () => {
    expect(() =>
      raiseKnownFailure(loadRuntimeAnswer('cantFindBackend'), { ...context, backend: 'be_x' }),
    ).toThrow(/no backend "be_x"/);
  });

  it('raises UnknownServerError naming backend and server', () => {
    const answer = loadRuntimeAnswer('noSuchServer');
    expect(() => assertActionSucceeded(answer, context)).toThrow(UnknownServerError);
    expect(() => assertActionSucceeded(answer, context)).toThrow(/backend "be_online" has no server "s1"/);
  });

  it('raises HaproxyPermissionDeniedError naming the socket', () => {
    const answer = loadRuntimeAnswer('permissionDenied');
    expect(() => assertActionSucceeded(answer, context)).toThrow(HaproxyPermissionDeniedError);
    expect(() => assertActionSucceeded(answer, context)).toThrow(
      /unix:\/tmp\/admin\.sock: permission denied/,
    );
  });

  it("turns any other text into HaproxyCommandError with HAProxy's words", () => {
    const answer = loadRuntimeAnswer('agentNotConfigured');
    expect(() => assertActionSucceeded(answer, context)).toThrow(HaproxyCommandError);
    expect(() => assertActionSucceeded(answer, context)).toThrow(/Agent was not configured on this server/);
  });

  it('reports an unknown command by its first line only', () => {
    expect(() => raiseKnownFailure(loadRuntimeAnswer('unknownCommand'), context)).toThrow(
      /rejected "set server be_online\/s1 state maint": Unknown command, but maybe/,
    );
  });

  it('lets data answers through raiseKnownFailure', () => {
    expect(() => raiseKnownFailure('# pxname,svname\n', context)).not.toThrow();
  });
});
