import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { CliIo, OutputStream } from './cli-context';

function stream(target: NodeJS.WriteStream): OutputStream {
  return {
    write: (text) => void target.write(text),
    get isTTY() {
      return target.isTTY === true;
    },
    get columns() {
      return target.columns ?? 80;
    },
    get rows() {
      return target.rows ?? 24;
    },
  };
}

/** The real process: stdout, stderr, environment, files, clock and Ctrl-C. */
export function processIo(): CliIo {
  return {
    stdout: stream(process.stdout),
    stderr: stream(process.stderr),
    env: process.env,
    homeDir: homedir(),
    async readFile(path) {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
  };
}
