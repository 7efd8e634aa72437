import {
  attemptTimeoutMs,
  deadlineAfter,
  delayBeforeNextAttempt,
  earliestDeadline,
  formatSeconds,
  remainingMs,
} from './deadline';

describe('deadline arithmetic', () => {
  it('puts the deadline the given seconds after the start', () => {
    expect(deadlineAfter(1_000, 60)).toBe(61_000);
  });

  it('never reports negative time left', () => {
    expect(remainingMs(5_000, 3_000)).toBe(2_000);
    expect(remainingMs(5_000, 9_000)).toBe(0);
  });

  it("cuts a check's warm-up window to the verification's deadline", () => {
    expect(earliestDeadline(10_000, 60_000)).toBe(10_000);
    expect(earliestDeadline(90_000, 60_000)).toBe(60_000);
  });

  it('gives an attempt its own timeout, or what is left before the deadline if less', () => {
    expect(attemptTimeoutMs(5_000, 100_000, 0)).toBe(5_000);
    expect(attemptTimeoutMs(5_000, 1_200, 0)).toBe(1_200);
    expect(attemptTimeoutMs(5_000, 1_000, 2_000)).toBe(0);
  });

  it('starts attempts an interval apart, at once when the last one took longer than the interval', () => {
    expect(delayBeforeNextAttempt(500, 1_000, 1_100, 10_000)).toBe(400);
    expect(delayBeforeNextAttempt(500, 1_000, 2_000, 10_000)).toBe(0);
  });

  it('makes no further attempt when it would start at or after the deadline', () => {
    expect(delayBeforeNextAttempt(500, 1_000, 1_100, 1_500)).toBeUndefined();
    expect(delayBeforeNextAttempt(500, 1_000, 1_100, 1_501)).toBe(400);
  });

  it('formats durations as seconds with one decimal', () => {
    expect(formatSeconds(2_460)).toBe('2.5 s');
    expect(formatSeconds(0)).toBe('0.0 s');
  });
});
