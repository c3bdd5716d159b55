import { describe, expect, it } from 'vitest'
import {
  decideAttempt,
  slowDownSeconds,
  stateAfterSuccess,
  THROTTLE,
  type ThrottleState,
} from '../../app/domains/accounts/throttles.server'

const start = new Date('2026-06-15T04:00:00Z')
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000)

/** Feeds attempts to one key the way reserveAttempt does, keeping only what an admitted or locking attempt stores. */
function run(kind: 'account' | 'ip', times: number[]) {
  let state: ThrottleState | null = null
  return times.map((seconds) => {
    const decision = decideAttempt(state, kind, at(seconds))
    if (decision.next) state = decision.next
    return decision.admitted ? `ok@${decision.position}` : `wait ${decision.retryAfterSeconds}`
  })
}

describe('attempt throttles', () => {
  it('doubles the account delay from one second up to a minute', () => {
    const limit = THROTTLE.accountLimit
    expect([1, 2, 3, 4].map((p) => slowDownSeconds(p, limit))).toEqual([0, 0, 0, 0])
    expect([5, 6, 7, 8, 9, 10, 11, 12, 500, 5000].map((p) => slowDownSeconds(p, limit))).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60, 60,
    ])
  })

  it('admits the account limit at once, then one attempt per delay; never a lock', () => {
    expect(run('account', [0, 0, 0, 0, 0, 0, 0.5, 1, 1, 2.9, 3, 3])).toEqual([
      'ok@1',
      'ok@2',
      'ok@3',
      'ok@4',
      'ok@5',
      'wait 1',
      'wait 1',
      'ok@6',
      'wait 2',
      'wait 1',
      'ok@7',
      'wait 4',
    ])
  })

  it('starts a new window for an account after windowMinutes, once a pending delay is served', () => {
    const window = THROTTLE.windowMinutes * 60
    expect(run('account', [0, 0, 0, 0, 0, 0, window - 1, window, window + 1])).toEqual([
      'ok@1',
      'ok@2',
      'ok@3',
      'ok@4',
      'ok@5',
      'wait 1',
      'ok@6',
      'wait 1',
      'ok@7',
    ])
  })

  it('keeps a slowed account slowed until a whole window passes without an admitted attempt', () => {
    const window = THROTTLE.windowMinutes * 60
    const burst = [0, 0, 0, 0, 0]
    // One guess a minute, for an hour: every one is admitted, and none starts a new window.
    const steady = Array.from({ length: 60 }, (_, i) => 60 * (i + 1))
    const answers = run('account', [...burst, ...steady, 3600 + 60 + window])
    expect(answers.slice(5, 65)).toEqual(steady.map((_, i) => `ok@${i + 6}`))
    // Quiet for a window after the last delay ended: from nothing again.
    expect(answers.at(-1)).toBe('ok@1')
    const notQuiet = run('account', [...burst, ...steady, 3600 + 60 + window - 1])
    expect(notQuiet.at(-1)).toBe('ok@66')
  })

  it('locks an address at the first attempt past its limit, for lockMinutes, then starts afresh', () => {
    const lock = THROTTLE.lockMinutes * 60
    const times = [...Array.from({ length: THROTTLE.ipLimit }, () => 0), 10, 20, 10 + lock - 1, 10 + lock]
    const answers = run('ip', times)
    expect(answers.slice(0, THROTTLE.ipLimit)).toEqual(
      Array.from({ length: THROTTLE.ipLimit }, (_, i) => `ok@${i + 1}`),
    )
    // The lock runs from the refusal that started it; later refusals do not extend it.
    expect(answers.slice(THROTTLE.ipLimit)).toEqual([`wait ${lock}`, `wait ${lock - 10}`, 'wait 1', 'ok@1'])
  })

  it('after a success, forgives an account the attempts up to it but keeps those that came after', () => {
    const slowed: ThrottleState = { failures: 7, windowStartedAt: start, lockedUntil: at(4) }
    // A success at place 3 of 7: four later attempts, still under the limit, so no delay remains.
    expect(stateAfterSuccess(slowed, 'account', 3)).toEqual({ ...slowed, failures: 4, lockedUntil: null })
    // A success at place 1 of 7: six later attempts keep the account slowed.
    expect(stateAfterSuccess(slowed, 'account', 1)).toEqual({ ...slowed, failures: 6 })
    // The last place: nothing left to remember.
    expect(stateAfterSuccess(slowed, 'account', 7)).toBeNull()
  })

  it('after a success, gives an address back only that attempt’s place', () => {
    const busy: ThrottleState = { failures: 12, windowStartedAt: start, lockedUntil: null }
    expect(stateAfterSuccess(busy, 'ip', 12)).toEqual({ ...busy, failures: 11 })
    expect(stateAfterSuccess({ ...busy, failures: 1 }, 'ip', 1)).toBeNull()
    const locked: ThrottleState = { ...busy, failures: THROTTLE.ipLimit, lockedUntil: at(60) }
    expect(stateAfterSuccess(locked, 'ip', 3)).toEqual({ ...locked, failures: THROTTLE.ipLimit - 1 })
  })
})
