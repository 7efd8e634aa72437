import { runCli } from './cli';
import { processIo } from './process-io';

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
