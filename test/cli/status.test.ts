// The pure status model: which window an hour is in, the headroom, the next hour without a stream.
import { expect } from 'chai';
import type { DateTime } from 'luxon';
import { buildStatus } from '../../rotation/cli/status';
import { streamName } from '../../rotation/core/names';
import { configDigest, generationOf, nextFormers } from '../../rotation/core/generations';
import { hourlyStreamTags } from '../../rotation/core/settings';
import { at, settings } from '../support/fixtures';

// Defaults: lateness 60 min, buffering 300 s, margin 15 min → an hour is deletable 80 min after it ends.
const S = settings();
const NOW = at('2026-11-22T10:10:00Z');

/** The window the report gives the stream of `hour` at `now`. */
function windowOf(hour: string, now: DateTime): string {
  const name = streamName(S.streamPrefix, at(hour));
  const report = buildStatus(now, { region: 'eu-west-1', names: [name], states: {} }, S);
  expect(report.hourly.map((h) => h.name)).to.deep.equal([name]);
  return report.hourly[0].window;
}
/** The report's next hour without a stream, given the account's stream names. */
const nextGap = (names: string[]) =>
  buildStatus(NOW, { region: 'eu-west-1', names, states: {} }, S).nextHourWithoutStream;

describe('cli status model', () => {
  const windows: [string, string][] = [
    ['2026-11-22T10:00:00Z', 'current'],
    ['2026-11-22T11:00:00Z', 'upcoming'],
    ['2026-11-23T23:00:00Z', 'upcoming'], // last hour of the horizon (end of tomorrow)
    ['2026-11-24T00:00:00Z', 'beyond-horizon'],
    ['2026-11-22T09:00:00Z', 'accepting-late'], // open until 11:00
    ['2026-11-22T08:00:00Z', 'draining'], // closed at 10:00, deletable at 10:20
    ['2026-11-22T07:00:00Z', 'deletable'], // deletable since 09:20
  ];
  for (const [hour, window] of windows) {
    it(`at 10:10 the hour ${hour} is ${window}`, () => {
      expect(windowOf(hour, NOW)).to.equal(window);
    });
  }

  it('an hour becomes deletable exactly at end + lateness + buffering + margin', () => {
    const hour = '2026-11-22T08:00:00Z'; // ends 09:00, deletable at 10:20
    expect(windowOf(hour, at('2026-11-22T10:19:59.999Z'))).to.equal('draining');
    expect(windowOf(hour, at('2026-11-22T10:20:00Z'))).to.equal('deletable');
  });

  it('after lateness was lowered, an hour drains by the former, longer window, as the planner deletes', () => {
    const before = settings({ latenessMinutes: 120 });
    const after = settings({ latenessMinutes: 30 });
    const s = settings({
      latenessMinutes: 30,
      formerGenerations: nextFormers({ current: generationOf(before), formers: [] }, after, NOW),
    });
    const name = streamName(s.streamPrefix, at('2026-11-22T07:00:00Z'));
    const windowAt = (now: string) =>
      buildStatus(at(now), { region: 'eu-west-1', names: [name], states: {} }, s).hourly[0].window;
    // Ends 08:00; by the current settings alone deletable at 08:50, by the former window at 10:20.
    expect(windowAt('2026-11-22T10:19:59.999Z')).to.equal('draining');
    expect(windowAt('2026-11-22T10:20:00Z')).to.equal('deletable');
  });

  it('the next hour without a stream starts at the current hour and skips existing ones', () => {
    expect(nextGap([])).to.equal('2026112210');
    expect(nextGap(['events-2026112210', 'events-2026112211', 'events-2026112213'])).to.equal('2026112212');
    // A past hour's stream does not count as the current one.
    expect(nextGap(['events-2026112209'])).to.equal('2026112210');
  });

  it('two streams per hour: siblings are listed with their hour; a missing sibling is no gap (index 0 takes its share)', () => {
    const s = settings({ streamsPerHour: 2 });
    const names = ['events-2026112210-1', 'events-2026112210', 'events-2026112211', 'events-2026112212-1'];
    const states = Object.fromEntries(names.map((n) => [n, 'ACTIVE']));
    const report = buildStatus(NOW, { region: 'eu-west-1', names, states }, s);
    expect(report.hourly.map((h) => [h.hour, h.name])).to.deep.equal([
      ['2026112210', 'events-2026112210-1'],
      ['2026112210', 'events-2026112210'],
      ['2026112211', 'events-2026112211'],
      ['2026112212', 'events-2026112212-1'],
    ]);
    // 11h lacks its sibling and still takes records; 12h lacks its first stream: the fallback's.
    expect(report.nextHourWithoutStream).to.equal('2026112212');
  });

  it('builds the report: headroom counts every stream, hourly sorted by hour, fallback state', () => {
    const names = [
      'other-team',
      'events-2026112211',
      'events-fallback',
      'events-2026112209',
      'events-2026112210',
    ];
    const states = {
      'events-fallback': 'ACTIVE',
      'events-2026112209': 'ACTIVE',
      'events-2026112210': 'ACTIVE',
      'events-2026112211': 'CREATING',
    };
    expect(buildStatus(NOW, { region: 'eu-west-1', names, states }, settings({ quota: 6 }))).to.deep.equal({
      now: '2026-11-22T10:10:00.000Z',
      region: 'eu-west-1',
      quota: 6,
      streamsInRegion: 5,
      headroom: 1,
      fallback: { name: 'events-fallback', state: 'ACTIVE' },
      hourly: [
        {
          name: 'events-2026112209',
          hour: '2026112209',
          state: 'ACTIVE',
          window: 'accepting-late',
          config: 'unknown',
        },
        {
          name: 'events-2026112210',
          hour: '2026112210',
          state: 'ACTIVE',
          window: 'current',
          config: 'unknown',
        },
        {
          name: 'events-2026112211',
          hour: '2026112211',
          state: 'CREATING',
          window: 'upcoming',
          config: 'unknown',
        },
      ],
      nextHourWithoutStream: '2026112212',
    });
  });

  it('after a streamPrefix change: former-prefix streams are listed, and which configuration each has', () => {
    const before = settings();
    const after = settings({ streamPrefix: 'orders', dataPrefix: 'data2' });
    const s = settings({
      streamPrefix: 'orders',
      dataPrefix: 'data2',
      formerGenerations: nextFormers(
        { current: generationOf(before), formers: [] },
        after,
        at('2026-11-22T08:00:00Z'),
      ),
    });
    const tagsOf = (x: typeof s) => Object.fromEntries(hourlyStreamTags(x, NOW).map((t) => [t.Key, t.Value]));
    const names = ['events-2026112210', 'events-2026112211', 'orders-2026112400', 'events-fallback'];
    const report = buildStatus(
      NOW,
      {
        region: 'eu-west-1',
        names,
        states: {
          'events-2026112210': 'ACTIVE',
          'events-2026112211': 'ACTIVE',
          'orders-2026112400': 'ACTIVE',
        },
        tags: {
          'events-2026112210': tagsOf(before),
          'events-2026112211': tagsOf(s),
          'orders-2026112400': undefined,
        },
      },
      s,
    );
    expect(report.hourly.map((h) => [h.name, h.window, h.config])).to.deep.equal([
      ['events-2026112210', 'current', `differs (config ${configDigest(before)}, owner demo/dev)`],
      ['events-2026112211', 'upcoming', 'current'],
      ['orders-2026112400', 'beyond-horizon', 'unknown'],
    ]);
    // Hours before the change's namesUntil keep the former prefix's names.
    expect(report.nextHourWithoutStream).to.equal('2026112212');
  });

  it('a missing fallback is reported as MISSING, and over-quota as negative headroom', () => {
    const report = buildStatus(
      NOW,
      { region: 'us-east-1', names: ['a', 'b', 'c', 'd', 'e', 'f'], states: {} },
      settings({ quota: 5 }),
    );
    expect(report.fallback).to.deep.equal({ name: 'events-fallback', state: 'MISSING' });
    expect(report.headroom).to.equal(-1);
  });
});
