// Keeps the placer bench from rotting: its measurement at 1 MiB on the shared moto, counts only (no
// timed assertions: timings belong to the bench).
import { expect } from 'chai';
import { measurePlacer } from '../../bench/placer-bench';
import { useMoto } from '../support/moto';

describe('bench: placer', function () {
  this.timeout(60_000);
  const moto = useMoto();

  it('places every record of a 1 MiB GZIP fallback object into 24 hourly objects', async () => {
    const r = await measurePlacer(moto.endpoint, 1);
    expect([r.records, r.hours, r.placedObjects]).to.deep.equal([1089, 24, 24]);
    expect(r.mib).to.be.within(1, 1.001);
  });
});
