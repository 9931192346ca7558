/** Anything that frees memory on dispose(): tensors, prepared tasks, operators, models (optional for stateless priors). */
export interface Disposable {
  dispose?(): void;
}

/**
 * What one computation allocated, freed together in reverse order (last made, first freed), in a
 * `finally` so a failing run releases it too.
 */
export class OwnedTensors {
  private readonly items: Disposable[] = [];

  keep<T extends Disposable>(item: T): T {
    this.items.push(item);
    return item;
  }

  /** keep() for each item, in order (a batch's truth, y and x_T; a gradient's parts). */
  keepAll<T extends Disposable>(items: readonly T[]): T[] {
    return items.map((item) => this.keep(item));
  }

  /** Frees every item even when one dispose() throws; the first such error is rethrown after. */
  dispose(): void {
    const items = this.items.splice(0).reverse();
    let failure: { error: unknown } | undefined;
    for (const item of items) {
      try {
        item.dispose?.();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
