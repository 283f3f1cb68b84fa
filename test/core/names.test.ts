import { expect } from 'chai';
import fc from 'fast-check';
import {
  hourKey,
  hourPrefix,
  hourStreamNames,
  MAX_PREFIX_LENGTH,
  MAX_STREAMS_PER_HOUR,
  maxPrefixLength,
  parseHourlyName,
  parseStreamName,
  streamKey,
  streamKeyOfName,
  streamName,
} from '../../rotation/core/names';
import { at } from '../support/fixtures';

describe('names', () => {
  const examples: [string, string, string, string][] = [
    ['2026-11-22T05:00:00Z', 'events', 'events-2026112205', 'data/dt=2026-11-22/hr=05/'],
    ['2026-11-22T05:59:59.999Z', 'events', 'events-2026112205', 'data/dt=2026-11-22/hr=05/'],
    ['2026-12-31T23:10:00Z', 'a.b_c-d', 'a.b_c-d-2026123123', 'data/dt=2026-12-31/hr=23/'],
    ['2027-01-01T00:00:00+01:00', 'x', 'x-2026123123', 'data/dt=2026-12-31/hr=23/'],
  ];
  for (const [instant, prefix, name, s3] of examples) {
    it(`${instant} → ${name} and ${s3}`, () => {
      const hour = at(instant).startOf('hour');
      expect(streamName(prefix, hour)).to.equal(name);
      expect(hourPrefix('data', hour)).to.equal(s3);
      expect(hourKey(parseStreamName(prefix, name)!)).to.equal(name.slice(prefix.length + 1));
    });
  }

  const notHourly: [string, string][] = [
    ['events', 'events-fallback'],
    ['events', 'events-202611220'],
    ['events', 'events-20261122050'],
    ['events', 'events-2026113105'], // 31 November
    ['events', 'events-2026112224'],
    ['events', 'other-2026112205'],
    ['events', 'events-dev-2026112205'],
    ['events-dev', 'events-2026112205'],
    ['events', 'events-2026112205-0'], // index 0 has no suffix
    ['events', 'events-2026112205-01'],
    ['events', 'events-2026112205-16'], // beyond MAX_STREAMS_PER_HOUR
    ['events', 'events-2026112205-'],
    ['events', 'events-2026112205-1a'],
    ['events', 'events-2026112205_1'],
  ];
  for (const [prefix, name] of notHourly) {
    it(`"${name}" is not an hourly stream of prefix "${prefix}"`, () => {
      expect(parseStreamName(prefix, name)).to.equal(undefined);
    });
  }

  it('N streams of an hour: index 0 keeps the one-stream name, siblings add "-<i>"', () => {
    const hour = at('2026-11-22T05:00:00Z');
    expect(hourStreamNames('events', hour, 1)).to.deep.equal(['events-2026112205']);
    expect(hourStreamNames('events', hour, 3)).to.deep.equal([
      'events-2026112205',
      'events-2026112205-1',
      'events-2026112205-2',
    ]);
    expect(parseHourlyName('events', 'events-2026112205-15')).to.deep.equal({ hour, index: 15 });
    expect(parseHourlyName('events', 'events-2026112205')).to.deep.equal({ hour, index: 0 });
    // A sibling of prefix "events" is never an hourly name of prefix "events-2026112205".
    expect(parseHourlyName('events-2026112205', 'events-2026112205-1')).to.equal(undefined);
  });

  const longest: [number, number][] = [
    [1, 53],
    [2, 51],
    [10, 51],
    [11, 50],
    [16, 50],
  ];
  for (const [n, max] of longest) {
    it(`streamsPerHour ${n}: prefixes of up to ${max} characters give names of at most 64 characters`, () => {
      expect(maxPrefixLength(n)).to.equal(max);
      const last = streamName('p'.repeat(max), at('2026-11-22T05:00:00Z'), n - 1);
      expect(last).to.have.length(64); // the last index is the longest name, and it just fits
    });
  }

  it('stream keys: the hour key, "-<i>" for sibling i; read back from a name of any prefix', () => {
    const hour = at('2026-11-22T05:00:00Z');
    expect([streamKey(hour), streamKey(hour, 1), streamKey(hour, 15)]).to.deep.equal([
      '2026112205',
      '2026112205-1',
      '2026112205-15',
    ]);
    expect(streamKeyOfName('events-2026112205-3')).to.equal('2026112205-3');
    expect(streamKeyOfName('ev-1234567890-2026112205')).to.equal('2026112205');
    expect(streamKeyOfName('events-fallback')).to.equal(undefined);
  });

  it('property: streamKeyOfName(streamName(prefix, hour, i)) is streamKey(hour, i), whatever the prefix ends with', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9_.-]{1,50}$/),
        fc.integer({ min: 0, max: 200 * 365 * 24 }),
        fc.integer({ min: 0, max: MAX_STREAMS_PER_HOUR - 1 }),
        (prefix, hoursSinceEpoch, index) => {
          const hour = at('2000-01-01T00:00:00Z').plus({ hours: hoursSinceEpoch });
          expect(streamKeyOfName(streamName(prefix, hour, index))).to.equal(streamKey(hour, index));
        },
      ),
    );
  });

  it('property: parseHourlyName inverts streamName for any hour, prefix and index', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9_.-]{1,50}$/),
        fc.integer({ min: 0, max: 200 * 365 * 24 }),
        fc.integer({ min: 0, max: MAX_STREAMS_PER_HOUR - 1 }),
        (prefix, hoursSinceEpoch, index) => {
          const hour = at('2000-01-01T00:00:00Z').plus({ hours: hoursSinceEpoch });
          const name = streamName(prefix, hour, index);
          expect(name.length).to.be.at.most(64);
          const parsed = parseHourlyName(prefix, name)!;
          expect([parsed.hour.toMillis(), parsed.index]).to.deep.equal([hour.toMillis(), index]);
        },
      ),
    );
  });

  it('a prefix of the maximum length yields a 64-character name', () => {
    const prefix = 'p'.repeat(MAX_PREFIX_LENGTH);
    expect(streamName(prefix, at('2026-11-22T05:00:00Z'))).to.have.length(64);
  });

  it('property: parseStreamName inverts streamName for any hour and prefix', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9_.-]{1,53}$/),
        fc.integer({ min: 0, max: 200 * 365 * 24 }),
        (prefix, hoursSinceEpoch) => {
          const hour = at('2000-01-01T00:00:00Z').plus({ hours: hoursSinceEpoch });
          const name = streamName(prefix, hour);
          expect(name).to.match(/^[a-zA-Z0-9_.-]{12,64}$/);
          expect(parseStreamName(prefix, name)!.toMillis()).to.equal(hour.toMillis());
        },
      ),
    );
  });
});
