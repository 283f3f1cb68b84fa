// Streams per hour (settings.streamsPerHour = N): which of an hour's N streams a record goes to,
// and the routes delivery moves records to when a stream throttles or a sibling does not exist
// yet. Pure: no AWS or Pulumi imports. docs/router.md, "Streams per hour", tells the whole story.
import { streamNamesFor } from './generations';
import type { Route, RoutingSettings } from './routing';

export type HourlyRoute = Extract<Route, { kind: 'hourly' }>;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a 32 over the key's UTF-16 code units (for an ASCII key, exactly FNV-1a over its UTF-8
 * bytes): cheap, stable across runs and machines, and nothing cryptographic is needed. Kinesis
 * partition keys are at most 256 characters, so this is a few hundred multiplies at most.
 */
export function fnv1a32(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * The index (0..n-1) of a partition key's stream. The hash is xor-folded first: FNV's low bits
 * depend only on the low bits of the key's characters, and n is often a power of two, where the
 * modulo would read only those bits.
 */
export function streamIndex(partitionKey: string, n: number): number {
  const h = fnv1a32(partitionKey);
  return ((h ^ (h >>> 16)) >>> 0) % n;
}

/**
 * Spreads the records of open hours over the hour's N streams by partition key: records with one
 * key stay on one stream (and keep their relative order there, as Kinesis keeps it per key). Each
 * hour's N routes are built once and shared by its records, as routeCache shares one per hour.
 */
export function spreader(s: RoutingSettings): (route: HourlyRoute, partitionKey: string) => HourlyRoute {
  const n = s.streamsPerHour;
  const byHour = new Map<Route, HourlyRoute[]>();
  return (route, partitionKey) => {
    let routes = byHour.get(route);
    if (!routes) {
      const siblings = streamNamesFor(route.hour, s);
      routes = siblings.map((stream, index) => ({ ...route, stream, siblings, index }));
      byHour.set(route, routes);
    }
    return routes[streamIndex(partitionKey, n)];
  };
}

/** Where a throttled share of `route` moves: the next sibling, round robin; undefined if it may not. */
export function throttleTarget(route: Route): number | undefined {
  if (route.kind !== 'hourly' || !route.siblings || route.moved) return undefined;
  return ((route.index ?? 0) + 1) % route.siblings.length;
}

/** Whether records on `route` may go to index 0 of their hour when their stream is unavailable. */
export function missingSiblingTarget(route: Route): number | undefined {
  return route.kind === 'hourly' && route.siblings && route.index ? 0 : undefined;
}

const moves = new WeakMap<Route, HourlyRoute[]>();

/**
 * The route of a record delivery moved to sibling `index` of its hour, marked `moved` so it moves
 * at most once for a throttle (and then retries in place): a busy hour cannot make records circle
 * its streams. One route object per (route, index), so moved records still share routes.
 */
export function movedRoute(route: HourlyRoute, index: number): HourlyRoute {
  const siblings = route.siblings;
  if (!siblings || index < 0 || index >= siblings.length) {
    throw new RangeError(`no sibling ${index} for ${route.stream}`);
  }
  let routes = moves.get(route);
  if (!routes) moves.set(route, (routes = []));
  return (routes[index] ??= { ...route, stream: siblings[index], index, moved: true });
}
