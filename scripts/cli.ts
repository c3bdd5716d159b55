/** Runs a CLI body and turns a failure into one readable line and exit code 1. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (error) {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
