// A seeded random source for properties over generated mixes: the simulations' mulberry32
// (verify/sim-support.ts), so a failing seed reruns exactly and no third copy of it exists.
import { Rng } from '../../verify/sim-support';

/** Numbers in [0, 1) from `seed`, the same sequence every run. */
export const prng = (seed: number): (() => number) => new Rng(seed).next;
