// The environment both functions get, and Lambda's limit on it: 4 KB for all variables together,
// keys and values (UTF-8 bytes), checked before a function is created instead of failing `pulumi up`
// on it. The settings JSON is most of it, and extraTags are the part of the settings that grows.
import { SETTINGS_ENV } from '../rotation/core/settings';

/** Lambda: "The total size of all environment variables doesn't exceed 4 KB" (keys and values). */
const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** The variables of the router and the rotation function: the settings JSON and source maps. */
function functionEnvironment(settingsJson: string): Record<string, string> {
  return { [SETTINGS_ENV]: settingsJson, NODE_OPTIONS: '--enable-source-maps' };
}

function environmentBytes(variables: Record<string, string>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(variables))
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

/** The function environment of these settings, or an error naming extraTags and the sizes. */
export function checkedEnvironment(component: string, settingsJson: string): Record<string, string> {
  const variables = functionEnvironment(settingsJson);
  const bytes = environmentBytes(variables);
  if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
    const parsed = JSON.parse(settingsJson) as { extraTags?: object; formerGenerations?: object[] };
    const tagBytes = Buffer.byteLength(JSON.stringify(parsed.extraTags ?? {}));
    // Former configurations (settings changes) grow the settings until they expire: say so, as
    // waiting is the other way out (docs/lifecycle.md#settings-changes).
    const formers = parsed.formerGenerations ?? [];
    const formerText = formers.length
      ? `; ${formers.length} former configuration(s) (formerGenerations, until they expire) take ` +
        `${Buffer.byteLength(JSON.stringify(formers))}`
      : '';
    throw new Error(
      `${component}: extraTags make the functions' Lambda environment ${bytes} bytes, over Lambda's ` +
        `${LAMBDA_ENVIRONMENT_LIMIT_BYTES} (keys and values of all variables); the tags take ${tagBytes} ` +
        `of them${formerText}: shorten or remove tags by at least ${bytes - LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes`,
    );
  }
  return variables;
}
