/** The report as data, for `report --format json`: the verdict and every comparison the comment shows. */
import { modelViews } from "../smoke/metric-values.js";
import type { PairedComparison } from "../smoke/paired-schema.js";
import type { CaseReport } from "../smoke/types.js";
import { comparisons, type MetricComparison, MODEL_FIGURES, NOISE, SERVER_FIGURES } from "./comparison.js";
import type { ReportInput } from "./input.js";
import { casesWorthShowing } from "./tables.js";
import { passedOf } from "./verdict.js";

export interface ReportJson {
  marker: string;
  passed: boolean;
  /** The run's failure, then the smoke's failure lines. */
  failures: string[];
  baseline: { compared: boolean; note?: string };
  server: MetricComparison[];
  models: { name: string; cases: number; passed: number; inBaseline: boolean; metrics: MetricComparison[] }[];
  /** Failing critical cases, then other failing cases, then flaky ones that passed. */
  cases: CaseReport[];
  noise: typeof NOISE;
  /** The base commit's image smoked beside this one, as the smoke report has it. */
  paired?: PairedComparison;
}

export function renderReportJson(input: ReportInput): ReportJson {
  const { head, baseline } = input;
  const baseViews = baseline === undefined ? undefined : modelViews(baseline);
  const baselineState: ReportJson["baseline"] = { compared: head !== undefined && baseline !== undefined };
  if (head !== undefined && baseline === undefined && input.baselineNote !== undefined) {
    baselineState.note = input.baselineNote;
  }
  return {
    marker: input.marker,
    passed: passedOf(input),
    failures: [...(input.failure === undefined ? [] : [input.failure]), ...(head?.failures ?? [])],
    baseline: baselineState,
    server: head === undefined ? [] : comparisons(SERVER_FIGURES, head.environment, baseline?.environment),
    models:
      head === undefined
        ? []
        : [...modelViews(head)].map(([name, view]) => ({
            name,
            cases: view.cases.length,
            passed: view.cases.filter((c) => c.passed).length,
            inBaseline: baseViews?.has(name) ?? false,
            metrics: comparisons(MODEL_FIGURES, view, baseViews?.get(name)),
          })),
    cases: head === undefined ? [] : casesWorthShowing(head.cases),
    noise: NOISE,
    ...(head?.paired === undefined ? {} : { paired: head.paired }),
  };
}
