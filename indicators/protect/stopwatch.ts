/** Milliseconds per named step, to see where the time goes: lap(name) records the time since the last lap. */
export function stopwatch(): { ms: Record<string, number>; lap: (name: string) => void } {
  const ms: Record<string, number> = {};
  let clock = performance.now();
  return {
    ms,
    lap(name) {
      const now = performance.now();
      ms[name] = Math.round(now - clock);
      clock = now;
    },
  };
}
