/**
 * Named points where a test can kill the process (SEURANTA_FAILPOINT=<name>), to prove that a crash at
 * that moment loses nothing. Outside tests the variable is unset and this does nothing.
 */
export function failpoint(name: string): void {
  if (process.env.SEURANTA_FAILPOINT === name) process.kill(process.pid, "SIGKILL");
}
