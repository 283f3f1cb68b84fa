// The settings reference stays complete: every field of the one schema has a row in the table of
// docs/settings.md, and the table documents no field the schema does not have.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseSettings, SettingsError } from '../../rotation/core/settings';

const SETTINGS_DOC = path.join(__dirname, '..', '..', 'docs', 'settings.md');

/**
 * Every field of the settings schema, read through parseSettings (the schema is private to its
 * module): a value that has every field (the `has` trap) and holds a symbol in each, which no setting
 * accepts, fails every field once, and each problem line starts with its field's name.
 */
function schemaFields(): string[] {
  const everyFieldASymbol = new Proxy({}, { has: () => true, get: () => Symbol('no setting takes this') });
  try {
    parseSettings(everyFieldASymbol);
  } catch (err) {
    expect(err).to.be.instanceOf(SettingsError);
    return [...new Set((err as SettingsError).problems.map((p) => p.split(':')[0].split('.')[0]))];
  }
  throw new Error('parseSettings accepted a symbol for every field');
}

/** The field names of the table rows: first cell, `name` in backticks. */
function documentedFields(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
}

describe('docs/settings.md', () => {
  it('reads field names from table rows only', () => {
    const sample =
      '| field | default |\n|---|---|\n| `quota` | 50 |\nsee `horizonDays` |\n| `eventBusName` | x |';
    expect(documentedFields(sample)).to.deep.equal(['quota', 'eventBusName']);
  });

  it('has one row per settings field, in any order, and none the schema lacks', () => {
    const documented = documentedFields(readFileSync(SETTINGS_DOC, 'utf8'));
    const fields = schemaFields();
    expect(fields).to.include('eventBusName');
    expect([...documented].sort()).to.deep.equal([...fields].sort());
  });
});
