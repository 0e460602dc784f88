// Dockerfile policy: multi-stage on node:20-bookworm-slim (glibc for uWebSockets.js, never Alpine), production
// dependencies only, a non-root user, tini as PID 1, a HEALTHCHECK on /healthz, the journal directory as a volume,
// exec-form CMD/ENTRYPOINT, and dockerfile-utils' linter clean.
import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import type { Violation } from './violation.ts';

const baseImagePattern = /^node:20(\.\d+){0,2}-bookworm-slim(@sha256:[0-9a-f]{64})?$/;
const journalDirectory = '/var/lib/exchange';

function execForm(instruction: Instruction): string[] | undefined {
  const content = instruction.getArgumentsContent() ?? '';
  if (!content.trim().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function checkDockerfile(path: string, display = path): Violation[] {
  if (!existsSync(path)) return [{ file: display, address: '-', rule: 'dockerfile-missing', message: 'no Dockerfile here' }];
  const source = readFileSync(path, 'utf8');
  const out: Violation[] = [];
  const fail = (instruction: Instruction | undefined, rule: string, message: string): void => {
    out.push({
      file: display,
      ...(instruction ? { line: instruction.getRange().start.line + 1 } : {}),
      address: instruction ? instruction.getKeyword() : '-',
      rule,
      message,
    });
  };
  for (const diagnostic of validate(source)) {
    out.push({ file: display, line: diagnostic.range.start.line + 1, address: 'lint', rule: 'dockerfile-lint', message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value });
  }
  const dockerfile = DockerfileParser.parse(source);
  const argDefaults = new Map(
    dockerfile.getInitialARGs().flatMap((arg) => {
      const property = arg.getProperty();
      const name = property?.getName();
      const value = property?.getValue();
      return name && value ? [[name, value] as const] : [];
    }),
  );
  const froms = dockerfile.getFROMs();
  if (froms.length < 2) fail(froms[0], 'multi-stage', 'build and runtime must be separate stages');
  for (const from of froms) {
    const image = (from.getImage() ?? '').replace(/^\$\{?(\w+)\}?$/, (_m, name: string) => argDefaults.get(name) ?? '');
    if (!baseImagePattern.test(image)) fail(from, 'base-image', `base image must be node:20-bookworm-slim (glibc for uWebSockets.js), got "${image}"`);
  }
  const instructions = dockerfile.getInstructions();
  const lastFrom = froms[froms.length - 1];
  const finalStage = instructions.filter((i) => lastFrom && i.getRange().start.line > lastFrom.getRange().start.line);
  const keyword = (i: Instruction): string => i.getKeyword().toUpperCase();
  const runs = instructions.filter((i) => keyword(i) === 'RUN').map((i) => [i, i.getArgumentsContent() ?? ''] as const);

  if (!runs.some(([, text]) => /npm (prune|ci)\b[^&|;]*--omit=dev/.test(text))) fail(undefined, 'production-deps', 'dev dependencies must be removed (npm prune --omit=dev)');
  for (const [run, text] of runs) {
    if (/\bnpm (install|i)\b/.test(text)) fail(run, 'production-deps', 'use npm ci (the lockfile), not npm install');
    if (/apt-get install/.test(text) && !(/--no-install-recommends/.test(text) && /rm -rf \/var\/lib\/apt\/lists/.test(text))) {
      fail(run, 'apt-hygiene', 'apt-get install needs --no-install-recommends and must remove /var/lib/apt/lists');
    }
  }
  for (const add of instructions.filter((i) => keyword(i) === 'ADD')) fail(add, 'no-add', 'use COPY; ADD fetches URLs and unpacks archives');

  const users = finalStage.filter((i) => keyword(i) === 'USER');
  const user = users[users.length - 1]?.getArgumentsContent()?.trim() ?? '';
  if (user === '' || /^(root|0)(:|$)/.test(user)) fail(users[users.length - 1] ?? lastFrom, 'non-root', `the runtime stage must end as a non-root USER, got "${user}"`);

  const entrypoints = finalStage.filter((i) => keyword(i) === 'ENTRYPOINT');
  const entrypoint = entrypoints[entrypoints.length - 1];
  const entryForm = entrypoint ? execForm(entrypoint) : undefined;
  if (!entrypoint || !entryForm) fail(entrypoint ?? lastFrom, 'exec-form', 'ENTRYPOINT must be in exec (JSON) form so signals reach the process');
  else if (!/(^|\/)(tini|docker-init|dumb-init)$/.test(entryForm[0] ?? '')) fail(entrypoint, 'init', 'PID 1 must be an init (tini) that forwards signals and reaps children');

  const cmds = finalStage.filter((i) => keyword(i) === 'CMD');
  const cmd = cmds[cmds.length - 1];
  if (!cmd || !execForm(cmd)) fail(cmd ?? lastFrom, 'exec-form', 'CMD must be in exec (JSON) form');

  const healthchecks = finalStage.filter((i) => keyword(i) === 'HEALTHCHECK');
  const healthcheck = healthchecks[healthchecks.length - 1];
  const healthText = healthcheck?.getArgumentsContent() ?? '';
  if (!healthcheck || !/\bCMD\s*\[/.test(healthText) || !healthText.includes('/healthz')) {
    fail(healthcheck ?? lastFrom, 'healthcheck', 'HEALTHCHECK CMD [...] (exec form) against /healthz is required');
  }

  const volumes = finalStage.filter((i) => keyword(i) === 'VOLUME');
  if (!volumes.some((v) => (v.getArgumentsContent() ?? '').includes(journalDirectory))) fail(lastFrom, 'volume', `the journal directory ${journalDirectory} must be a VOLUME`);
  return out;
}
