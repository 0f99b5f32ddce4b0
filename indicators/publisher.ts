/**
 * Makes the new figures after loads in the background, one run at a time: a load answers as soon as it
 * is committed, and the recompute, protection, audit and release follow here. Loads that arrive while
 * a run is under way are taken together by the next run (a run covers every load committed before it
 * began), so a burst of uploads costs one run more, not one per upload.
 */
export class Publisher {
  private running: Promise<void> | null = null;
  private wanted: string | null = null;

  /** `run` makes the new figures (recompute, protection, audit, release); `onError` hears its failures. */
  constructor(
    private readonly run: (trigger: string) => Promise<void>,
    private readonly onError: (error: unknown, trigger: string) => void,
  ) {}

  /** Asks for a run after a load; returns at once (the run starts now, or after the one under way). */
  request(trigger: string): void {
    this.wanted ??= trigger;
    this.running ??= this.loop();
  }

  /** Whether a run is under way (or about to start). */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves once no run is under way or asked for (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    // `wanted` is checked and `running` cleared in the same synchronous step: a request arriving
    // while the last run finishes either is seen here or starts a new loop
    while (this.wanted !== null) {
      const trigger = this.wanted;
      this.wanted = null;
      try {
        await this.run(trigger);
      } catch (error) {
        // the loads stay committed; their figures are made by the next run (recomputeIfStale sees them)
        this.onError(error, trigger);
      }
    }
    this.running = null;
  }
}
