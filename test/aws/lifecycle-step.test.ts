// The lifecycle part of an invocation without AWS: which events read the record at all (a fake S3
// that throws on any call proves the others never do), and a scheduled run whose hold check fails
// rotates anyway (fail open: an unreadable record must not stop the hourly streams). And the wire
// names a deploy and a destroy use (the lifecycle id's old name, `generation`, in the payload, the
// record, the answer and the log fields), spelled out literally: deployed stacks and alerts use them.
import { expect } from 'chai';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { lifecycleStep, RotationEvent } from '../../rotation/aws/lifecycle';
import { settings } from '../support/fixtures';

const NOW = DateTime.fromISO('2026-12-07T18:00:00Z', { zone: 'utc' });
/** The lifecycle part makes no Firehose call: the fake refuses any. */
const noFirehose = {
  send: () => Promise.reject(new Error('no Firehose call expected')),
} as unknown as FirehoseClient;

function deps(s3Error: Error) {
  const lines: string[] = [];
  const calls: string[] = [];
  const s3 = {
    send: (command: { constructor: { name: string } }) => {
      calls.push(command.constructor.name);
      return Promise.reject(s3Error);
    },
  } as unknown as S3Client;
  return {
    deps: {
      client: noFirehose,
      s3,
      now: () => NOW,
      info: (line: string) => void lines.push(`info ${line}`),
      error: (line: string) => void lines.push(`error ${line}`),
    },
    lines,
    calls,
  };
}

const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });

/** An S3 of one bucket in memory (Put, then Get), and a logger that keeps each line's fields. */
function memoryDeps() {
  const objects = new Map<string, string>();
  const logged: [string, object | undefined][] = [];
  const s3 = {
    send: (command: {
      constructor: { name: string };
      input: { Bucket: string; Key: string; Body?: string };
    }) => {
      const at = `${command.input.Bucket}/${command.input.Key}`;
      if (command.constructor.name === 'PutObjectCommand') {
        objects.set(at, command.input.Body!);
        return Promise.resolve({});
      }
      const body = objects.get(at);
      if (body === undefined)
        return Promise.reject(Object.assign(new Error('no such key'), { name: 'NoSuchKey' }));
      return Promise.resolve({ Body: { transformToString: () => Promise.resolve(body) } });
    },
  } as unknown as S3Client;
  return {
    deps: {
      client: noFirehose,
      s3,
      now: () => NOW,
      info: (line: string, extra?: object) => void logged.push([line, extra]),
      error: (line: string) => void logged.push([`error ${line}`, undefined]),
    },
    objects,
    logged,
  };
}

describe('lifecycleStep', () => {
  const table: [string, RotationEvent, unknown, string[]][] = [
    [
      'a legacy Invocation delete',
      { tf: { action: 'delete' } },
      { action: 'ignored', reason: 'legacy invocation delete', deleted: [] },
      [],
    ],
    ['the CLI-style teardown event', { action: 'teardown' }, undefined, []],
    ['a scheduled run, record unreadable: rotates (fail open)', {}, undefined, ['GetObjectCommand']],
    ['a rotate event, record unreadable: rotates', { action: 'rotate' }, undefined, ['GetObjectCommand']],
  ];
  for (const [what, event, answer, calls] of table) {
    it(what, async () => {
      const fake = deps(denied);
      expect(await lifecycleStep(fake.deps, settings(), event, 900_000)).to.deep.equal(answer);
      expect(fake.calls).to.deep.equal(calls);
    });
  }

  it('logs the failed hold check by name', async () => {
    const fake = deps(denied);
    await lifecycleStep(fake.deps, settings(), {}, 900_000);
    expect(fake.lines).to.deep.equal([
      'error destroy hold not checked, rotating: AccessDenied: Access Denied',
    ]);
  });

  it('a destroy whose record cannot be read fails: guessing could drop buffers or leak streams', async () => {
    const fake = deps(denied);
    let error: unknown;
    await lifecycleStep(
      fake.deps,
      settings(),
      { action: 'destroy', generation: '11111111-1111-4111-8111-111111111111' },
      900_000,
    ).catch((err: unknown) => (error = err));
    expect(error).to.equal(denied);
    expect(fake.calls).to.deep.equal(['GetObjectCommand']);
  });

  it('a deploy records its lifecycle id under the wire names; a superseded destroy answers and logs them', async () => {
    const G1 = '11111111-1111-4111-8111-111111111111';
    const G2 = '22222222-2222-4222-8222-222222222222';
    const fake = memoryDeps();
    const s = settings();
    // The payload as the provider sends it (components/rotation-lifecycle-provider.ts).
    const deploy = JSON.parse(`{"action":"deploy","generation":"${G2}"}`) as RotationEvent;
    expect(await lifecycleStep(fake.deps, s, deploy, 900_000)).to.equal(undefined);
    expect([...fake.objects]).to.deep.equal([
      [
        'demo-lake/_firehose-rotation/lifecycle/generation.json',
        `{"generation":"${G2}","deployedAt":"2026-12-07T18:00:00.000Z"}\n`,
      ],
    ]);
    const destroy = JSON.parse(`{"action":"destroy","generation":"${G1}"}`) as RotationEvent;
    const superseded = { action: 'superseded', generation: G1, recorded: G2, deleted: [] };
    expect(await lifecycleStep(fake.deps, s, destroy, 900_000)).to.deep.equal(superseded);
    expect(fake.logged).to.deep.equal([
      ['lifecycle deploy', { generation: G2 }],
      ['lifecycle destroy', superseded],
    ]);
  });
});
