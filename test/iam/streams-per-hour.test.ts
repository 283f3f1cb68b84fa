// IAM with several streams per hour: the roles of a pipeline with streamsPerHour N allow every
// request the rotation and the router make on an hour's siblings, and still deny the negative set
// (another prefix's sibling-shaped names, our names beyond what N allows). The moto-recorded ledger
// (simulate.moto.test.ts) runs with one stream per hour; these requests are built with the same
// request builders and command→IAM table.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import { streamNamesFor } from '../../rotation/core/generations';
import { OWNER_TAG } from '../../rotation/core/settings';
import { useMocks } from '../components/mocks';
import { negativeCases, request } from './negative-requests';
import { buildPipeline, PipelineUnderTest } from './pipeline-under-test';
import { evaluate, explain } from './simulate';

const HOUR = DateTime.fromISO('2026-11-22T05:00:00Z', { zone: 'utc' });

/** Every request the code makes on one of an hour's streams, as the ledger would record it. */
function siblingRequests(p: PipelineUnderTest, name: string) {
  const s = p.settings;
  const ours = { [OWNER_TAG]: s.deploymentId };
  const create = hourlyStreamRequest(s, HOUR, name);
  return [
    request('rotation', 'CreateDeliveryStreamCommand', create, {}, 0),
    request('rotation', 'CreateDeliveryStreamCommand', create, {}, 1),
    request('rotation', 'CreateDeliveryStreamCommand', create, {}, 2),
    request('rotation', 'DescribeDeliveryStreamCommand', { DeliveryStreamName: name }, ours),
    request('rotation', 'ListTagsForDeliveryStreamCommand', { DeliveryStreamName: name }, ours),
    request('rotation', 'DeleteDeliveryStreamCommand', { DeliveryStreamName: name }, ours),
    request('router', 'PutRecordBatchCommand', { DeliveryStreamName: name }),
  ];
}

const pipelines: [string, Record<string, unknown>, number][] = [
  ['streamsPerHour 2 (lookahead 21 h fits quota 50)', { streamsPerHour: 2, lookaheadHours: 21 }, 2],
  ['streamsPerHour 12 (quota 500)', { streamsPerHour: 12, quota: 500, lookaheadHours: 12 }, 12],
];

for (const [title, config, n] of pipelines) {
  describe(`IAM simulation with ${title}`, () => {
    useMocks();
    let pipeline: PipelineUnderTest;

    before(async () => {
      pipeline = await buildPipeline(config);
    });

    it(`allows all ${n} streams of an hour: create, tag, pass role, describe, list tags, delete, put`, async () => {
      const names = streamNamesFor(HOUR, pipeline.settings);
      expect(names).to.have.length(n);
      expect(names.at(-1)).to.equal(`events-2026112205-${n - 1}`);
      const refused: string[] = [];
      for (const name of names) {
        for (const entry of siblingRequests(pipeline, name)) {
          const verdict = await evaluate(pipeline, entry);
          if (verdict.result !== 'Allowed') refused.push(explain(verdict));
        }
      }
      expect(refused, refused.join('\n')).to.deep.equal([]);
    });

    it('denies every negative case, sibling-shaped names included', async () => {
      const cases = negativeCases(pipeline);
      // Another prefix's siblings (2 requests: its tags may be read, for sharing); below N = 11,
      // also our names beyond N (3 more).
      const siblings = cases.filter((c) => c.name.includes('-2026112205-'));
      expect(siblings).to.have.length(n > 10 ? 2 : 5);
      const wrong: string[] = [];
      for (const c of cases) {
        const verdict = await evaluate(pipeline, c.entry);
        if (verdict.result !== c.expected)
          wrong.push(`${c.name}: expected ${c.expected}, ${explain(verdict)}`);
      }
      expect(wrong, wrong.join('\n')).to.deep.equal([]);
    });
  });
}
