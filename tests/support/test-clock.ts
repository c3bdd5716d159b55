/** The instant integration tests seed at: a mid-year Asia/Shanghai day, so year boundaries are not in play. */
export const SEED_NOW = new Date('2026-06-15T04:00:00Z')
