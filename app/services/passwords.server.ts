import { hash, verify } from '@node-rs/argon2'

/**
 * Password hashing: argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane). Hashing is deliberately expensive, so
 * at most two run at once per process; further logins queue instead of exhausting memory and starving page
 * requests. The parameters live in each hash, so a login can tell an outdated one and rehash it.
 */
// `algorithm: 2` is Algorithm.Argon2id: the package exports it as an ambient const enum, which isolated modules
// cannot read.
export const PASSWORD_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 as const }
const MAX_CONCURRENT_HASHES = 2

let running = 0
let peak = 0
let completed = 0
const waiting: Array<() => void> = []

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_HASHES) running++
  // A released slot is handed straight to the next waiter (running stays the same), so a newcomer can never
  // slip in between and make it three.
  else await new Promise<void>((resolve) => waiting.push(resolve))
  peak = Math.max(peak, running)
  try {
    return await work()
  } finally {
    completed++
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, PASSWORD_PARAMS))
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return withHashSlot(() => verify(passwordHash, password).catch(() => false))
}

/**
 * Verifies against a fixed hash of a random password: a login for an unknown account costs as much as one for a
 * known account, so timing does not tell which accounts exist.
 */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$fhi8j1vz9BFRI3VALkeerQ$BAnJuspXtU8PJWWjYLCakjRkSsB8huVGa5JjHGyt01E'

export async function verifyDummyPassword(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password)
  return false
}

/** True when a stored hash uses weaker parameters (or another algorithm) than the current ones. */
export function needsRehash(passwordHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash)
  if (!match) return true
  const [, m, t] = match.map(Number)
  return (m ?? 0) < PASSWORD_PARAMS.memoryCost || (t ?? 0) < PASSWORD_PARAMS.timeCost
}

/** For tests and monitoring: how many hashes run now, and the most that ever ran at once. */
export function passwordHashingStats(): {
  running: number
  peak: number
  waiting: number
  completed: number
} {
  return { running, peak, waiting: waiting.length, completed }
}

export function resetPasswordHashingPeak(): void {
  peak = running
}
