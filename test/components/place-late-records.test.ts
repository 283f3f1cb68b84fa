// The placeLateRecords setting on its way in (stack config, as Pulumi stores it: a string) and out
// (the functions' environment): on by default, and an existing stack's environment unchanged by it,
// so `pulumi up` with this version updates neither the router nor the rotation function.
import { expect } from 'chai';
import { readStackConfig } from '../../components/stack-config';
import { parseSettings, settingsEnvironmentValue } from '../../rotation/core/settings';
import { BASE_SETTINGS } from '../support/fixtures';
import { PROJECT } from './mocks';

const source = (values: Record<string, string>) => ({
  name: PROJECT,
  get: (k: string) => values[k],
  keys: () => Object.keys(values),
});
const REQUIRED = { streamPrefix: 'events', fallbackStreamName: 'events-fallback' };
const DEFAULTS = { deploymentId: 'firehose-rotation/test' };

describe('placeLateRecords', () => {
  it('is a boolean in stack config, true unless set to false, and names itself when wrong', () => {
    // Stored as the string "true", read as the boolean.
    expect(
      readStackConfig(source({ ...REQUIRED, placeLateRecords: 'true' }), DEFAULTS).config.placeLateRecords,
    ).to.equal(true);
    expect(readStackConfig(source(REQUIRED), DEFAULTS).config.placeLateRecords).to.equal(true);
    const off = readStackConfig(source({ ...REQUIRED, placeLateRecords: 'false' }), DEFAULTS);
    expect(off.config.placeLateRecords).to.equal(false);
    expect(() => readStackConfig(source({ ...REQUIRED, placeLateRecords: 'no' }), DEFAULTS)).to.throw(
      'invalid stack config (fix with `pulumi config set <key> <value>`):\n' +
        '  - firehose-rotation:placeLateRecords: must be true or false',
    );
  });

  it("leaves an existing stack's function environment byte for byte as it was; false is written out", () => {
    // The default is left out (DEFAULTS_LEFT_OUT), as it was before the setting existed.
    const env = settingsEnvironmentValue(parseSettings(BASE_SETTINGS));
    expect(env).not.to.include('placeLateRecords');
    expect(parseSettings(JSON.parse(env)).placeLateRecords).to.equal(true);
    expect(settingsEnvironmentValue(parseSettings({ ...BASE_SETTINGS, placeLateRecords: false }))).to.include(
      '"placeLateRecords":false',
    );
  });
});
