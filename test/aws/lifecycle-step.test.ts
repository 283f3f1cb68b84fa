// The lifecycle part of an invocation without AWS: which events read the record at all (a fake S3
// that throws on any call proves the others never do), and a scheduled run whose hold check fails
// rotates anyway (fail open: an unreadable record must not stop the hourly streams).
import { expect } from 'chai';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { lifecycleStep, RotationEvent } from '../../rotation/aws/lifecycle';
import { settings } from '../support/fixtures';

function deps(s3Error: Error) {
  const lines: string[] = [];
  const calls: string[] = [];
  const s3 = {
    send: (command: { constructor: { name: string } }) => {
      calls.push(command.constructor.name);
      return Promise.reject(s3Error);
    },
  } as unknown as S3Client;
  const client = {
    send: () => Promise.reject(new Error('no Firehose call expected')),
  } as unknown as FirehoseClient;
  return {
    deps: {
      client,
      s3,
      now: () => DateTime.fromISO('2026-12-07T18:00:00Z', { zone: 'utc' }),
      info: (line: string) => void lines.push(`info ${line}`),
      error: (line: string) => void lines.push(`error ${line}`),
    },
    lines,
    calls,
  };
}

const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });

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
});
