import { parseServersState, parseShowStat } from '@conveyor/haproxy';
import { buildInstanceSnapshot, missingFromSnapshot } from './instance-snapshot';

const header =
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,';
const row = (proxy: string, name: string, scur: number, status: string, type: number) =>
  `${proxy},${name},0,0,${scur},0,,0,0,0,,0,,0,0,0,0,${status},100,1,0,0,0,0,0,,1,1,1,,0,,${type},`;
const stat = parseShowStat(
  [
    header,
    row('be_online', 's1', 2, 'DRAIN', 2),
    row('be_online', 's2', 0, 'UP 1/2', 2),
    row('be_online', 'BACKEND', 2, 'UP', 1),
    row('be_maint', 's1', 0, 'UP', 2),
    row('be_maint', 's2', 0, 'MAINT', 2),
    row('be_maint', 'BACKEND', 0, 'UP', 1),
    '',
  ].join('\n'),
);
const states = parseServersState(
  [
    '1',
    '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change',
    '3 be_online 1 s1 127.0.0.1 2 8 100 100 0',
    '3 be_online 2 s2 127.0.0.1 2 0 100 100 0',
    '4 be_maint 1 s1 127.0.0.1 2 0 100 100 0',
    '4 be_maint 2 s2 127.0.0.1 0 1 100 100 0',
    '',
  ].join('\n'),
);
const pool = { onlineBackend: 'be_online', maintenanceBackend: 'be_maint' };

describe('buildInstanceSnapshot', () => {
  it('joins admin state, status and sessions per backend', () => {
    const snapshot = buildInstanceSnapshot('lb-a', pool, stat, states);
    expect(snapshot.backends.online.servers).toEqual([
      {
        server: 's1',
        admin: 'drain',
        status: 'DRAIN',
        statusText: 'DRAIN',
        healthyUp: false,
        sessions: 2,
        weight: 100,
      },
      {
        server: 's2',
        admin: 'ready',
        status: 'UP',
        statusText: 'UP 1/2',
        healthyUp: false,
        sessions: 0,
        weight: 100,
      },
    ]);
    expect(snapshot.backends.maintenance.servers.map((s) => [s.server, s.admin, s.healthyUp])).toEqual([
      ['s1', 'ready', true],
      ['s2', 'maint', false],
    ]);
  });

  it('says which backend or server an instance lacks', () => {
    const snapshot = buildInstanceSnapshot('lb-a', pool, stat, states);
    expect(missingFromSnapshot(snapshot, ['s1', 's2'])).toBeUndefined();
    expect(missingFromSnapshot(snapshot, ['s1', 's7', 's8'])).toEqual({
      reason: 'unknown_server',
      instance: 'lb-a',
      detail: 'unknown servers s7, s8: not in backend "be_online" on instance lb-a',
    });
    const elsewhere = buildInstanceSnapshot(
      'lb-b',
      { onlineBackend: 'be_online', maintenanceBackend: 'be_other' },
      stat,
      states,
    );
    expect(missingFromSnapshot(elsewhere, ['s1'])).toEqual({
      reason: 'haproxy_error',
      instance: 'lb-b',
      detail: 'instance lb-b has no maintenance backend "be_other"',
    });
  });
});
