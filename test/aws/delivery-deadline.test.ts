// A PutRecordBatch that never answers: the abort signal delivery passes with every send ends it at
// the invocation's deadline, and its records take the failure path with reason `deadline`. Real
// time (80 ms), since the bound is a real timer; the moto proof is router-handler.moto.test.ts.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { deliver } from '../support/delivery';
import { settings } from '../support/fixtures';
import { planBatch } from '../support/routing';

const S = settings();

/** A client whose every send hangs until its abort signal fires, as the SDK's HTTP handler does. */
function hangingClient(calls: string[]) {
  return {
    send(command: { input: { DeliveryStreamName?: string } }, options?: { abortSignal?: AbortSignal }) {
      calls.push(command.input.DeliveryStreamName ?? '?');
      const signal = options?.abortSignal;
      if (!signal) throw new Error('send without an abort signal: it could hang past the Lambda timeout');
      return new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () =>
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
        ),
      );
    },
  };
}

describe('delivery: a send that never answers', () => {
  it('is cut off at the deadline; its records fail with reason deadline, nothing else is waited on', async () => {
    const now = DateTime.utc();
    const deadline = now.plus({ milliseconds: 80 });
    const calls: string[] = [];
    const line = (id: string, t: unknown) => new TextEncoder().encode(JSON.stringify({ id, timestamp: t }));
    const plan = planBatch(
      [
        { id: '1', data: line('1', now.toISO()) },
        { id: '2', data: line('2', 'not a time') },
        { id: '3', data: line('3', now.toMillis()) },
      ],
      now,
      S,
    );
    const report = await deliver(
      {
        client: hangingClient(calls) as never,
        now: () => DateTime.utc(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        deadline,
        random: () => 0.5,
      },
      S,
      plan,
    );
    // Judged against the deadline itself, not a duration from here: planning may take a while on a
    // loaded machine. A timer may fire a millisecond early by rounding.
    const ended = Date.now();
    expect(ended)
      .to.be.at.least(deadline.toMillis() - 1)
      .and.below(deadline.toMillis() + 1_000);
    expect(calls.sort()).to.deep.equal([`events-${now.toFormat('yyyyMMddHH')}`, 'events-fallback']);
    const detail = `PutRecordBatch cut off at the invocation deadline ${deadline.toISO()}`;
    // The two calls end at the same instant, in either order.
    report.failed.sort((a, b) => a.id.localeCompare(b.id));
    expect(report).to.deep.equal({
      delivered: [],
      failed: ['1', '2', '3'].map((id) => ({ id, reason: 'deadline', detail })),
      calls: 2,
      throttled: 0,
    });
  });
});
