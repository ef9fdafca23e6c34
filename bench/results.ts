/**
 * What one benchmark run holds: the options it ran with and the figures it
 * collected. bench/measure.ts fills these, bench/report.ts and
 * bench/targets.ts read them.
 */
import type { Sample } from './stats';
import type { Framework, ImportResult, SynthMode } from './worker';

export interface Options {
  readonly runs: number;
  readonly largeRuns: number;
  readonly cdkSizes: readonly number[];
  readonly cdktfSizes: readonly number[];
  readonly perStack: number;
  readonly engine: boolean;
  readonly cdkNag: boolean;
  readonly docsSplit: boolean;
  readonly cfnValidation: boolean;
  readonly build: boolean;
  readonly json: boolean;
  readonly markdown?: string;
  readonly keep: boolean;
  /** Profile one gated synthesis instead of measuring (`--profile cdktf:10000`). */
  readonly profile?: { readonly framework: 'cdk' | 'cdktf'; readonly resources: number };
}

export interface ModeFigures {
  readonly seconds: Sample;
  readonly cpuSeconds: Sample;
  /**
   * This mode minus the bare run of the same round, in wall and CPU seconds,
   * over the part where modes differ (enabling and synthesis: building the
   * constructs is the same in every mode; see SynthResult.phaseSeconds).
   * Modes take turns within a round, so pairing them cancels the machine's
   * drift between rounds, which a difference of two medians keeps.
   */
  readonly overSeconds: Sample;
  readonly overCpuSeconds: Sample;
  readonly rssMb: Sample;
  /** Bytes of the data-flow documentation and of the synthesized templates, in the last run. */
  readonly docsBytes: number;
  readonly outputBytes: number;
  readonly engineSeconds: Sample;
  /** The engine's third run over the same output in the same process (mode `engine`). */
  readonly engineWarmSeconds: Sample;
  readonly gateWorkSeconds: Sample;
  readonly findings?: { readonly errors: number; readonly warnings: number };
  readonly failure?: string;
}

export interface SizeFigures {
  readonly framework: Framework;
  readonly resources: number;
  readonly stacks: number;
  readonly runs: number;
  /** `gate` when the package's gate ran, `engine` when the engine was timed after bare synthesis instead. */
  readonly gateMode: 'gate' | 'engine';
  readonly modes: Partial<Record<SynthMode, ModeFigures>>;
  /** The bare output kept for the CLI run. */
  readonly bareOutdir: string;
}

export interface CliFigures {
  readonly seconds: number;
  readonly rssMb?: number;
  readonly exitCode: number | null;
}

/** One entry point's import runs: time and RSS growth summarized over the runs, the rest as the worker reported it. */
export interface ImportFigures extends Pick<ImportResult, 'modules' | 'packages' | 'forbiddenLoaded' | 'forbiddenCount'> {
  readonly entry: string;
  readonly framework: Framework | 'engine';
  readonly seconds: Sample;
  readonly rssDeltaMb: Sample;
}

export interface Machine {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd?: readonly number[];
  readonly date: string;
}

export interface Results {
  readonly machine: Machine;
  readonly options: Options;
  readonly sizes: readonly SizeFigures[];
  readonly cli: { readonly [key: string]: CliFigures };
  readonly imports: readonly ImportFigures[];
}
