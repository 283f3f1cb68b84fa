// Sizes of the functions' Lambda environment as the tests measure them: Lambda's own count (UTF-8
// bytes of every key and value) over variables, and the size checkedEnvironment judges for a
// settings JSON, read from what it returns or, past the 4 KB limit, from the size its error states.
import { checkedEnvironment } from '../../components/lambda-environment';

/** Lambda: "The total size of all environment variables" counts keys and values, in UTF-8 bytes. */
export function lambdaEnvironmentBytes(variables: Record<string, string>): number {
  return Object.entries(variables).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/** The size of the environment the functions get for `settingsJson`, as the product judges it. */
export function environmentSizeOf(settingsJson: string): number {
  try {
    return lambdaEnvironmentBytes(checkedEnvironment('size', settingsJson));
  } catch (err) {
    const stated = /Lambda environment (\d+) bytes, over/.exec((err as Error).message);
    if (!stated) throw err;
    return Number(stated[1]);
  }
}
