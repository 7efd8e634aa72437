import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { SAMPLE_APP_SERVER_JS } from '../sample-app/sample-app.files';

/** A sample app started straight from its source (no artifact), for tests of the app itself. */
export interface SampleAppProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGKILLs the process if it still runs; safe to call twice. */
  kill(): Promise<void>;
}

/** Starts `node server.js` with PORT=0 and `env`; resolves once it logs "listening" (5 s at most). */
export async function startSampleApp(env: Record<string, string>): Promise<SampleAppProcess> {
  const child = spawn(process.execPath, [SAMPLE_APP_SERVER_JS], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const port = await new Promise<number>((resolvePort, rejectPort) => {
    const timer = setTimeout(
      () => rejectPort(new Error(`sample app did not start within 5 s; output:\n${output}`)),
      5000,
    );
    child.stdout.on('data', () => {
      const match = /"event":"listening","port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rejectPort(new Error(`sample app exited with ${code} before listening; output:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await kill();
    throw error;
  });
  return { port, child, output: () => output, exited, kill };
}
