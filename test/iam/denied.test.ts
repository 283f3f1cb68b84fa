// The negative set: requests generated from the deployed settings that the pipeline's policies must
// deny, each with the exact decision (a Deny statement where one must decide). A policy widened by
// mistake (e.g. back to `deliverystream/<prefix>-*`) turns one of these into "Allowed".
import { expect } from 'chai';
import { useMocks } from '../components/mocks';
import { negativeCases } from './negative-requests';
import { buildPipeline, PipelineUnderTest } from './pipeline-under-test';
import { evaluate, explain } from './simulate';

describe('IAM simulation: what the pipeline must not do is denied', () => {
  useMocks();
  let pipeline: PipelineUnderTest;

  before(async () => {
    pipeline = await buildPipeline();
  });

  it('denies every negative case with the expected decision', async () => {
    const cases = negativeCases(pipeline);
    const wrong: string[] = [];
    for (const c of cases) {
      const verdict = await evaluate(pipeline, c.entry);
      if (verdict.result !== c.expected) wrong.push(`${c.name}: expected ${c.expected}, ${explain(verdict)}`);
    }
    expect(wrong, wrong.join('\n')).to.deep.equal([]);
    console.log(`      IAM simulation: negative cases denied ${cases.length}/${cases.length}`);
  });
});
