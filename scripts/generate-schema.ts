import * as fs from 'fs';
import * as path from 'path';
import { PROVIDERS_SCHEMA_FILE, providerDeclarationsSchema } from '../lib/input/provider-declarations';
import { POLICY_SCHEMA_FILE, policySchema } from '../lib/policy/schema';

for (const [file, schema] of [
  [POLICY_SCHEMA_FILE, policySchema()],
  [PROVIDERS_SCHEMA_FILE, providerDeclarationsSchema()],
] as const) {
  const target = path.join(__dirname, '..', file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
