// Property tests read their budget and seed from the environment so CI can
// run a long soak (FC_NUM_RUNS=10000) or replay a reported failure
// (FC_SEED=...) without editing test files. Prints nothing: test output
// should only contain fast-check's own counterexample reports.

export const fcRuns = Number(process.env.FC_NUM_RUNS ?? 100)

export function fcParams(): { numRuns: number; seed?: number } {
  // Fail loudly on a typo in the env var rather than letting fast-check run
  // with NaN runs (which could silently test nothing).
  if (!Number.isSafeInteger(fcRuns) || fcRuns < 1) {
    throw new Error(`FC_NUM_RUNS must be a positive integer, got ${String(process.env.FC_NUM_RUNS)}`)
  }
  const rawSeed = process.env.FC_SEED
  if (rawSeed === undefined || rawSeed === '') return { numRuns: fcRuns }
  const seed = Number(rawSeed)
  if (!Number.isInteger(seed)) {
    throw new Error(`FC_SEED must be an integer, got ${rawSeed}`)
  }
  return { numRuns: fcRuns, seed }
}
