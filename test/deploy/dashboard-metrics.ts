import fs from 'node:fs';
import path from 'node:path';

export const DASHBOARD_FILE = path.resolve(__dirname, '../../deploy/grafana/dashboards/showrunner.json');

interface Panel {
  title?: string;
  type?: string;
  panels?: Panel[];
  targets?: { expr?: string; refId?: string }[];
}

/** Every PromQL expression of the dashboard, with the title of the panel it draws. */
export function dashboardQueries(file = DASHBOARD_FILE): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(fs.readFileSync(file, 'utf8')) as { panels: Panel[] };
  const out: { panel: string; expr: string }[] = [];
  const visit = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title ?? '(untitled)', expr: t.expr });
      visit(p.panels ?? []);
    }
  };
  visit(dashboard.panels);
  return out;
}

/**
 * The metric names a PromQL expression selects, from Prometheus's own grammar (@prometheus-io/lezer-promql, the
 * parser of Prometheus's UI): every VectorSelector's identifier. Grafana's `$__rate_interval` and friends are
 * replaced by a duration first, as Grafana does before sending the query.
 */
export async function metricNames(expr: string): Promise<string[]> {
  const { parser } = await import('@prometheus-io/lezer-promql');
  const text = expr.replace(/\$__(rate_interval|interval|range)/g, '5m').replace(/\$\{?\w+\}?/g, 'x');
  const tree = parser.parse(text);
  const names: string[] = [];
  let error: string | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError) error ??= `syntax error at ${node.from} in ${text}`;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.push(text.slice(id.from, id.to));
      }
    },
  });
  if (error) throw new Error(error);
  return names;
}

/** Series names of a Prometheus text exposition (`name{labels} value` lines; comments skipped). */
export function scrapedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

/** `# TYPE name kind` lines: what each metric family is (counter, gauge, histogram). */
export function scrapedTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1]!, m[2]!);
  return types;
}
