// Proves the schema generator reads names, blocks, required and computed attributes from cdktn-shaped code.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageFolderFor, readBlockSchema, readProviderVersion, type JsiiAssembly } from '../../scripts/infra/cdktn-schema-reader.ts';
import { scratchDir } from './fixture.ts';

function entry(name: string, value: string, isBlock: boolean, type: string, storage: string): string {
  return `            ${name}: {\n                value: ${value},\n                isBlock: ${isBlock},\n                type: "${type}",\n                storageClassType: "${storage}",\n            },`;
}

const widgetIndex = `"use strict";
function widgetLogsToHclTerraform(struct) {
    const attrs = {
${entry('bucket', 'cdktn.stringToHclTerraform(struct.bucket)', false, 'simple', 'string')}
${entry('enabled', 'cdktn.booleanToHclTerraform(struct.enabled)', false, 'simple', 'boolean')}
    };
    return attrs;
}
class Widget extends cdktn.TerraformResource {
    constructor(scope, id, config) {
        super(scope, id, { terraformResourceType: 'aws_widget', terraformGeneratorMetadata: { providerName: 'aws', providerVersion: '6.66.0' } });
    }
    get arn() {
        return this.getStringAttribute('arn');
    }
    _logs = new WidgetLogsOutputReference(this, "logs");
    synthesizeHclAttributes() {
        const attrs = {
${entry('name', 'cdktn.stringToHclTerraform(this._name)', false, 'simple', 'string')}
${entry('size', 'cdktn.numberToHclTerraform(this._size)', false, 'simple', 'number')}
${entry('zones', 'cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._zones)', false, 'list', 'stringList')}
${entry('logs', 'widgetLogsToHclTerraform(this._logs.internalValue)', true, 'list', 'WidgetLogsList')}
        };
        return attrs;
    }
}
`;

const providerIndex = `class AwsProvider extends cdktn.TerraformProvider {
    constructor() {
        super(scope, id, { terraformResourceType: 'aws', terraformGeneratorMetadata: { providerName: 'aws', providerVersion: '6.66.0' } });
    }
    synthesizeHclAttributes() {
        const attrs = {
${entry('region', 'cdktn.stringToHclTerraform(this._region)', false, 'simple', 'string')}
        };
        return attrs;
    }
}
`;

const jsii: JsiiAssembly = {
  types: {
    '@cdktn/provider-aws.widget.WidgetConfig': { properties: [{ name: 'name' }, { name: 'size', optional: true }, { name: 'zones', optional: true }, { name: 'logs', optional: true }] },
    '@cdktn/provider-aws.widget.WidgetLogs': { properties: [{ name: 'bucket' }, { name: 'enabled', optional: true }] },
  },
};

describe('cdktn schema reader', () => {
  const lib = join(scratchDir(), 'lib');
  mkdirSync(join(lib, 'widget'), { recursive: true });
  mkdirSync(join(lib, 'gadget'), { recursive: true });
  mkdirSync(join(lib, 'provider'), { recursive: true });
  writeFileSync(join(lib, 'widget', 'index.js'), widgetIndex);
  writeFileSync(join(lib, 'gadget', 'index.js'), widgetIndex);
  writeFileSync(join(lib, 'provider', 'index.js'), providerIndex);

  it('maps Terraform type names to package folders', () => {
    assert.equal(packageFolderFor('resource', 'aws_lb_target_group'), 'lb-target-group');
    assert.equal(packageFolderFor('data', 'aws_iam_policy_document'), 'data-aws-iam-policy-document');
    assert.equal(packageFolderFor('ephemeral', 'aws_secretsmanager_random_password'), 'ephemeral-aws-secretsmanager-random-password');
  });

  it('reads arguments, nested blocks, required flags and computed attributes', () => {
    assert.deepEqual(readBlockSchema(lib, 'resource', 'aws_widget', jsii), {
      attributes: { name: 'string', size: 'number', zones: 'list' },
      blocks: { logs: { attributes: { bucket: 'string', enabled: 'boolean' }, blocks: {}, required: ['bucket'] } },
      required: ['name'],
      computed: ['arn'],
    });
  });

  it('reads the provider block and the provider version', () => {
    assert.deepEqual(readBlockSchema(lib, 'provider', 'aws', jsii), { attributes: { region: 'string' }, blocks: {}, required: [] });
    assert.equal(readProviderVersion(lib), '6.66.0');
  });

  it('refuses a folder that holds another type', () => {
    assert.throws(() => readBlockSchema(lib, 'resource', 'aws_gadget', jsii), /gadget holds aws_widget, not aws_gadget/);
  });
});
