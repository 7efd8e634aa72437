import { credentialFor, parseArtifactCredentials } from './artifact-credentials';

const credentials = parseArtifactCredentials(
  JSON.stringify([
    { urlPrefix: 'https://artifacts.example.com/', bearerToken: 'general' },
    { urlPrefix: 'https://artifacts.example.com/shop', username: 'deploy', password: 'pw' },
    { urlPrefix: 'https://nexus.example.com/repo/', header: 'X-Api-Key', value: 'k' },
  ]),
  'test',
);

describe('credentialFor', () => {
  it('takes the longest matching prefix', () => {
    expect(credentialFor('https://artifacts.example.com/shop/shop-1.zip', credentials)).toEqual({
      name: 'authorization',
      value: `Basic ${Buffer.from('deploy:pw').toString('base64')}`,
    });
    expect(credentialFor('https://artifacts.example.com/billing/b.zip', credentials)).toEqual({
      name: 'authorization',
      value: 'Bearer general',
    });
    expect(credentialFor('https://nexus.example.com/repo/a.tgz', credentials)).toEqual({
      name: 'x-api-key',
      value: 'k',
    });
  });

  it('matches whole path segments, same scheme, host and port only', () => {
    expect(credentialFor('https://artifacts.example.com/shopping/x.zip', credentials)?.value).toBe(
      'Bearer general',
    );
    expect(credentialFor('https://artifacts.example.com.evil.test/x.zip', credentials)).toBeUndefined();
    expect(credentialFor('http://artifacts.example.com/x.zip', credentials)).toBeUndefined();
    expect(credentialFor('https://artifacts.example.com:8443/x.zip', credentials)).toBeUndefined();
    expect(credentialFor('https://nexus.example.com/other/a.tgz', credentials)).toBeUndefined();
  });
});

describe('parseArtifactCredentials', () => {
  it('refuses a prefix with credentials, a bad header and line breaks, without echoing secrets', () => {
    expect(() =>
      parseArtifactCredentials(JSON.stringify([{ urlPrefix: 'https://u:p@x.test/', bearerToken: 't' }]), 'f'),
    ).toThrow(/must not carry user:pass@/);
    expect(() =>
      parseArtifactCredentials(
        JSON.stringify([{ urlPrefix: 'https://x.test/', header: 'Host', value: 'v' }]),
        'f',
      ),
    ).toThrow(/f:/);
    let message = '';
    try {
      parseArtifactCredentials(
        JSON.stringify([{ urlPrefix: 'https://x.test/', bearerToken: 'sec\nret' }]),
        'f',
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/line break/);
    expect(message).not.toContain('sec');
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseArtifactCredentials('nope', 'ARTIFACT_CREDENTIALS_FILE /x')).toThrow(
      'ARTIFACT_CREDENTIALS_FILE /x is not valid JSON',
    );
  });
});
