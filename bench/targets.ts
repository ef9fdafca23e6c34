/**
 * The performance targets, each judged on the figures of a run: what was
 * measured and whether the target holds. The Markdown report lists them.
 */
import type { Results, SizeFigures } from './results';
import type { SynthMode } from './worker';

/** A verdict on one target: the measured value, the limit and whether it holds. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const framework of ['cdk', 'cdktf'] as const) {
    const sizes = results.sizes.filter((size) => size.framework === framework);
    // Time targets are judged on CPU seconds (steadier on a shared machine); wall seconds are shown next to them.
    const median = (size: SizeFigures, mode: SynthMode, metric: 'cpuSeconds' | 'seconds'): number => size.modes[mode]?.[metric].median ?? NaN;
    // What a mode adds: the median of its per-round differences from the bare run (see ModeFigures).
    const added = (size: SizeFigures, mode: SynthMode, metric: 'cpuSeconds' | 'seconds'): number => size.modes[mode]?.[metric === 'cpuSeconds' ? 'overCpuSeconds' : 'overSeconds'].median ?? NaN;
    const overhead = (size: SizeFigures, metric: 'cpuSeconds' | 'seconds'): number => added(size, size.gateMode, metric);
    const reference = sizes.find((size) => size.resources === 10000) ?? sizes[sizes.length - 1];
    if (!reference) continue;
    const bareCpu = median(reference, 'bare', 'cpuSeconds');
    const bareWall = median(reference, 'bare', 'seconds');
    const gateCpu = overhead(reference, 'cpuSeconds');
    const gateWall = overhead(reference, 'seconds');
    const engine = reference.modes.engine?.engineSeconds.median;
    const own = reference.gateMode === 'gate' ? reference.modes.gate?.gateWorkSeconds.median : undefined;
    checks.push({
      target: `${framework} ${reference.resources}: gate overhead ≤ 10% of bare synthesis`,
      measured: `CPU ${gateCpu.toFixed(2)} s of ${bareCpu.toFixed(2)} s = ${percent(gateCpu / bareCpu)}; wall ${gateWall.toFixed(2)} s of ${bareWall.toFixed(2)} s = ${percent(gateWall / bareWall)}${
        engine !== undefined ? `; engine alone ${engine.toFixed(2)} s = ${percent(engine / bareWall)} of bare wall` : ''
      }${own !== undefined ? `; gate's own work ${own.toFixed(2)} s = ${percent(own / bareWall)}` : ''}`,
      met: Number.isFinite(gateCpu) ? gateCpu / bareCpu <= 0.1 : undefined,
    });
    if (reference.modes['gate-without-docs']) {
      const withoutDocsCpu = added(reference, 'gate-without-docs', 'cpuSeconds');
      const withoutDocsWall = added(reference, 'gate-without-docs', 'seconds');
      checks.push({
        target: `${framework} ${reference.resources}: the same, data-flow documentation off`,
        measured: `CPU ${withoutDocsCpu.toFixed(2)} s = ${percent(withoutDocsCpu / bareCpu)}; wall ${withoutDocsWall.toFixed(2)} s = ${percent(withoutDocsWall / bareWall)}`,
        met: Number.isFinite(withoutDocsCpu) ? withoutDocsCpu / bareCpu <= 0.1 : undefined,
      });
    }
    if (framework === 'cdk' && reference.modes['cdk-nag']) {
      const nagCpu = added(reference, 'cdk-nag', 'cpuSeconds');
      const nagWall = added(reference, 'cdk-nag', 'seconds');
      const factor = (nag: number, gate: number): string => (gate <= 0 ? 'gate within noise' : `${(nag / gate).toFixed(1)}×`);
      checks.push({
        target: `cdk ${reference.resources}: gate overhead ≥ 10× smaller than cdk-nag AwsSolutions'`,
        measured: `CPU: cdk-nag adds ${nagCpu.toFixed(2)} s, the gate ${gateCpu.toFixed(2)} s (${factor(nagCpu, gateCpu)}); wall: ${nagWall.toFixed(2)} s vs ${gateWall.toFixed(2)} s (${factor(nagWall, gateWall)})`,
        met: Number.isFinite(nagCpu) ? gateCpu <= 0 || nagCpu / gateCpu >= 10 : undefined,
      });
      if (reference.modes['empty-plugin']) {
        const emptyCpu = added(reference, 'empty-plugin', 'cpuSeconds');
        const emptyWall = added(reference, 'empty-plugin', 'seconds');
        checks.push({
          target: `cdk ${reference.resources}: for comparison, what aws-cdk-lib adds for any validation plugin (one that checks nothing)`,
          measured: `CPU ${emptyCpu.toFixed(2)} s = ${percent(emptyCpu / bareCpu)} of bare, ${percent(emptyCpu / nagCpu)} of cdk-nag's overhead; wall ${emptyWall.toFixed(2)} s`,
          met: undefined,
        });
      }
      if (reference.modes['gate-without-docs']) {
        const withoutDocsCpu = added(reference, 'gate-without-docs', 'cpuSeconds');
        const withoutDocsWall = added(reference, 'gate-without-docs', 'seconds');
        checks.push({
          target: `cdk ${reference.resources}: the same, data-flow documentation off`,
          measured: `CPU: ${nagCpu.toFixed(2)} s vs ${withoutDocsCpu.toFixed(2)} s (${factor(nagCpu, withoutDocsCpu)}); wall: ${nagWall.toFixed(2)} s vs ${withoutDocsWall.toFixed(2)} s (${factor(nagWall, withoutDocsWall)})`,
          met: Number.isFinite(nagCpu) ? withoutDocsCpu <= 0 || nagCpu / withoutDocsCpu >= 10 : undefined,
        });
      }
    }
    const smallest = sizes[0];
    const largest = sizes[sizes.length - 1];
    if (smallest && largest && smallest !== largest) {
      const perResource = (size: SizeFigures, metric: 'cpuSeconds' | 'seconds'): number => (overhead(size, metric) / size.resources) * 1e6;
      const small = perResource(smallest, 'cpuSeconds');
      const large = perResource(largest, 'cpuSeconds');
      checks.push({
        target: `${framework}: overhead per resource at ${largest.resources} within 1.5× of ${smallest.resources}`,
        measured: `CPU ${large.toFixed(1)} µs vs ${small.toFixed(1)} µs = ${(large / small).toFixed(2)}×; wall ${perResource(largest, 'seconds').toFixed(1)} µs vs ${perResource(smallest, 'seconds').toFixed(1)} µs`,
        met: Number.isFinite(large / small) ? large <= 0 || large <= Math.max(small, 0) * 1.5 : undefined,
      });
    }
    for (const size of sizes) {
      const bareRss = size.modes.bare?.rssMb.median ?? NaN;
      for (const mode of [size.gateMode, 'gate-without-docs'] as const) {
        const gateRss = size.modes[mode]?.rssMb.median;
        if (gateRss === undefined) continue;
        checks.push({
          target: `${framework} ${size.resources}: peak RSS overhead ≤ 15%${mode === 'gate-without-docs' ? ', data-flow documentation off' : ''}`,
          measured: `${gateRss.toFixed(0)} MB vs ${bareRss.toFixed(0)} MB = ${percent((gateRss - bareRss) / bareRss)}`,
          met: Number.isFinite(bareRss) ? (gateRss - bareRss) / bareRss <= 0.15 : undefined,
        });
      }
    }
  }
  const unwanted = { engine: 'AWS CDK or CDKTF', cdk: 'CDKTF', cdktf: 'AWS CDK' };
  for (const figures of results.imports) {
    checks.push({
      target: `importing ${figures.entry} loads no ${unwanted[figures.framework]} module`,
      measured: figures.forbiddenCount === 0 ? 'none loaded' : `${figures.forbiddenCount} loaded, e.g. ${figures.forbiddenLoaded[0]}`,
      met: figures.forbiddenCount === 0,
    });
  }
  return checks;
}
