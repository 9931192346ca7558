import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { OwnedTensors } from '../src/lib/tensors/ownedTensors.js';

describe('OwnedTensors', () => {
  it('frees what it keeps, last kept first, once; keepAll keeps each item in order and returns them', () => {
    const freed: string[] = [];
    const item = (name: string) => ({ dispose: () => freed.push(name) });
    const owned = new OwnedTensors();
    const a = owned.keep(item('a'));
    const [b, c] = owned.keepAll([item('b'), item('c')]);
    owned.keep({});
    expect([a, b, c].every((x) => typeof x.dispose === 'function')).toBe(true);
    owned.dispose();
    expect(freed).toEqual(['c', 'b', 'a']);
    owned.dispose();
    expect(freed).toEqual(['c', 'b', 'a']);
  });

  it('leaves tf.memory() as it found it', () => {
    const before = tf.memory().numTensors;
    const owned = new OwnedTensors();
    owned.keepAll([tf.zeros([2]), tf.ones([3])]);
    expect(tf.memory().numTensors).toBe(before + 2);
    owned.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('OwnedTensors when a dispose() throws', () => {
  it('still frees every other item, then rethrows the first error', () => {
    const freed: string[] = [];
    const owned = new OwnedTensors();
    owned.keep({ dispose: () => freed.push('a') });
    owned.keep({
      dispose: () => {
        throw new Error('kept second, freed third');
      },
    });
    owned.keep({
      dispose: () => {
        throw new Error('kept third, freed second');
      },
    });
    const t = owned.keep(tf.zeros([2]));
    expect(() => owned.dispose()).toThrow('kept third, freed second');
    expect(freed).toEqual(['a']);
    expect(t.isDisposed).toBe(true);
    expect(() => owned.dispose()).not.toThrow();
  });
});
