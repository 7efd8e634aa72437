import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a fixture captured from a real HAProxy 2.6 (see README in this folder). */
export function loadFixture(name: string): string {
  return readFileSync(join(__dirname, name), 'utf8');
}

/** Answers HAProxy gave to single commands, captured together in runtime-answers.json. */
export type RuntimeAnswerName =
  | 'success'
  | 'noSuchBackend'
  | 'noSuchServer'
  | 'cantFindBackend'
  | 'agentNotConfigured'
  | 'unknownCommand'
  | 'permissionDenied';

export function loadRuntimeAnswer(name: RuntimeAnswerName): string {
  const answers = JSON.parse(loadFixture('runtime-answers.json')) as Record<string, string>;
  const answer = answers[name];
  if (answer === undefined) throw new Error(`runtime-answers.json has no "${name}"`);
  return answer;
}
