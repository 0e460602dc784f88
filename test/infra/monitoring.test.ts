// Proves the alerts and dashboard fit the server's metrics and pass promtool; broken copies are reported.
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkMonitoring, monitoringFiles } from '../../scripts/infra/check-monitoring.ts';
import { hasTool } from '../../scripts/infra/system-tool.ts';
import { assertClean, assertReports, copyOf, edit, monitoringDir } from './fixture.ts';

const noPromtool = hasTool('promtool') ? false : 'promtool is not installed (scripts/ensure-system-tools.sh)';

const withoutPromtool = { promtool: false };

function broken(file: string, from: string, to: string): string {
  const dir = copyOf(monitoringDir);
  edit(join(dir, file), from, to);
  return dir;
}

describe('monitoring as code', () => {
  it('passes, promtool included', { skip: noPromtool }, () => {
    assertClean(checkMonitoring(monitoringDir));
  });

  it('reports an alert on a metric the server does not expose', () => {
    const dir = broken(monitoringFiles.alerts, 'max by (instance, ring) (exchange_ring_occupancy_ratio)', 'max by (instance, ring) (exchange_ring_fill_ratio)');
    assertReports(checkMonitoring(dir, withoutPromtool), { file: monitoringFiles.alerts, address: 'alert ExchangeRingNearlyFull', rule: 'metric-contract' });
  });

  it('reports a watched metric with no alert', () => {
    const dir = broken(monitoringFiles.alerts, 'expr: max by (instance, store) (exchange_projection_lag_events) > 100000', 'expr: vector(0) > 1');
    assertReports(checkMonitoring(dir, withoutPromtool), { file: monitoringFiles.alerts, address: '-', rule: 'alert-coverage' });
  });

  it('reports an alert without a severity', () => {
    const dir = broken(monitoringFiles.alerts, 'severity: ticket\n        annotations:\n          summary: Engine {{ $labels.instance }} has not', 'team: ops\n        annotations:\n          summary: Engine {{ $labels.instance }} has not');
    assertReports(checkMonitoring(dir, withoutPromtool), { file: monitoringFiles.alerts, address: 'alert ExchangeNotReady', rule: 'alert-shape' });
  });

  it('reports invalid PromQL through promtool', { skip: noPromtool }, () => {
    const dir = broken(monitoringFiles.alerts, 'expr: sum(exchange_leader) > 1', 'expr: sum(exchange_leader > 1');
    assertReports(checkMonitoring(dir), { file: monitoringFiles.alerts, address: '-', rule: 'promtool' });
  });

  it('reports an alert that no longer fires in its unit test', { skip: noPromtool }, () => {
    const dir = broken(monitoringFiles.alerts, '(exchange_fsync_seconds_bucket[5m]))) > 0.002', '(exchange_fsync_seconds_bucket[5m]))) > 0.02');
    assertReports(checkMonitoring(dir), { file: monitoringFiles.alertTests, address: '-', rule: 'promtool-test' });
  });

  it('reports a dashboard query that does not compile', { skip: noPromtool }, () => {
    const dir = broken(monitoringFiles.dashboard, 'max by (store) (exchange_projection_lag_events', 'max by (store) ((exchange_projection_lag_events');
    assertReports(checkMonitoring(dir), { file: monitoringFiles.dashboard, address: '-', rule: 'promtool' });
  });

  it('reports a server metric no panel charts', () => {
    const dir = broken(monitoringFiles.dashboard, 'sum by (instance) (exchange_connections{instance=~\\"$instance\\"})', 'vector(0)');
    assertReports(checkMonitoring(dir, withoutPromtool), { file: monitoringFiles.dashboard, address: '-', rule: 'dashboard-coverage' });
  });

  it('reports a panel pinned to a fixed data source', () => {
    const dir = broken(monitoringFiles.dashboard, '"uid": "${datasource}"\n      },\n      "gridPos"', '"uid": "prometheus-prod"\n      },\n      "gridPos"');
    assertReports(checkMonitoring(dir, withoutPromtool), { file: monitoringFiles.dashboard, address: 'panel 2 "Leader"', rule: 'dashboard-shape' });
  });
});
