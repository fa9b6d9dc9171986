import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeProfile, loadProfiles } from '../profile.js';
import { isNeuralModel, NEURAL_RERANK_MODELS, neuralStage } from './index.js';

describe('neural models in profiles', () => {
  it("loads the README's example profiles", () => {
    const readme = fs.readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(readme)![1];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-neural-readme-')), 'funnel.json');
    fs.writeFileSync(file, json);
    try {
      const profiles = loadProfiles(file);
      expect(describeProfile(profiles.get('neural')!)).toBe(
        'bm25+prf ─30000→ ltr ─200→ rerank-api ─117→ llm-rerank ─117→ extractive',
      );
      expect(describeProfile(profiles.get('dense')!)).toBe(
        'bm25+prf ─30000→ ltr ─300→ embed ─117→ extractive',
      );
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('dispatches each model name to its stage', () => {
    for (const model of NEURAL_RERANK_MODELS) {
      const spec = { kind: 'rerank' as const, model, keep: 5, budgetMs: 100, options: {} };
      expect(isNeuralModel(spec)).toBe(true);
      expect(neuralStage(spec).spec).toBe(spec);
    }
    expect(isNeuralModel({ kind: 'rerank', model: 'ltr', keep: 5, budgetMs: 100, options: {} })).toBe(false);
  });
});
