import { describe, expect, it } from 'vitest';
import { irregularBases, irregularForms, regularPlural, ruleBases } from './morphology.js';

const bases = (w: string) => ruleBases(w).map((r) => `${r.base}/${r.pos[0]}`);

describe('morphology', () => {
  it('guesses base forms by suffix rules, with y → i and doubled consonants', () => {
    expect(bases('cars')).toContain('car/n');
    expect(bases('cities')).toContain('city/n');
    expect(bases('boxes')).toContain('box/n');
    expect(bases('running')).toContain('run/v');
    expect(bases('stopped')).toContain('stop/v');
    expect(bases('carried')).toContain('carry/v');
    expect(bases('making')).toContain('make/v');
    expect(bases('lying')).toContain('lie/v');
    expect(bases('bigger')).toContain('big/a');
    expect(bases('happiest')).toContain('happy/a');
    expect(bases('car')).toEqual([]);
  });

  it('makes regular plurals', () => {
    expect(['car', 'city', 'box', 'church', 'day', 'bus'].map(regularPlural)).toEqual([
      'cars',
      'cities',
      'boxes',
      'churches',
      'days',
      'buses',
    ]);
  });

  it('knows common irregular forms both ways', () => {
    expect(irregularBases('mice')).toEqual(['mouse']);
    expect(irregularBases('ran')).toEqual(['run']);
    expect(irregularBases('lay')).toEqual(['lie']);
    expect(irregularForms('mouse')).toEqual(['mice']);
    expect(irregularForms('go')).toContain('went');
    expect(irregularBases('car')).toEqual([]);
  });
});
