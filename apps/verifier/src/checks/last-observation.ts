/**
 * What a failed health check reports as its last observation. An attempt the warm-up window cut
 * short (its timeout below the spec's own) that got no answer says only that time ran out; an
 * earlier real answer ("version 2.3.9, expected 2.4.0") says why the server failed, so it stays.
 */
export interface LastObservation {
  text: string;
  /** The text came from an answer the server gave (status and body), not from its silence. */
  answered: boolean;
}

export const NO_OBSERVATION: LastObservation = { text: 'no attempt was made', answered: false };

export function observe(
  previous: LastObservation,
  attempt: { text: string; answered: boolean; cutShortByWindow: boolean },
): LastObservation {
  if (!attempt.answered && attempt.cutShortByWindow && previous.answered) return previous;
  return { text: attempt.text, answered: attempt.answered };
}
