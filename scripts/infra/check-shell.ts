// shellcheck over the engine host scripts: the static helpers as they are, and the user-data template as Terraform
// renders it (placeholders filled with representative values, helpers inlined). One shellcheck run covers all files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplate, templatePlaceholders } from './check-templates.ts';
import { isToolRun, runTool } from './system-tool.ts';
import type { Violation } from './violation.ts';

/** Writes each user-data template rendered into `scratch`; returns rendered path -> template path. */
function renderTemplates(templates: string, names: string[], scripts: Map<string, string>, scratch: string): Map<string, string> {
  const rendered = new Map<string, string>();
  for (const name of names.filter((n) => n.endsWith('.sh.tftpl'))) {
    const template = readFileSync(join(templates, name), 'utf8');
    const values: Record<string, string> = {};
    for (const placeholder of templatePlaceholders(template).names) {
      const inlined = [...scripts.entries()].find(([file]) => placeholder === `${file.replace(/^exchange-/, '').replace(/\.sh$/, '')}_script`);
      values[placeholder] = inlined ? inlined[1].trimEnd() : `rendered-${placeholder}`;
    }
    const path = join(scratch, name.replace(/\.tftpl$/, ''));
    writeFileSync(path, renderTemplate(template, values));
    rendered.set(path, join(templates, name));
  }
  return rendered;
}

export function checkShellScripts(terraformDir: string): Violation[] {
  const templates = join(terraformDir, 'templates');
  const names = readdirSync(templates).sort();
  const scripts = new Map(names.filter((n) => n.endsWith('.sh')).map((n) => [n, readFileSync(join(templates, n), 'utf8')]));
  const scratch = mkdtempSync(join(tmpdir(), 'user-data-'));
  try {
    const rendered = renderTemplates(templates, names, scripts, scratch);
    const files = [...[...scripts.keys()].map((n) => join(templates, n)), ...rendered.keys()];
    const run = runTool('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', ...files], templates);
    if (!isToolRun(run)) return run ? [run] : [];
    if (run.status === 0) return [];
    return run.output
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const m = /^(.+?):(\d+):\d+: (.*)$/.exec(line);
        const file = m?.[1] ?? templates;
        const template = rendered.get(file);
        const message = m?.[3] ?? line;
        return {
          file: template ?? file,
          ...(m?.[2] ? { line: Number(m[2]) } : {}),
          address: 'script',
          rule: 'shellcheck',
          message: template ? `(as rendered) ${message}` : message,
        };
      });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
