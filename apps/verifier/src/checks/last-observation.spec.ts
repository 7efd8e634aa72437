import { NO_OBSERVATION, observe } from './last-observation';

describe('the last observation a failed health check reports', () => {
  const wrongVersion = { text: 'version 2.3.9, expected 2.4.0', answered: true };

  it('keeps a real answer when the window cut the final attempt short and it got none', () => {
    const next = observe(wrongVersion, {
      text: 'no answer within 2 ms',
      answered: false,
      cutShortByWindow: true,
    });
    expect(next.text).toBe('version 2.3.9, expected 2.4.0');
  });

  it('reports silence that had the full request timeout: the server really stopped answering', () => {
    const next = observe(wrongVersion, {
      text: 'no answer within 400 ms',
      answered: false,
      cutShortByWindow: false,
    });
    expect(next).toEqual({ text: 'no answer within 400 ms', answered: false });
  });

  it('takes every new answer, and silence when nothing better was seen', () => {
    expect(
      observe(wrongVersion, { text: 'answered 500, expected 200', answered: true, cutShortByWindow: true })
        .text,
    ).toBe('answered 500, expected 200');
    expect(
      observe(NO_OBSERVATION, { text: 'no answer within 3 ms', answered: false, cutShortByWindow: true })
        .text,
    ).toBe('no answer within 3 ms');
  });
});
