/**
 * The one clock. Production reads the system time; tests inject a fixed or advancing one. Every day, month and
 * year boundary in this app is an Asia/Shanghai one (UTC+8, no daylight saving), whatever the server's zone.
 */
export type Clock = { now(): Date }

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: Date | string): Clock {
  const time = new Date(at).getTime()
  return { now: () => new Date(time) }
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000

/** The Asia/Shanghai calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
}

export function shanghaiYear(instant: Date): number {
  return Number(shanghaiDate(instant).slice(0, 4))
}

/** The instant at which an Asia/Shanghai calendar date (YYYY-MM-DD) begins. */
export function startOfShanghaiDate(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Not a date: ${date}`)
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS)
}

/** Today's Asia/Shanghai date, for "valid on" checks such as certifications. */
export function shanghaiToday(clock: Clock = systemClock): string {
  return shanghaiDate(clock.now())
}

/**
 * An instant as Asia/Shanghai "YYYY-MM-DD HH:mm" (or with ":ss"), the same on server and browser (no Intl time
 * zone data needed).
 */
export function shanghaiDateTime(instant: string | Date, options: { seconds?: boolean } = {}): string {
  const local = new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, options.seconds ? 19 : 16)}`
}
