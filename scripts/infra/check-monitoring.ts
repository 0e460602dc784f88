// Monitoring as code: the Prometheus alert rules and the Grafana dashboard use only metrics the server exposes,
// cover what the venue must watch, are well formed, and pass promtool (rule syntax, rule unit tests, and every
// dashboard query compiled as a recording rule).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isToolRun, runTool } from './system-tool.ts';
import type { Violation } from './violation.ts';

interface MetricContract {
  metrics: Record<string, { type: string }>;
}
interface AlertRule {
  alert?: string;
  record?: string;
  expr?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups?: { name?: string; rules?: AlertRule[] }[];
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: unknown;
  datasource?: { uid?: string };
  targets?: { expr?: string }[];
}
interface Dashboard {
  uid?: string;
  panels?: Panel[];
}

/** Metrics the alerts must watch: the list plus leadership. */
const mustAlertOn = ['exchange_ingress_to_ack_seconds', 'exchange_rejects_total', 'exchange_ring_occupancy_ratio', 'exchange_fsync_seconds', 'exchange_projection_lag_events', 'exchange_leader'];
const severities = new Set(['page', 'ticket']);

export const monitoringFiles = {
  contract: 'server-metrics.json',
  alerts: 'prometheus/alerts.yml',
  alertTests: 'prometheus/alerts.test.yml',
  dashboard: 'grafana/exchange-engine.json',
};

/** Metric names in a PromQL expression, histogram series folded to their family. */
function metricFamilies(expr: string, contract: MetricContract): string[] {
  return [...expr.matchAll(/\b(?:exchange|nodejs)_\w+/g)].map((m) => {
    const name = m[0];
    const family = name.replace(/_(bucket|sum|count)$/, '');
    return family !== name && contract.metrics[family]?.type === 'histogram' ? family : name;
  });
}

/** Grafana's variables replaced by values Prometheus accepts, so promtool can compile a dashboard query. */
function grafanaToPromql(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replace(/\$\{?\w+\}?/g, '.*');
}

function checkPromtool(dir: string, dashboardExprs: string[], out: Violation[]): void {
  const alerts = join(dir, monitoringFiles.alerts);
  const check = runTool('promtool', ['check', 'rules', alerts], alerts);
  if (!isToolRun(check)) {
    if (check) out.push(check);
    return;
  }
  if (check.status !== 0) out.push({ file: alerts, address: '-', rule: 'promtool', message: check.output });
  const tests = join(dir, monitoringFiles.alertTests);
  const unit = runTool('promtool', ['test', 'rules', tests], tests);
  if (isToolRun(unit) && unit.status !== 0) out.push({ file: tests, address: '-', rule: 'promtool-test', message: unit.output });
  const scratch = mkdtempSync(join(tmpdir(), 'dashboard-rules-'));
  try {
    const rules = dashboardExprs.map((expr, i) => `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(grafanaToPromql(expr))}`);
    const file = join(scratch, 'dashboard.rules.yml');
    writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
    const compiled = runTool('promtool', ['check', 'rules', file], file);
    if (isToolRun(compiled) && compiled.status !== 0) {
      out.push({ file: join(dir, monitoringFiles.dashboard), address: '-', rule: 'promtool', message: `a dashboard query does not compile: ${compiled.output}` });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `promtool: false` limits the check to the contract and shape rules (the tests of those rules skip promtool). */
export function checkMonitoring(dir: string, options: { promtool: boolean } = { promtool: true }): Violation[] {
  const missing = Object.values(monitoringFiles).filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) return missing.map((f) => ({ file: join(dir, f), address: '-', rule: 'monitoring-missing', message: 'file is missing' }));
  const out: Violation[] = [];
  const contract = JSON.parse(readFileSync(join(dir, monitoringFiles.contract), 'utf8')) as MetricContract;
  const alertsFile = join(dir, monitoringFiles.alerts);
  const dashboardFile = join(dir, monitoringFiles.dashboard);
  const rules = ((parseYaml(readFileSync(alertsFile, 'utf8')) as RuleFile | null)?.groups ?? []).flatMap((g) => g.rules ?? []);
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;

  const alerted = new Set<string>();
  for (const rule of rules) {
    const address = `alert ${rule.alert ?? rule.record ?? '?'}`;
    for (const family of metricFamilies(rule.expr ?? '', contract)) {
      alerted.add(family);
      if (!contract.metrics[family]) out.push({ file: alertsFile, address, rule: 'metric-contract', message: `${family} is not a metric the server exposes` });
    }
    if (rule.alert === undefined) continue;
    if (!severities.has(rule.labels?.['severity'] ?? '')) out.push({ file: alertsFile, address, rule: 'alert-shape', message: 'labels.severity must be page or ticket' });
    if (!rule.annotations?.['summary'] || !rule.annotations['description']) out.push({ file: alertsFile, address, rule: 'alert-shape', message: 'needs summary and description annotations' });
  }
  for (const metric of mustAlertOn) {
    if (!alerted.has(metric)) out.push({ file: alertsFile, address: '-', rule: 'alert-coverage', message: `no alert watches ${metric}` });
  }

  const ids = new Set<number>();
  const charted = new Set<string>();
  const exprs: string[] = [];
  if (!dashboard.uid) out.push({ file: dashboardFile, address: '-', rule: 'dashboard-shape', message: 'the dashboard needs a stable uid' });
  for (const panel of dashboard.panels ?? []) {
    const address = `panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
    if (panel.id === undefined || ids.has(panel.id)) out.push({ file: dashboardFile, address, rule: 'dashboard-shape', message: 'panel ids must be present and unique' });
    if (panel.id !== undefined) ids.add(panel.id);
    if (!panel.gridPos) out.push({ file: dashboardFile, address, rule: 'dashboard-shape', message: 'panel has no gridPos' });
    if (panel.type === 'row') continue;
    if (panel.datasource?.uid !== '${datasource}') out.push({ file: dashboardFile, address, rule: 'dashboard-shape', message: 'panels query the ${datasource} variable, not a fixed data source' });
    const targets = panel.targets ?? [];
    if (targets.length === 0 || targets.some((t) => !t.expr)) out.push({ file: dashboardFile, address, rule: 'dashboard-shape', message: 'every panel needs targets with a PromQL expr' });
    for (const target of targets) {
      if (!target.expr) continue;
      exprs.push(target.expr);
      for (const family of metricFamilies(target.expr, contract)) {
        charted.add(family);
        if (!contract.metrics[family]) out.push({ file: dashboardFile, address, rule: 'metric-contract', message: `${family} is not a metric the server exposes` });
      }
    }
  }
  for (const metric of Object.keys(contract.metrics)) {
    if (!charted.has(metric)) out.push({ file: dashboardFile, address: '-', rule: 'dashboard-coverage', message: `no panel charts ${metric}` });
  }
  if (options.promtool) checkPromtool(dir, exprs, out);
  return out;
}
