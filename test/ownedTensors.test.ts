import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { OwnedTensors } from '../src/lib/backend/ownedTensors.js';

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
