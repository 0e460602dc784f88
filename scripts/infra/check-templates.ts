// Checks the files that templatefile() and file() read: each exists, a template interpolates only plain ${name}
// placeholders, and the placeholders and the variables passed to templatefile() are the same set.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHclObject, type HclValue } from './hcl.ts';
import type { TfConfig } from './tf-config.ts';
import type { Violation } from './violation.ts';

const templateCall = /templatefile\(\\?"\$\{path\.module\}\/([^"\\]+)\\?",\s*\{([\s\S]*?)\n\s*\}\)/g;
const fileCall = /\bfile\(\\?"\$\{path\.module\}\/([^"\\]+)\\?"\)/g;

/** The `${...}` interpolations of a template: plain names, and anything else (expressions, directives). */
export function templatePlaceholders(template: string): { names: Set<string>; other: string[] } {
  const names = new Set<string>();
  const other: string[] = [];
  for (const m of template.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) {
    const inner = m[1] ?? '';
    if (/^\w+$/.test(inner)) names.add(inner);
    else other.push(m[0]);
  }
  for (const m of template.matchAll(/(?<!%)%\{[^}]*\}/g)) other.push(m[0]);
  return { names, other };
}

/** Renders a template that passed this check: every `${name}` replaced by its value. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/(?<!\$)\$\{(\w+)\}/g, (_m, name: string) => values[name] ?? '');
}

function strings(value: HclValue, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (isHclObject(value)) Object.values(value).forEach((v) => strings(v, out));
  return out;
}

export function checkTemplates(config: TfConfig): Violation[] {
  const out: Violation[] = [];
  for (const block of config.blocks) {
    const fail = (rule: string, message: string): void => {
      out.push({ file: block.file.display, line: block.line, address: block.address, rule, message });
    };
    for (const text of strings(block.body, [])) {
      for (const m of text.matchAll(fileCall)) {
        if (!existsSync(join(config.dir, m[1] ?? ''))) fail('template-file', `file() reads ${m[1]}, which does not exist`);
      }
      for (const m of text.matchAll(templateCall)) {
        const relative = m[1] ?? '';
        const path = join(config.dir, relative);
        if (!existsSync(path)) {
          fail('template-file', `templatefile() reads ${relative}, which does not exist`);
          continue;
        }
        const passed = new Set([...(m[2] ?? '').matchAll(/^\s*(\w+)\s*=/gm)].map((k) => k[1] ?? ''));
        const { names, other } = templatePlaceholders(readFileSync(path, 'utf8'));
        for (const expression of other) fail('template-vars', `${relative} uses ${expression}; templates interpolate only plain \${name}`);
        for (const name of names) if (!passed.has(name)) fail('template-vars', `${relative} uses \${${name}}, which templatefile() does not pass`);
        for (const name of passed) if (!names.has(name)) fail('template-vars', `templatefile() passes ${name}, which ${relative} never uses`);
      }
    }
  }
  return out;
}
