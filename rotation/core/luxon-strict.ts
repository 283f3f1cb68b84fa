// luxon, by default, answers a date it cannot make (hour 25, February 30, an unparseable string)
// with an "Invalid DateTime" whose toMillis() is NaN and whose comparisons are all false: a stored
// expiry that failed to parse would then read as "already expired", and a NaN hour would flow into
// stream names. Every module that builds DateTimes from text or does calendar arithmetic imports
// this one, so luxon throws at the bad input instead. The setting is process-wide (luxon has no
// other form of it); being explicit here means no module depends on another's import for it.
import { Settings } from 'luxon';

Settings.throwOnInvalid = true;

// The type side of the same setting: with it, DateTime is DateTime<true> (always valid) everywhere,
// so callers need no `isValid` checks the runtime can never fail.
declare module 'luxon' {
  interface TSSettings {
    throwOnInvalid: true;
  }
}
