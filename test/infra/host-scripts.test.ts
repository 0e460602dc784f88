// Proves the user-data template matches its templatefile() call and passes shellcheck; broken copies are reported.
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkShellScripts } from '../../scripts/infra/check-shell.ts';
import { checkTemplates } from '../../scripts/infra/check-templates.ts';
import { hasTool } from '../../scripts/infra/system-tool.ts';
import { loadTfConfig } from '../../scripts/infra/tf-config.ts';
import { assertClean, assertReports, copyOf, edit, terraformDir } from './fixture.ts';

const noShellcheck = hasTool('shellcheck') ? false : 'shellcheck is not installed (scripts/ensure-system-tools.sh)';

describe('host scripts', () => {
  it('passes templatefile() exactly the variables the template uses', async () => {
    assertClean(checkTemplates(await loadTfConfig(terraformDir)));
  });

  it('reports a placeholder that templatefile() does not pass', async () => {
    const dir = copyOf(terraformDir);
    edit(join(dir, 'templates/engine-user-data.sh.tftpl'), 'DRAIN_BUCKET=${drain_bucket}', 'DRAIN_BUCKET=${drain_bucket_name}');
    assertReports(checkTemplates(await loadTfConfig(dir)), { file: 'engine.tf', address: 'aws_launch_template.engine', rule: 'template-vars' });
  });

  it('reports a template expression that is not a plain name', async () => {
    const dir = copyOf(terraformDir);
    edit(join(dir, 'templates/engine-user-data.sh.tftpl'), 'ENGINE_PORT=${engine_port}', 'ENGINE_PORT=${engine_port + 1}\nPORT=${engine_port}');
    assertReports(checkTemplates(await loadTfConfig(dir)), { file: 'engine.tf', address: 'aws_launch_template.engine', rule: 'template-vars' });
  });

  it('reports a file() that does not exist', async () => {
    const dir = copyOf(terraformDir);
    edit(join(dir, 'engine.tf'), 'templates/exchange-run.sh', 'templates/exchange-start.sh');
    assertReports(checkTemplates(await loadTfConfig(dir)), { file: 'engine.tf', address: 'aws_launch_template.engine', rule: 'template-file' });
  });

  it('passes shellcheck, user data as rendered', { skip: noShellcheck }, () => {
    assertClean(checkShellScripts(terraformDir));
  });

  it('reports a shellcheck finding in a helper script', { skip: noShellcheck }, () => {
    const dir = copyOf(terraformDir);
    edit(join(dir, 'templates/exchange-watchdog.sh'), 'sleep "$probe_interval_seconds"', 'sleep $probe_interval_seconds$1');
    assertReports(checkShellScripts(dir), { file: 'templates/exchange-watchdog.sh', address: 'script', rule: 'shellcheck' });
  });

  it('reports a shellcheck finding in the rendered user data', { skip: noShellcheck }, () => {
    const dir = copyOf(terraformDir);
    edit(join(dir, 'templates/engine-user-data.sh.tftpl'), 'mount ${data_dir}', 'cd /mnt\nmount $data_dir');
    assertReports(checkShellScripts(dir), { file: 'templates/engine-user-data.sh.tftpl', address: 'script', rule: 'shellcheck' });
  });
});
