/**
 * Work still going on, so that what it uses (the stores, a server) is closed only once it is done.
 *
 * @example
 * const tasks = new InFlight();
 * const result = await tasks.track(handler(input));
 * await tasks.settled(); // elsewhere, before closing what handlers use
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Counts `work` as going on until it settles; returns it, its rejection still the caller's to handle. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Settles once nothing is going on, work tracked while waiting included. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled(this.pending);
  }
}
