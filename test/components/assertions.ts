// Shared assertions for the component tests: IAM documents parsed from the exact JSON the program
// sends, the no-wildcard rule, and the component conventions (children named from the component,
// `{ parent: this }` on every child).
import { expect } from 'chai';
import * as pulumi from '@pulumi/pulumi';
import { options, resources } from './mocks';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDoc {
  Version: string;
  Statement: PolicyStatement[];
}

export function parsePolicy(json: unknown): PolicyDoc {
  expect(json, 'policy must be a JSON string').to.be.a('string');
  const doc = JSON.parse(json as string) as PolicyDoc;
  expect(doc.Version).to.equal('2012-10-17');
  expect(doc.Statement).to.be.an('array').that.has.length.above(0);
  return doc;
}

export function statement(doc: PolicyDoc, sid: string): PolicyStatement {
  const found = doc.Statement.filter((s) => s.Sid === sid);
  expect(found, `statement ${sid}`).to.have.length(1);
  return found[0];
}

/** Every action of every Allow statement, sorted. */
export function allowedActions(doc: PolicyDoc): string[] {
  return doc.Statement.filter((s) => s.Effect === 'Allow')
    .flatMap((s) => s.Action)
    .sort();
}

/**
 * No action anywhere may contain "*"; the bucket's TLS-only Deny on s3:* is the one documented
 * exception (a wildcard in a Deny only takes access away).
 */
export function expectNoWildcardActions(doc: PolicyDoc): void {
  for (const s of doc.Statement) {
    for (const action of s.Action) {
      if (s.Effect === 'Deny' && s.Sid === 'DenyInsecureTransport' && action === 's3:*') continue;
      expect(action, `${s.Sid} action`).not.to.include('*');
    }
  }
}

/** Resources of a statement that is allowed to use "*" must be exactly that; everyone else never. */
export function expectWildcardResourcesOnly(doc: PolicyDoc, allowed: string[]): void {
  for (const s of doc.Statement) {
    const list = ([] as string[]).concat(s.Resource ?? []);
    if (allowed.includes(s.Sid)) expect(list, s.Sid).to.deep.equal(['*']);
    else for (const r of list) expect(r, `${s.Sid} resource`).not.to.equal('*');
  }
}

/**
 * Every custom resource the mocks saw was constructed with a parent chain up to `root`, and every
 * name below `root` starts with the name of its parent: the component conventions of design §10.
 */
export function expectComponentTree(root: pulumi.Resource, rootName: string): void {
  const seen = options.filter((o) => o.resource !== root);
  expect(seen.map((o) => o.name).sort()).to.include.members(resources.map((r) => r.name));
  for (const o of seen) {
    const parent = o.opts.parent;
    expect(parent, `${o.name} has a parent`).not.to.equal(undefined);
    const parentEntry = options.find((p) => p.resource === parent);
    expect(parentEntry, `${o.name}'s parent was constructed under ${rootName}`).not.to.equal(undefined);
    expect(
      o.name.startsWith(`${parentEntry!.name}-`),
      `${o.name} is named from ${parentEntry!.name}`,
    ).to.equal(true);
  }
  expect(options.filter((o) => o.resource === root).map((o) => o.name)).to.deep.equal([rootName]);
}

/** The recorded options of the resource named `name`. */
export function optionsOf(name: string): pulumi.ResourceOptions {
  const found = options.filter((o) => o.name === name);
  expect(found, `options of ${name}`).to.have.length(1);
  return found[0].opts;
}

/** Names of the resources `name` explicitly depends on. */
export function dependsOnNames(name: string): string[] {
  const deps = optionsOf(name).dependsOn;
  const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as pulumi.Resource[];
  return list.map((d) => options.find((o) => o.resource === d)?.name ?? '(unknown)').sort();
}
