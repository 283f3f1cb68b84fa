// The placer cost's arithmetic, by hand: 1 GiB in 5 MiB fallback objects is 204.8 invocations.
import { expect } from 'chai';
import { placerCostPerGb } from '../../bench/placer-cost';

describe('placer cost per GB placed', () => {
  it('adds Lambda time at the vCPU share, requests, one GET per object and a PUT and LIST per hour', () => {
    const lines = placerCostPerGb({ cpuSecondsPerGb: 10, hoursPerObject: 24 }, 1769 / 2, 5);
    const round = (x: number) => Number(x.toPrecision(6));
    expect(lines.map((l) => [l.name, round(l.quantity), round(l.usd)])).to.deep.equal([
      // Half a vCPU: 20 s of wall time, at 0.8638 GB of memory: 17.2754 GB-s × $0.00001667.
      ['Lambda GB-seconds', 17.2754, round(17.275390625 * 0.00001667)],
      ['Lambda requests', 204.8, round(204.8 * 0.0000002)],
      ['S3 GET (fallback objects)', 204.8, round(204.8 * 0.0000004)],
      ['S3 PUT (placed objects)', 4915.2, round(4915.2 * 0.000005)],
      ['S3 LIST (marker per hour)', 4915.2, round(4915.2 * 0.000005)],
    ]);
  });

  it('gives the function no more than one vCPU however much memory it has', () => {
    const [big] = placerCostPerGb({ cpuSecondsPerGb: 10, hoursPerObject: 1 }, 3538, 5);
    expect(big.quantity).to.equal(10 * (3538 / 1024));
  });
});
