// Proves check:infra exits 1 on a broken copy, naming the file, the resource and the rule.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCheckInfraCli } from '../../scripts/infra/cli.ts';
import { dockerfilePath, edit, repoRoot, scratchDir, terraformDir } from './fixture.ts';

async function run(args: string[]) {
  const findings: string[] = [];
  const summaries: string[] = [];
  const exitCode = await runCheckInfraCli(args, { finding: (l) => findings.push(l), summary: (l) => summaries.push(l) });
  return { exitCode, findings: findings.join('\n'), summary: summaries.join('\n') };
}

describe('check:infra CLI', () => {
  it('exits 1 on a broken copy, naming file, resource and rule', async () => {
    // One manifest is enough to exercise the command; every check's own tests cover the full module.
    const dir = scratchDir();
    copyFileSync(join(terraformDir, 'cache.tf'), join(dir, 'cache.tf'));
    edit(join(dir, 'cache.tf'), 'at_rest_encryption_enabled = true', 'at_rest_encryption_enabled = false');
    const result = await run([dir, '--dockerfile', dockerfilePath, '--monitoring', join(dir, 'no-monitoring')]);
    assert.equal(result.exitCode, 1);
    assert.match(result.summary, /[1-9]\d* finding\(s\)/);
    assert.match(result.findings, /cache\.tf:\d+: aws_elasticache_replication_group\.cache: \[encryption\] at_rest_encryption_enabled/);
  });

  it('sets the process exit code from the entry point, reporting missing inputs', () => {
    const missing = join(repoRoot, 'no-such-dir');
    const args = [join(missing, 'terraform'), '--dockerfile', join(missing, 'Dockerfile'), '--monitoring', join(missing, 'monitoring')];
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/infra/check-infra.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(child.status, 1);
    assert.match(child.stderr, /terraform: -: \[hcl-parse\] directory does not exist/);
    assert.match(child.stderr, /Dockerfile: -: \[dockerfile-missing\]/);
    assert.match(child.stderr, /alerts\.yml: -: \[monitoring-missing\]/);
  });
});
