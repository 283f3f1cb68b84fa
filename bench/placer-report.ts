// The bench's placer section: throughput on moto and the cost per GB placed it implies.
import { startMoto } from '../rotation/local/moto';
import { measurePlacer } from './placer-bench';
import { placerCostPerGb } from './placer-cost';
import { NO_GOAL, progress, row, Row } from './report';

/** The Placer component's default memory (components/placer.ts) and Firehose's default buffer. */
const MEMORY_MIB = 1024;
const OBJECT_MIB = 5;

export async function placerSection(quick: boolean): Promise<Row[]> {
  const mib = quick ? 16 : 64;
  console.log(
    `\n## Placer (one GZIP fallback object of ${mib} MiB of ~1 KiB late events over 24 hours, on moto; ` +
      'floor: GetObject + gunzip + line split of the same object)',
  );
  const moto = await startMoto();
  try {
    progress(`placer, ${mib} MiB`);
    const r = await measurePlacer(moto.endpoint, mib);
    const placer = r.mib / r.placerSeconds;
    const floor = r.mib / r.floorSeconds;
    console.log(
      `placed ${r.records} records (${r.mib.toFixed(1)} MiB) into ${r.placedObjects} objects over ${r.hours} hours in ` +
        `${r.placerSeconds.toFixed(2)} s (CPU ${r.placerCpuSeconds.toFixed(2)} s): ${placer.toFixed(1)} MiB/s; ` +
        `floor ${r.floorSeconds.toFixed(2)} s, ${floor.toFixed(1)} MiB/s`,
    );
    const gb = r.mib / 1024;
    const lines = placerCostPerGb(
      // Late records interleaved as in the bench object: each fallback object touches every hour.
      { cpuSecondsPerGb: r.placerCpuSeconds / gb, hoursPerObject: r.hours },
      MEMORY_MIB,
      OBJECT_MIB,
    );
    const total = lines.reduce((a, l) => a + l.usd, 0);
    console.log(
      `cost per GB placed (${MEMORY_MIB} MiB function, ${OBJECT_MIB} MiB fallback objects, us-east-1 list prices): ` +
        `$${total.toFixed(4)} = ${lines.map((l) => `${l.name} ${l.quantity.toFixed(1)} → $${l.usd.toFixed(5)}`).join('; ')}`,
    );
    return [
      row('placer throughput (MiB/s of fallback read)', placer, floor, 'MiB/s', NO_GOAL, 1),
      row('placer cost per GB placed (USD)', total, total, '$', NO_GOAL, 4),
    ];
  } finally {
    await moto.stop();
  }
}
