import { describe, expect, it } from 'vitest';

import { BURST, RequestScheduler, type Lane, type RequestKind } from '@rag/core/testing';

/** A scheduler whose sends are recorded by name, with a clock the test moves. */
function harness(maxBackgroundWaitMs = 1000, anticipateMs = 0, burstAnticipateMs?: number) {
  let now = 0;
  const sent: string[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  const s = new RequestScheduler({
    maxBackgroundWaitMs,
    anticipateMs,
    burstAnticipateMs,
    now: () => now,
    later: (fn, ms) => timers.push({ at: now + ms, fn }),
  });
  const submit = (name: string, lane: Lane, kind: RequestKind) =>
    s.submit(lane, kind, () => sent.push(name));
  return {
    s,
    sent,
    submit,
    timers,
    advance: (ms: number) => {
      now += ms;
      const due = timers.filter((x) => x.at <= now);
      timers.splice(0, timers.length, ...timers.filter((x) => x.at > now));
      for (const t of due) t.fn();
    },
  };
}

describe('the embedded database request scheduler', () => {
  it('sends waiting interactive requests before waiting background ones', () => {
    const h = harness();
    h.submit('bg-running', 'background', 'plain');
    h.submit('bg-1', 'background', 'plain');
    h.submit('bg-2', 'background', 'plain');
    h.submit('ask', 'interactive', 'plain');
    // The interactive request pipelines behind the one background statement already sent.
    expect(h.sent).toEqual(['bg-running', 'ask']);
    h.s.settled('plain', true);
    expect(h.sent).toEqual(['bg-running', 'ask']);
    h.s.settled('plain', true);
    expect(h.sent).toEqual(['bg-running', 'ask', 'bg-1']);
  });

  it('lets a transaction own the backend: only its statements go until its end is answered', () => {
    const h = harness();
    h.submit('bg-begin', 'background', 'begin');
    h.submit('ask', 'interactive', 'plain');
    h.submit('bg-next', 'background', 'begin');
    h.submit('bg-stmt', 'background', 'tx');
    expect(h.sent).toEqual(['bg-begin', 'bg-stmt']);
    h.s.settled('begin', true);
    h.s.settled('tx', true);
    h.submit('bg-end', 'background', 'end');
    expect(h.sent).toEqual(['bg-begin', 'bg-stmt', 'bg-end']);
    h.s.settled('end', true);
    // Between the two background transactions the request goes first.
    expect(h.sent).toEqual(['bg-begin', 'bg-stmt', 'bg-end', 'ask']);
    h.s.settled('plain', true);
    expect(h.sent.at(-1)).toBe('bg-next');
  });

  it('starts a transaction only once the plain requests in flight are answered', () => {
    const h = harness();
    h.submit('q1', 'interactive', 'plain');
    h.submit('tx', 'interactive', 'begin');
    h.submit('q2', 'interactive', 'plain');
    expect(h.sent).toEqual(['q1']);
    h.s.settled('plain', true);
    expect(h.sent).toEqual(['q1', 'tx']);
    // A begin that fails gives the backend back.
    h.s.settled('begin', false);
    expect(h.sent).toEqual(['q1', 'tx', 'q2']);
  });

  it('does not starve background work: past its wait limit it goes before newer requests', () => {
    const h = harness(1000);
    h.submit('ask-1', 'interactive', 'plain');
    h.submit('bg', 'background', 'begin');
    h.advance(1001);
    h.submit('ask-2', 'interactive', 'plain');
    // ask-1 is in flight: the old background transaction waits for it to drain, ask-2 waits too.
    expect(h.sent).toEqual(['ask-1']);
    h.s.settled('plain', true);
    expect(h.sent).toEqual(['ask-1', 'bg']);
    h.submit('bg-end', 'background', 'end');
    h.s.settled('end', true);
    expect(h.sent).toEqual(['ask-1', 'bg', 'bg-end', 'ask-2']);
  });

  it("keeps background work back briefly after an answer, for the request's next statement", () => {
    const h = harness(1000, 5);
    h.submit('ask-1', 'interactive', 'plain');
    h.submit('bg', 'background', 'begin');
    h.s.settled('plain', true, 'interactive');
    expect(h.sent).toEqual(['ask-1']);
    // The request's next statement comes within the window: it goes first.
    h.advance(2);
    h.submit('ask-2', 'interactive', 'plain');
    expect(h.sent).toEqual(['ask-1', 'ask-2']);
    h.s.settled('plain', true, 'interactive');
    h.advance(4);
    expect(h.sent).toEqual(['ask-1', 'ask-2']);
    // Quiet for the whole window: the background transaction starts.
    h.advance(1);
    expect(h.sent).toEqual(['ask-1', 'ask-2', 'bg']);
  });

  it('keeps background work back longer during a burst of requests, not after a lone one', () => {
    const h = harness(1000, 5, 30);
    const answer = (name: string) => {
      h.submit(name, 'interactive', 'plain');
      h.s.settled('plain', true, 'interactive');
    };
    // A lone request's few statements: the short wait.
    answer('upload-1');
    answer('upload-2');
    h.submit('index', 'background', 'plain');
    h.advance(5);
    expect(h.sent.at(-1)).toBe('index');
    h.s.settled('plain', true, 'background');
    // A burst: BURST answers within a few ms. A gap of 5 ms is not quiet enough; 30 ms is.
    h.advance(100);
    for (let i = 0; i < BURST; i++) answer(`ask-${i}`);
    h.submit('bg', 'background', 'plain');
    h.advance(5);
    expect(h.sent.at(-1)).toBe(`ask-${BURST - 1}`);
    h.advance(24);
    expect(h.sent.at(-1)).toBe(`ask-${BURST - 1}`);
    h.advance(1);
    expect(h.sent.at(-1)).toBe('bg');
  });

  it('drops what waits when cleared', () => {
    const h = harness();
    h.submit('a', 'interactive', 'begin');
    h.submit('b', 'interactive', 'plain');
    h.submit('c', 'background', 'plain');
    expect(h.s.clear()).toBe(2);
    h.submit('d', 'background', 'plain');
    expect(h.sent).toEqual(['a', 'd']);
  });
});
