import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../lib/reports/rules-doc';

const target = path.join(__dirname, '..', 'RULES.md');
fs.writeFileSync(target, renderRulesDoc());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
