// The settings reference stays complete: every field of the one schema has a row in the table of
// docs/settings.md, and the table documents no field the schema does not have.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { settingsSchema } from '../../rotation/core/settings';

const SETTINGS_DOC = path.join(__dirname, '..', '..', 'docs', 'settings.md');

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
    const fields = Object.keys(settingsSchema.shape);
    expect(fields).to.include('eventBusName');
    expect([...documented].sort()).to.deep.equal([...fields].sort());
  });
});
