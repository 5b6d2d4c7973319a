// Wait for a condition instead of sleeping for a guessed time: polls until `check` holds. The
// deadline only bounds a real failure; a busy CI machine just takes more polls.
export async function waitFor(check: () => Promise<boolean>, { deadlineMs = 60_000, pollMs = 25 } = {}): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
