// Proves the Dockerfile passes its policy and that breaking each rule in a copy is reported with the rule.
import { describe, it } from 'node:test';
import { checkDockerfile } from '../../scripts/infra/check-dockerfile.ts';
import { assertClean, assertReports, copyOf, dockerfilePath, edit } from './fixture.ts';

const mutations: { name: string; from: string | RegExp; to: string; address: string; rule: string }[] = [
  { name: 'an Alpine base', from: 'ARG NODE_IMAGE=node:20-bookworm-slim', to: 'ARG NODE_IMAGE=node:20-alpine', address: 'FROM', rule: 'base-image' },
  { name: 'a single stage', from: /FROM \$\{NODE_IMAGE\} AS runtime\n/, to: '', address: 'FROM', rule: 'multi-stage' },
  { name: 'dev dependencies shipped', from: ' && npm prune --omit=dev --no-audit --no-fund \\\n', to: '', address: '-', rule: 'production-deps' },
  { name: 'npm install', from: 'RUN npm ci --no-audit --no-fund', to: 'RUN npm install', address: 'RUN', rule: 'production-deps' },
  { name: 'running as root', from: 'USER node', to: 'USER root', address: 'USER', rule: 'non-root' },
  { name: 'no init', from: 'ENTRYPOINT ["/usr/bin/tini", "--"]', to: 'ENTRYPOINT ["node"]', address: 'ENTRYPOINT', rule: 'init' },
  { name: 'shell-form CMD', from: /CMD \["node", "dist\/server\/main\.js".*\]/, to: 'CMD node dist/server/main.js --port 8080', address: 'CMD', rule: 'exec-form' },
  { name: 'no healthcheck', from: /HEALTHCHECK [^\n]*\\\n[^\n]*\n/, to: '', address: 'FROM', rule: 'healthcheck' },
  { name: 'no journal volume', from: 'VOLUME ["/var/lib/exchange"]', to: 'VOLUME ["/data"]', address: 'FROM', rule: 'volume' },
  { name: 'apt without cleanup', from: ' \\\n && rm -rf /var/lib/apt/lists/*', to: '', address: 'RUN', rule: 'apt-hygiene' },
  { name: 'ADD', from: 'COPY . .', to: 'ADD . .', address: 'ADD', rule: 'no-add' },
  { name: 'a relative WORKDIR (linter)', from: 'WORKDIR /app\nCOPY package.json', to: 'WORKDIR app\nCOPY package.json', address: 'lint', rule: 'dockerfile-lint' },
];

describe('Dockerfile policy', () => {
  it('passes', () => {
    assertClean(checkDockerfile(dockerfilePath));
  });

  for (const m of mutations) {
    it(`reports ${m.name} as [${m.rule}]`, () => {
      const copy = copyOf(dockerfilePath);
      edit(copy, m.from, m.to);
      assertReports(checkDockerfile(copy), { file: 'Dockerfile', address: m.address, rule: m.rule });
    });
  }
});
