// A counting semaphore: bounds how much work is in flight (files being read, listings fetched
// ahead) so memory stays bounded however large the tree is.
export class Semaphore {
  private waiters: (() => void)[] = [];

  constructor(private available: number) {}

  /** Resolves once a permit is free (immediately if one is). */
  acquire(): Promise<void> | undefined {
    if (this.available > 0) {
      this.available--;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available++;
  }
}
