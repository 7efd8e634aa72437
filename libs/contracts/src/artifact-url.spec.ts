import { artifactRef } from './common';
import { deployCommandPayload } from './agent/signed-command';

const artifact = {
  service: 'shop',
  version: '1.2.0',
  url: 'https://artifacts.example.com/shop/shop-1.2.0.zip',
  sha256: 'ab'.repeat(32),
  size: 1024,
};

describe('artifact URLs and sizes in the contracts', () => {
  it.each(['https://user:pass@artifacts.example.com/x.zip', 'https://token@artifacts.example.com/x.zip'])(
    'refuses a URL with credentials: %s',
    (url) => {
      const parsed = artifactRef.safeParse({ ...artifact, url });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain('must not carry credentials');
    },
  );

  it('accepts a plain URL', () => {
    expect(artifactRef.safeParse(artifact).success).toBe(true);
  });

  it('a deploy command needs the artifact size (positive bytes)', () => {
    const step = { deploymentId: '0b5c2a43-3f4e-4b7e-9d53-5d6e2f1f2a10', stepId: 's1' };
    expect(deployCommandPayload.safeParse({ ...step, artifact }).success).toBe(true);
    const { size: _size, ...unsized } = artifact;
    expect(deployCommandPayload.safeParse({ ...step, artifact: unsized }).success).toBe(false);
    expect(deployCommandPayload.safeParse({ ...step, artifact: { ...artifact, size: 0 } }).success).toBe(
      false,
    );
  });
});
