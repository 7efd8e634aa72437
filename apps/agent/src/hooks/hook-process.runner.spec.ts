import { hookCommandLine, hookFailure, type HookResult } from './hook-process.runner';

const hook = { timeoutSeconds: 5, linux: 'sh hooks/start.sh', windows: '& .\\hooks\\start.ps1' };

describe('hookCommandLine', () => {
  it('runs the linux command with sh -c on Linux', () => {
    expect(hookCommandLine(hook, 'linux')).toEqual({ file: 'sh', args: ['-c', 'sh hooks/start.sh'] });
  });

  it('runs the windows command with a non-interactive PowerShell on Windows', () => {
    expect(hookCommandLine(hook, 'win32')).toEqual({
      file: 'powershell.exe',
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-ExecutionPolicy',
        'Bypass',
        '-Command',
        '& .\\hooks\\start.ps1',
      ],
    });
  });

  it('has nothing to run when the hook has no command for the platform', () => {
    expect(hookCommandLine({ timeoutSeconds: 5, windows: 'x' }, 'linux')).toBeUndefined();
  });
});

describe('hookFailure', () => {
  const result = (over: Partial<HookResult>): HookResult => ({
    hook: 'validate',
    exitCode: 0,
    signal: null,
    timedOut: false,
    outputTail: 'out',
    durationMs: 5,
    ...over,
  });

  it('none for exit 0', () => {
    expect(hookFailure(result({}), 5)).toBeUndefined();
  });

  it('names the hook, the exit code and keeps the output tail', () => {
    expect(hookFailure(result({ exitCode: 3 }), 5)).toMatchObject({
      phase: 'hook',
      message: 'hook validate failed with exit code 3',
      details: { hook: 'validate', exitCode: 3, outputTail: 'out' },
    });
  });

  it('says a timeout was a timeout', () => {
    expect(hookFailure(result({ exitCode: null, signal: 'SIGKILL', timedOut: true }), 5)?.message).toBe(
      'hook validate timed out after 5s and was killed',
    );
  });
});
