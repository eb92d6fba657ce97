import { describe, expect, it } from 'vitest';
import { CircuitBreaker, DEFAULT_BREAKER_POLICY } from './circuit-breaker';
import { createVirtualTime } from './testing/virtual-time';

function setup(policy = DEFAULT_BREAKER_POLICY) {
  const time = createVirtualTime();
  return { time, breaker: new CircuitBreaker(policy, time.clock) };
}

describe('CircuitBreaker', () => {
  it('opens after 5 counted failures within 60 s, for 30 s', () => {
    const { time, breaker } = setup();
    for (let i = 0; i < 4; i++) {
      breaker.onFailure('server');
      time.advance(10_000);
    }
    expect(breaker.state()).toBe('closed');
    breaker.onFailure('timeout');
    expect(breaker.state()).toBe('open');
    expect(breaker.canAttempt()).toBe(false);
    expect(breaker.blockedUntil()).toBe(time.clock.now() + 30_000);
    time.advance(29_999);
    expect(breaker.state()).toBe('open');
    time.advance(1);
    expect(breaker.state()).toBe('half-open');
  });

  it('forgets failures older than the window', () => {
    const { time, breaker } = setup();
    for (let i = 0; i < 5; i++) {
      breaker.onFailure('server');
      time.advance(20_000);
    }
    expect(breaker.state()).toBe('closed');
  });

  it('half-open lets exactly one probe through; its success closes the breaker', () => {
    const { time, breaker } = setup();
    breaker.onFailure('auth');
    time.advance(30_000);
    expect(breaker.canAttempt()).toBe(true);
    breaker.onAttemptStart();
    expect(breaker.canAttempt()).toBe(false);
    breaker.onSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.canAttempt()).toBe(true);
  });

  it('a failed probe opens it again for the whole cooldown', () => {
    const { time, breaker } = setup();
    breaker.onFailure('budget');
    time.advance(30_000);
    breaker.onAttemptStart();
    breaker.onFailure('connection');
    expect(breaker.state()).toBe('open');
    time.advance(29_999);
    expect(breaker.state()).toBe('open');
  });

  it('an aborted probe gives the probe back', () => {
    const { time, breaker } = setup();
    breaker.onFailure('auth');
    time.advance(30_000);
    breaker.onAttemptStart();
    breaker.onNeutral();
    expect(breaker.state()).toBe('half-open');
    expect(breaker.canAttempt()).toBe(true);
  });

  it('auth and budget open it at once; uncounted kinds do nothing', () => {
    for (const kind of ['auth', 'budget'] as const) {
      const { breaker } = setup();
      breaker.onFailure(kind);
      expect(breaker.state()).toBe('open');
    }
    const { breaker } = setup();
    for (let i = 0; i < 10; i++) breaker.onFailure('bad_request');
    for (let i = 0; i < 10; i++) breaker.onFailure('content_filter');
    expect(breaker.state()).toBe('closed');
  });

  it('counts the kinds it is configured to count', () => {
    const { breaker } = setup({ ...DEFAULT_BREAKER_POLICY, failureThreshold: 2, countKinds: new Set(['bad_request']), openAtOnceKinds: new Set() });
    breaker.onFailure('server');
    breaker.onFailure('auth');
    breaker.onFailure('bad_request');
    expect(breaker.state()).toBe('closed');
    breaker.onFailure('bad_request');
    expect(breaker.state()).toBe('open');
  });
});
