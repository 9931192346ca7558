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

  dispose(): void {
    for (const item of this.items.reverse()) item.dispose?.();
    this.items.length = 0;
  }
}
