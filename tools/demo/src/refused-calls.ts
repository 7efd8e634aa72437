import { readFile } from 'node:fs/promises';

/** The refused calls the demo makes, and how each must appear in the audit log. */
export interface RefusedCall {
  what: string;
  status: 401 | 403;
  method: string;
  path: string;
  /** The token's name when the token was valid (403), else null. */
  caller: string | null;
}

/**
 * Two calls the pipeline must refuse, as an attacker or a misconfigured job would make them: a token
 * nobody issued reads runs (401), and Jenkins' own token tries to issue a token (403, CI may not).
 */
export async function makeRefusedCalls(pipelineUrl: string, ciToken: string): Promise<RefusedCall[]> {
  const calls: (RefusedCall & { token: string })[] = [
    {
      what: 'a token nobody issued',
      status: 401,
      method: 'GET',
      path: '/runs',
      caller: null,
      token: 'cvy_not-a-token-anyone-issued',
    },
    {
      what: 'Jenkins issuing itself a token',
      status: 403,
      method: 'POST',
      path: '/tokens',
      caller: 'jenkins',
      token: ciToken,
    },
  ];
  for (const call of calls) {
    const response = await fetch(`${pipelineUrl}${call.path}`, {
      method: call.method,
      headers: { authorization: `Bearer ${call.token}`, 'content-type': 'application/json' },
      body: call.method === 'GET' ? undefined : JSON.stringify({ name: 'backdoor', role: 'admin' }),
    });
    await response.arrayBuffer();
    if (response.status !== call.status)
      throw new Error(`${call.what}: expected HTTP ${call.status}, got ${response.status}`);
  }
  return calls.map(({ token: _token, ...call }) => call);
}

/** The refused calls of `expected` that the exported audit log does not hold as `api.access.denied`. */
export async function refusedCallsMissing(exportPath: string, expected: RefusedCall[]): Promise<string[]> {
  const denied = (await readFile(exportPath, 'utf8'))
    .split('\n')
    .filter((line) => line.includes('"api.access.denied"'))
    .map((line) => JSON.parse(line) as { type: string; payload: { data: Record<string, unknown> } })
    .filter((entry) => entry.type === 'api.access.denied')
    .map((entry) => entry.payload.data);
  return expected
    .filter(
      (call) =>
        !denied.some(
          (data) =>
            data['status'] === call.status &&
            data['method'] === call.method &&
            data['path'] === call.path &&
            data['caller'] === call.caller,
        ),
    )
    .map((call) => `${call.what} (${call.status} ${call.method} ${call.path})`);
}
