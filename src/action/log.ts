/** The job's log, for everything the action prints. */
import * as core from "@actions/core";
import { forWorkflowLog } from "../text/safe-text.js";

/**
 * What the action prints comes from Modelfiles, servers and models too: no line of it may become a workflow
 * command (a line starting `::`), and control characters are shown escaped.
 */
export const log = (text: string) => core.info(forWorkflowLog(text));
