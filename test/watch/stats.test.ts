import { expect } from 'chai';
import { samplesCsv } from '../../scripts/watch/files';
import { parseDuration } from '../../scripts/watch/settings';
import { percentile, type Sample, settledVersion, timeline, windowStats } from '../../scripts/watch/stats';
import { escapeXml } from '../../scripts/watch/svg';

const sample = (at: number, version?: string, status: number | undefined = 200): Sample => ({
  at,
  strategy: 's',
  url: 'http://x/version',
  status,
  version,
  latencyMs: at % 7,
});

describe('watch: measurements', () => {
  it('computes shares among 2xx answers and counts errors and non-2xx apart', () => {
    const w = windowStats([
      sample(1, 'a'),
      sample(2, 'a'),
      sample(3, 'b'),
      sample(4, undefined, 503),
      sample(5, undefined, undefined),
    ]);
    expect(w).to.deep.equal({
      requests: 5,
      shares: [
        { version: 'a', count: 2, share: 2 / 3 },
        { version: 'b', count: 1, share: 1 / 3 },
      ],
      errors: 1,
      non2xx: 1,
    });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([
      percentile(values, 50),
      percentile(values, 90),
      percentile(values, 99),
      percentile([], 50),
    ]).to.deep.equal([50, 90, 99, undefined]);
  });

  it('settles only on a full window of one version without errors', () => {
    const all = Array.from({ length: 20 }, (_, i) => sample(i * 1000, 'b'));
    expect(settledVersion(all, 19_000, 0, 10, 10)).to.equal('b');
    expect(settledVersion(all, 19_000, 12_000, 10, 10), 'window reaches before the start').to.equal(
      undefined,
    );
    expect(settledVersion([...all, sample(19_500, undefined, 502)], 19_500, 0, 10, 10)).to.equal(undefined);
    expect(settledVersion([...all, sample(19_500, 'a')], 19_500, 0, 10, 10)).to.equal(undefined);
    expect(settledVersion(all.slice(-5), 19_000, 0, 10, 10), 'too few answers').to.equal(undefined);
  });

  it('finds when each version was seen and when only the last one answered', () => {
    const t = timeline([sample(0, 'a'), sample(1, 'b'), sample(2, 'a'), sample(3, 'b'), sample(4, 'b')]);
    expect(t.onlyFrom).to.deep.equal({ version: 'b', at: 3 });
    expect(t.versions.map((v) => [v.version, v.count, v.firstAt, v.lastAt])).to.deep.equal([
      ['a', 2, 0, 2],
      ['b', 3, 1, 4],
    ]);
  });

  it('quotes CSV fields and escapes XML', () => {
    const csv = samplesCsv([{ ...sample(1000, 'v"1,x'), error: 'line\nbreak' }], 0);
    expect(csv.split('\r\n')[1]).to.equal(
      '1970-01-01T00:00:01.000Z,1000,s,http://x/version,200,"v""1,x",6,"line\nbreak"',
    );
    expect(escapeXml(`<a href="x">&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });

  it('reads durations', () => {
    expect(['90', '90s', '10m', '1h', '1m30s', 'x', ''].map(parseDuration)).to.deep.equal([
      90,
      90,
      600,
      3600,
      90,
      undefined,
      undefined,
    ]);
  });
});
