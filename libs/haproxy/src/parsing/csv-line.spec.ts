import { splitCsvLine } from './csv-line';

describe('splitCsvLine', () => {
  it('splits on commas and keeps empty fields', () => {
    expect(splitCsvLine('a,,b,')).toEqual(['a', '', 'b', '']);
  });

  it('keeps commas and doubled quotes inside quoted fields', () => {
    expect(splitCsvLine('be,"said ""no"", twice",x')).toEqual(['be', 'said "no", twice', 'x']);
  });
});
