// The security and reliability checklist as one entry point over a loaded configuration.
import type { TfConfig } from '../tf-config.ts';
import type { Violation } from '../violation.ts';
import type { PolicyContext } from './context.ts';
import { checkDataStorePolicy } from './data-stores.ts';
import { checkEdgePolicy } from './edge.ts';
import { checkEnginePolicy } from './engine.ts';
import { checkAlarmPolicy, checkIamPolicy } from './iam.ts';
import { checkNetworkPolicy } from './network.ts';
import { checkStoragePolicy } from './storage.ts';
import { checkTerraformPolicy } from './terraform.ts';

export function checkPolicy(config: TfConfig): Violation[] {
  const ctx: PolicyContext = { config, environments: config.tfvars, out: [] };
  checkTerraformPolicy(ctx);
  checkNetworkPolicy(ctx);
  checkEdgePolicy(ctx);
  checkEnginePolicy(ctx);
  checkDataStorePolicy(ctx);
  checkStoragePolicy(ctx);
  checkIamPolicy(ctx);
  checkAlarmPolicy(ctx);
  return ctx.out;
}
