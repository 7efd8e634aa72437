import { suiteIdentity } from './suite-identity';

const passwd = () =>
  [
    'root:x:0:0:root:/root:/bin/bash',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    'smoke:x:1500:1600::/home/smoke:/bin/sh',
  ].join('\n');

describe('suiteIdentity', () => {
  it('is the verifier’s own user when nothing is configured', () => {
    expect(suiteIdentity({}, passwd, 0)).toBeUndefined();
  });

  it('takes a numeric uid, with the gid defaulting to it', () => {
    expect(suiteIdentity({ SMOKE_RUN_AS_UID: 65534 }, passwd, 0)).toEqual({ uid: 65534, gid: 65534 });
    expect(suiteIdentity({ SMOKE_RUN_AS_UID: 1500, SMOKE_RUN_AS_GID: 1700 }, passwd, 0)).toEqual({
      uid: 1500,
      gid: 1700,
    });
  });

  it('looks a user name up in /etc/passwd', () => {
    expect(suiteIdentity({ SMOKE_RUN_AS_USER: 'smoke' }, passwd, 0)).toEqual({ uid: 1500, gid: 1600 });
    expect(() => suiteIdentity({ SMOKE_RUN_AS_USER: 'ghost' }, passwd, 0)).toThrow('no user "ghost"');
  });

  it('refuses root, both a name and a uid, a gid alone, and a verifier that cannot switch users', () => {
    expect(() => suiteIdentity({ SMOKE_RUN_AS_USER: 'root' }, passwd, 0)).toThrow('must not run as root');
    expect(() => suiteIdentity({ SMOKE_RUN_AS_USER: 'smoke', SMOKE_RUN_AS_UID: 5 }, passwd, 0)).toThrow(
      'not both',
    );
    expect(() => suiteIdentity({ SMOKE_RUN_AS_GID: 5 }, passwd, 0)).toThrow('needs SMOKE_RUN_AS_UID');
    expect(() => suiteIdentity({ SMOKE_RUN_AS_UID: 65534 }, passwd, 1000)).toThrow(
      'needs the verifier to run as root',
    );
  });
});
