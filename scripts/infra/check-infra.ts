// npm run check:infra -- [TERRAFORM_DIR] [--dockerfile FILE] [--monitoring DIR]
// Offline proof of the deployment: every .tf parses, matches the AWS provider schema, resolves its references and
// passes the security checklist; the Dockerfile and the monitoring files pass their policies. Exits 1 on any finding,
// printing file:line, the resource and the rule.
import { runCheckInfraCli } from './cli.ts';

process.exitCode = await runCheckInfraCli(process.argv.slice(2), {
  finding: (line) => console.error(line),
  summary: (line) => console.log(line),
});
