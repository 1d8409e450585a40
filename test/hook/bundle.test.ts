import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../config';
import { HOOK_ESBUILD_OPTIONS } from '../../config/contracts/hook-bundle';
import { bundleOptions, bundleReport, HOOK_ZIP_LIMIT_BYTES } from '../../scripts/bench/hook/bundle';
import { loadServerlessTs } from './support/load-serverless';

describe('hook bundle settings and their bench (config/contracts/hook-bundle.ts, scripts/bench/hook/bundle.ts)', () => {
  it('packages with the settings the bench measures, leaving nothing to the runtime', () => {
    const service = loadServerlessTs(DEFAULT_CONFIG);
    expect(service.custom?.esbuild).to.deep.equal({ ...HOOK_ESBUILD_OPTIONS, exclude: [] });
    expect(bundleOptions('shipped')).to.deep.equal(HOOK_ESBUILD_OPTIONS);
  });

  it('builds the baseline as the hook shipped before: the AWS SDK external, CommonJS entry points', () => {
    const { mainFields: _esm, ...before } = HOOK_ESBUILD_OPTIONS;
    expect(bundleOptions('baseline')).to.deep.equal({ ...before, external: ['@aws-sdk/*'] });
  });

  it('prints each figure with its shipped/baseline ratio, and misses its goal over the zip limit', () => {
    const baseline = { bundleBytes: 150_000, zipBytes: 50_000, requireMs: 80 };
    const shipped = { bundleBytes: 600_000, zipBytes: 200_000, requireMs: 40 };
    const report = bundleReport({ baseline, shipped }, 15);
    expect(report.ok).to.equal(true);
    expect(report.lines.slice(1)).to.deep.equal([
      '  bundle: 150.0 kB → 600.0 kB (×4.00)',
      '  zip:    50000 → 200000 bytes (×4.00)',
      '  require() median: 80.0 ms → 40.0 ms (×0.50)',
      `  goal: zip ≤ ${HOOK_ZIP_LIMIT_BYTES} bytes → met`,
    ]);
    const over = bundleReport({ baseline, shipped: { ...shipped, zipBytes: HOOK_ZIP_LIMIT_BYTES + 1 } }, 15);
    expect(over.ok).to.equal(false);
    expect(over.lines.at(-1)).to.equal(`  goal: zip ≤ ${HOOK_ZIP_LIMIT_BYTES} bytes → MISSED`);
  });
});
