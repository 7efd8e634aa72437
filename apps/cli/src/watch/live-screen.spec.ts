import { redrawSequence } from './live-screen';

describe('redrawing the live view in place', () => {
  it('draws the first frame where the cursor is', () => {
    expect(redrawSequence(0, ['a', 'b'])).toBe('a\x1b[K\nb\x1b[K\n\x1b[J');
  });

  it('moves back to the first line of the last frame, rewrites each line and clears what the new frame does not cover', () => {
    expect(redrawSequence(3, ['x'])).toBe('\x1b[3Fx\x1b[K\n\x1b[J');
  });
});
