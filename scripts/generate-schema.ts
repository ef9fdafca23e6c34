import * as fs from 'fs';
import * as path from 'path';
import { POLICY_SCHEMA_FILE, policySchema } from '../lib/policy/schema';

const target = path.join(__dirname, '..', POLICY_SCHEMA_FILE);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, `${JSON.stringify(policySchema(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
