/**
 * Keeping the comment under GitHub's limit. The comment is a list of blocks; some are cuttable parts whose items
 * are dropped from the end, part by part in a given order, until the whole fits. A note in the note slot says
 * what was left out; the JSON report (the smoke stage's artifact) always has everything.
 */

/** GitHub's limit on a comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Room kept for the note saying what was cut. */
const NOTE_RESERVE = 1_000;

/** A part of the comment that can shrink: its items are dropped from the end when the comment is too long. */
export interface Cuttable {
  /** What the notes call the items: "failing cases"; a one-item part says what it is: "TTFT chart". */
  noun: string;
  lead: string;
  items: string[];
  separator: string;
  kept: number;
}

/** Where the note saying what was cut goes. */
export const NOTE_SLOT = Symbol("truncation note");
export type Block = string | Cuttable | typeof NOTE_SLOT;

export const cuttable = (noun: string, lead: string, items: string[], separator: string): Cuttable => ({
  noun,
  lead,
  items,
  separator,
  kept: items.length,
});

const moreNote = (part: Cuttable, kept: number) =>
  `\n\n_…${(part.items.length - kept).toLocaleString("en-US")} more ${part.noun} cut to fit; see the JSON report._`;

function renderCuttable(part: Cuttable): string {
  if (part.kept === 0) return "";
  const shown = part.lead + part.items.slice(0, part.kept).join(part.separator);
  return part.kept < part.items.length ? shown + moreNote(part, part.kept) : shown;
}

function assemble(blocks: readonly Block[], note: string): string {
  const rendered = blocks.map((b) => (b === NOTE_SLOT ? note : typeof b === "string" ? b : renderCuttable(b)));
  return `${rendered.filter((b) => b !== "").join("\n\n")}\n`;
}

/** The most items that fit in `room` characters, the cut note included. */
function itemsFitting(part: Cuttable, room: number): number {
  let length = part.lead.length;
  for (let kept = 1; kept <= part.items.length; kept++) {
    length += (kept > 1 ? part.separator.length : 0) + (part.items[kept - 1] as string).length;
    const note = kept < part.items.length ? moreNote(part, kept).length : 0;
    if (length + note > room) return kept - 1;
  }
  return part.items.length;
}

function truncationNote(cutOrder: readonly Cuttable[]): string {
  const cut = cutOrder
    .filter((part) => part.kept < part.items.length)
    .map((part) =>
      part.items.length === 1
        ? `the ${part.noun}`
        : part.kept === 0
          ? `all ${part.items.length.toLocaleString("en-US")} ${part.noun}`
          : `${(part.items.length - part.kept).toLocaleString("en-US")} of ${part.items.length.toLocaleString("en-US")} ${part.noun}`,
    );
  return `✂️ Cut to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character limit: left out ${cut.join(", ")}. The full report is in the JSON artifact.`;
}

/** Cuts parts, in `cutOrder`, until the comment fits in `max` characters. */
export function fitToLength(blocks: readonly Block[], cutOrder: readonly Cuttable[], max: number): string {
  const whole = assemble(blocks, "");
  if (whole.length <= max) return whole;
  const budget = max - NOTE_RESERVE;
  for (const part of cutOrder) {
    part.kept = 0;
    const without = assemble(blocks, "").length;
    if (without <= budget) {
      // A part joins the others with a blank line.
      part.kept = itemsFitting(part, budget - without - 2);
      break;
    }
  }
  const fitted = assemble(blocks, truncationNote(cutOrder));
  if (fitted.length > max) {
    throw new RangeError(`maxChars ${max} is too small: the report's fixed parts alone take ${fitted.length}`);
  }
  return fitted;
}
