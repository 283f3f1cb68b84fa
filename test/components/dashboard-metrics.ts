// Reads back what a dashboard body graphs: every plain metric row with its dimensions, and every
// SEARCH expression split into schema and terms, so the tests can hold each one against what the
// handlers emit (EMF) or AWS publishes. Throws on a row or expression it does not understand, so a
// new kind of graph cannot slip past the contract checks.
import type { Widget } from '../../components/dashboard-body';

export interface GraphedMetric {
  widget: string;
  namespace: string;
  name: string;
  /** Exact dimension values; for a SEARCH, the values its terms pin exactly. */
  dimensions: Record<string, string>;
  /** SEARCH only: every dimension name of the schema (values it leaves open are any). */
  searchDimensions?: string[];
}

const SEARCH = /SEARCH\('\{([^}]*)\} ([^']*)', '(\w+)', (\d+)\)/g;

function fromSearch(widget: string, schema: string, terms: string): GraphedMetric {
  const [namespace, ...dims] = schema.split(',');
  const dimensions: Record<string, string> = {};
  let name: string | undefined;
  // Terms: MetricName="X", K="v" (exact), K=v (token), NOT K="v" (exclusion).
  for (const term of terms.match(/(NOT )?[\w.]+=("[^"]*"|\S+)/g) ?? []) {
    const [, not, key, quoted, token] = /^(NOT )?([\w.]+)=(?:"([^"]*)"|(\S+))$/.exec(term)!;
    if (key === 'MetricName') name = quoted;
    else if (!dims.includes(key)) throw new Error(`${widget}: search term on ${key}, not in the schema`);
    else if (!not && quoted !== undefined) dimensions[key] = quoted;
    else if (!not && token === undefined) throw new Error(`${widget}: unreadable term ${term}`);
  }
  if (!name) throw new Error(`${widget}: SEARCH without an exact MetricName`);
  return { widget, namespace, name, dimensions, searchDimensions: dims };
}

export function graphedMetrics(widgets: Widget[]): GraphedMetric[] {
  const found: GraphedMetric[] = [];
  for (const w of widgets.filter((w) => w.type === 'metric')) {
    const title = w.properties.title as string;
    // An alarm graph has no metrics: it draws what its alarm watches (held by the alarm tests).
    for (const row of (w.properties.metrics as unknown[][] | undefined) ?? []) {
      const first = row[0];
      if (typeof first === 'object' && first !== null && 'expression' in first) {
        const expr = (first as { expression: string }).expression;
        const searches = [...expr.matchAll(SEARCH)];
        for (const [, schema, terms] of searches) found.push(fromSearch(title, schema, terms));
        // Anything else must be arithmetic over ids of this widget ("streams + headroom",
        // "100 * throttled / records").
        if (searches.length === 0 && !/^(\d+ \* )?[a-z]+( [+/-] [a-z]+)*$/.test(expr))
          throw new Error(`${title}: unexpected expression ${expr}`);
        continue;
      }
      const strings = row.filter((c): c is string => typeof c === 'string');
      const [namespace, name, ...pairs] = strings;
      if (pairs.length % 2 !== 0) throw new Error(`${title}: odd dimension list in ${JSON.stringify(row)}`);
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
      found.push({ widget: title, namespace, name, dimensions });
    }
  }
  return found;
}
