/**
 * Reading a registry metric's figure out of a smoke report, the one way the terminal text and the pull-request
 * comment both do it, in the order both list them.
 */
import {
  METRICS,
  type Metric,
  type ModelMetric,
  type Quantile,
  type RequestMetric,
  type ServerMetric,
} from "./metric-registry.js";
import type { CaseReport, Distribution, ModelReport, SmokeEnvironment, SmokeReport } from "./types.js";

/** A model's results and its cases (a model can have cases but no results, when it never loaded). */
export interface ModelView {
  results?: ModelReport;
  cases: CaseReport[];
}

export function modelViews(report: SmokeReport): Map<string, ModelView> {
  const views = new Map<string, ModelView>();
  const viewOf = (model: string) => {
    let view = views.get(model);
    if (view === undefined) {
      view = { cases: [] };
      views.set(model, view);
    }
    return view;
  };
  for (const [model, results] of Object.entries(report.models)) viewOf(model).results = results;
  for (const c of report.cases) viewOf(c.model).cases.push(c);
  return views;
}

const isServerMetric = (metric: Metric): metric is ServerMetric => metric.stored === "environment";

/**
 * A model's metrics in the order tables list them: the pass counts first (did it answer right), then the
 * registry's order (how fast, how big).
 */
export const MODEL_METRICS: readonly ModelMetric[] = [
  ...METRICS.filter((metric): metric is ModelMetric => !isServerMetric(metric) && metric.samples === "runs-passed"),
  ...METRICS.filter((metric): metric is ModelMetric => !isServerMetric(metric) && metric.samples !== "runs-passed"),
];

/** The server's own metrics (its start), read from the environment. */
export const SERVER_METRICS: readonly ServerMetric[] = METRICS.filter(isServerMetric);

export const isRequestMetric = (metric: Metric): metric is RequestMetric => metric.stored === "distribution";

export function distributionOf(metric: RequestMetric, view: ModelView): Distribution | undefined {
  return view.results?.metrics[metric.key];
}

/**
 * A model metric's value; for a distribution, the quantile `stat` (the median by default). A derived metric reads
 * the view as the registry's `ModelFacts`: a field renamed in the report's schema fails to compile here.
 */
export function modelValue(metric: ModelMetric, view: ModelView, stat: Quantile = "p50"): number | undefined {
  switch (metric.stored) {
    case "distribution":
      return distributionOf(metric, view)?.[stat];
    case "model":
      return view.results?.[metric.key];
    case "derived":
      return metric.read(view);
  }
}

/** What is said after a model metric's value (VRAM that spilled to the CPU). */
export const modelDetail = (metric: ModelMetric, view: ModelView): string | undefined =>
  "detail" in metric ? metric.detail(view) : undefined;

export const serverValue = (metric: ServerMetric, environment: SmokeEnvironment): number | undefined =>
  environment[metric.key];
