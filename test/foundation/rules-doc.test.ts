import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../../lib/reports/rules-doc';
import { ALL_RULES } from '../../lib/rules';

describe('RULES.md', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');

  test('is generated from the rule metadata and not stale (run `npm run rules-doc` to refresh)', () => {
    expect(committed).toBe(renderRulesDoc());
  });

  test('documents every rule with its rationale and fix', () => {
    for (const rule of ALL_RULES) {
      expect(committed).toContain(`## ${rule.id}`);
      expect(committed).toContain(rule.remediation);
    }
  });
});
