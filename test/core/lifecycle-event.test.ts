// The lifecycle contract: which events are lifecycle events, and the exact errors for malformed
// ones and for a record this code did not write (guessing either way could tear down or leak).
// The wire names (payload field and record key and fields, all `generation`: the lifecycle id's
// old name) are spelled out literally here: deployed stacks send and store them.
import { expect } from 'chai';
import * as fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import {
  destroyHoldUntil,
  LIFECYCLE_RECORD_KEY,
  lifecycleEventOf,
  lifecycleRecordText,
  parseLifecycleRecord,
} from '../../rotation/core/lifecycle-event';

const G = '11111111-1111-4111-8111-111111111111';

describe('lifecycle events', () => {
  const table: [string, { action?: unknown; generation?: unknown }, unknown][] = [
    ['a scheduled run', { action: undefined }, undefined],
    ['a CLI rotate', { action: 'rotate' }, undefined],
    ['a teardown', { action: 'teardown' }, undefined],
    ['a deploy', { action: 'deploy', generation: G }, { action: 'deploy', lifecycleId: G }],
    ['a destroy', { action: 'destroy', generation: G }, { action: 'destroy', lifecycleId: G }],
  ];
  for (const [what, event, expected] of table) {
    it(`${what} is ${expected ? 'a lifecycle event' : 'not a lifecycle event'}`, () => {
      expect(lifecycleEventOf(event)).to.deep.equal(expected);
    });
  }

  const bad: [string, { action: string; generation?: unknown }, string][] = [
    ['no lifecycle id', { action: 'destroy' }, 'got undefined'],
    ['an empty one', { action: 'deploy', generation: '' }, 'got ""'],
    ['not a UUID', { action: 'destroy', generation: 'gen-1' }, 'got "gen-1"'],
    ['a number', { action: 'destroy', generation: 1 }, 'got 1'],
  ];
  for (const [what, event, got] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => lifecycleEventOf(event)).to.throw(
        `lifecycle event ${event.action}: generation must be a UUID made by the lifecycle resource (${got})`,
      );
    });
  }

  it('accepts every crypto.randomUUID and keeps it as given (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('deploy' as const, 'destroy' as const), (action) => {
        const lifecycleId = randomUUID();
        // The stored record checks the same pattern: what a deploy sends, the record reads back.
        expect(
          parseLifecycleRecord(JSON.stringify({ generation: lifecycleId, deployedAt: '' })).lifecycleId,
        ).to.equal(lifecycleId);
        expect(lifecycleEventOf({ action, generation: lifecycleId })).to.deep.equal({ action, lifecycleId });
      }),
    );
  });

  it('reads a record back and rejects one it did not write', () => {
    expect(
      parseLifecycleRecord(`{"generation":"${G}","deployedAt":"2026-12-07T18:00:00.000Z"}\n`),
    ).to.deep.equal({
      lifecycleId: G,
      deployedAt: '2026-12-07T18:00:00.000Z',
    });
    expect(() => parseLifecycleRecord('nope')).to.throw(
      `${LIFECYCLE_RECORD_KEY}: is not JSON; it is written by the rotation function only`,
    );
    expect(() => parseLifecycleRecord('null')).to.throw(
      `${LIFECYCLE_RECORD_KEY}: generation is missing or not a UUID`,
    );
    expect(LIFECYCLE_RECORD_KEY).to.equal('_firehose-rotation/lifecycle/generation.json');
  });

  it('writes the record under its wire names, in the stored order, and reads back what it wrote', () => {
    const deployed = { lifecycleId: G, deployedAt: '2026-12-07T18:00:00.000Z' };
    expect(lifecycleRecordText(deployed)).to.equal(
      `{"generation":"${G}","deployedAt":"2026-12-07T18:00:00.000Z"}\n`,
    );
    const destroyed = { ...deployed, destroyedAt: '2026-12-07T19:00:00.000Z' };
    expect(lifecycleRecordText(destroyed)).to.equal(
      `{"generation":"${G}","deployedAt":"2026-12-07T18:00:00.000Z","destroyedAt":"2026-12-07T19:00:00.000Z"}\n`,
    );
    expect(parseLifecycleRecord(lifecycleRecordText(deployed))).to.deep.equal(deployed);
    expect(parseLifecycleRecord(lifecycleRecordText(destroyed))).to.deep.equal(destroyed);
  });

  it('holds scheduled runs for an hour-old retried event plus a run plus 300 s after a destroy began', () => {
    expect(destroyHoldUntil(undefined)).to.equal(undefined);
    const stored = { generation: G, deployedAt: '2026-12-07T18:00:00.000Z' };
    const deployed = parseLifecycleRecord(JSON.stringify(stored));
    expect(destroyHoldUntil(deployed)).to.equal(undefined);
    const destroyed = parseLifecycleRecord(
      JSON.stringify({ ...stored, destroyedAt: '2026-12-07T19:00:00.000Z' }),
    );
    expect(destroyHoldUntil(destroyed)?.toISOString()).to.equal('2026-12-07T20:20:00.000Z');
    // 4,800 s: 3,600 s of retried event age + a 900 s run + 300 s for the clocks.
    expect(destroyHoldUntil(destroyed)!.getTime() - Date.parse('2026-12-07T19:00:00.000Z')).to.equal(
      4800 * 1000,
    );
    // A destroyedAt that is not an instant is dropped, never a hold without end.
    expect(parseLifecycleRecord(JSON.stringify({ ...stored, destroyedAt: 'soon' }))).to.deep.equal(deployed);
  });
});
