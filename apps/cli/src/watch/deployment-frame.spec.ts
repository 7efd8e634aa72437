import { at, DEPLOYMENT_ID, rollout, server, T0 } from '../testing/deployment-fixtures';
import { renderFrame } from './deployment-frame';
import { toText } from './styled-line';

const plain = (lines: ReturnType<typeof renderFrame>, width: number | null = null) =>
  lines.map((line) => toText(line, { color: false, width }));

describe('the live view of a deployment in a terminal', () => {
  it('shows what is deployed where, the elapsed time against the estimate and the capacity', () => {
    const [header, status, people] = plain(renderFrame(rollout(), T0 + 150_000));
    expect(header).toBe(`shop 1.4.2 → prod   deployment ${DEPLOYMENT_ID}   manifest v3`);
    expect(status).toBe('RUNNING   2m29s elapsed of ~10m00s estimated   servers online 1/4 · min healthy 3');
    expect(people).toBe('requested by carol · approved by alice and bob');
  });

  it('draws a progress bar per batch and each server with its step, drain wait and test results', () => {
    const lines = plain(renderFrame(rollout(), T0 + 150_000));
    expect(lines.slice(4)).toEqual([
      'batch 1/3 canary ████████████████████████ 100%  completed in 1m59s',
      '  web-1     ✔ online',
      'batch 2/3        █████████░░░░░░░░░░░░░░░  38%  running 29s',
      '  web-2     ◐ draining     waiting 25s for sessions to drain',
      '  web-3     ◒ verifying    smoke checkout: 12/14 passed (10s)',
      'batch 3/3        ░░░░░░░░░░░░░░░░░░░░░░░░   0%  pending',
      '  web-4     · pending',
    ]);
  });

  it('ends with the outcome, stops the clock when the deployment finished, and marks the interrupted batch', () => {
    const base = rollout();
    const rolledBack = rollout({
      status: 'rolled_back',
      finishedAt: at(200),
      durationMs: 199_000,
      outcome: {
        status: 'rolled_back',
        reason: 'smoke suite checkout failed',
        step: 'verify',
        serverId: 'web-3',
      },
      servers: {
        ...base.servers,
        'web-2': server(1, 'online', 180, 'previous version'),
        'web-3': server(1, 'online', 190, 'previous version'),
      },
    });
    const lines = plain(renderFrame(rolledBack, T0 + 3_600_000));
    expect(lines[1]).toBe('ROLLED BACK   3m19s   servers online 3/4 · min healthy 3');
    expect(lines).toContain('batch 2/3        ████████████████████████ 100%  stopped after 1m19s');
    expect(lines).toContain('  web-3     ✔ online       previous version');
    expect(lines[lines.length - 1]).toBe(
      '✖ rolled back in 3m19s at verify on web-3: smoke suite checkout failed',
    );
  });

  it('says a held server needs retry or abort, in red', () => {
    const base = rollout();
    const held = rollout({
      servers: { ...base.servers, 'web-2': server(1, 'held', 130, 'health check /health answered 503') },
    });
    const frame = renderFrame(held, T0 + 150_000);
    expect(plain(frame)).toContain('  web-2     ⏸ held         health check /health answered 503');
    expect(plain(frame).at(-1)).toBe(
      `held on web-2: retry with conveyor deployments retry ${DEPLOYMENT_ID}, or abort`,
    );
    expect(frame.at(-1)?.[0]?.style).toBe('red');
  });

  it('waits for the orchestrator before there is a plan', () => {
    const requested = rollout({ status: 'requested', startedAt: null, plan: null, batches: [], servers: {} });
    expect(plain(renderFrame(requested, T0 + 7_000))).toContain(
      'waiting for the orchestrator to start the rollout 7s',
    );
  });

  it('keeps every line within the terminal width so redraws never wrap', () => {
    const lines = plain(renderFrame(rollout(), T0 + 150_000), 40);
    expect(Math.max(...lines.map((line) => Array.from(line).length))).toBeLessThanOrEqual(40);
    expect(lines[0]).toBe('shop 1.4.2 → prod   deployment 3f2a1b0c…');
  });

  it('in compact mode lists only the servers of the running batch', () => {
    const lines = plain(renderFrame(rollout(), T0 + 150_000, { compact: true }));
    expect(lines.filter((line) => line.startsWith('  web-'))).toEqual([
      '  web-2     ◐ draining     waiting 25s for sessions to drain',
      '  web-3     ◒ verifying    smoke checkout: 12/14 passed (10s)',
    ]);
  });

  it('colours the bar by state: green done, cyan running, dim pending', () => {
    const frame = renderFrame(rollout(), T0 + 150_000);
    const bars = frame.filter((line) => line[0]?.text.startsWith('batch')).map((line) => line[1]?.style);
    expect(bars).toEqual(['green', 'cyan', 'dim']);
    expect(toText(frame[0]!, { color: true, width: null })).toContain('\x1b[1mshop 1.4.2 → prod\x1b[22m');
  });
});
