export const id = 957;
export const ids = [957];
export const modules = {

/***/ 2957:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _io_exec_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9867);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(311);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2455);
/** The command line process: real arguments, streams and processes for runCli. */



// A reader that goes away (`ollama-build smoke | head`) must not end the run before it removes its container:
// what is written after that is dropped.
for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error) => {
        if (error.code !== "EPIPE")
            throw error;
    });
}
process.exitCode = await (0,_run_js__WEBPACK_IMPORTED_MODULE_1__/* .runCli */ .a)(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    run: _io_exec_js__WEBPACK_IMPORTED_MODULE_0__/* .runProcess */ .R3,
    version: _version_js__WEBPACK_IMPORTED_MODULE_2__/* .VERSION */ .x,
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 2455:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/text/errors.ts
/** How a failure is told in one line: what was being done, and why, down to the root cause. */
/**
 * The error's message and its causes' (a fetch's "fetch failed" says nothing; its cause, "other side closed" or
 * ECONNREFUSED, says why), outermost first, each once.
 */
function causeChain(error) {
    const parts = [];
    let current = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
        const { message, code } = current;
        const text = typeof message === "string" && message !== "" ? message : String(current);
        const withCode = typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
        if (!parts.includes(withCode))
            parts.push(withCode);
        current =
            current instanceof Error || typeof current === "object" ? current.cause : undefined;
    }
    return parts;
}
/** `message: cause: root cause`. */
const describeError = (error) => causeChain(error).join(": ");

;// CONCATENATED MODULE: ./src/text/safe-text.ts
/**
 * Text from a repository or a server, made safe for where it goes. A control character (a newline, ESC, NUL)
 * in a name would end a Dockerfile line, fake a workflow command (`::error::` starts a line) or rewrite the
 * terminal, so names refuse them and output shows them escaped.
 */
const isControl = (code) => code < 0x20 || (code >= 0x7f && code <= 0x9f);
function hasControlCharacter(text) {
    for (let i = 0; i < text.length; i++)
        if (isControl(text.charCodeAt(i)))
            return true;
    return false;
}
/** Control characters written as escapes (`\n`, `\u001b`), so a line stays one line and shows what it held. */
function neutraliseControlCharacters(text, keep = new Set()) {
    let out = "";
    for (const char of text) {
        const code = char.charCodeAt(0);
        if (!isControl(code) || keep.has(char))
            out += char;
        else if (char === "\n")
            out += "\\n";
        else if (char === "\r")
            out += "\\r";
        else if (char === "\t")
            out += "\\t";
        else
            out += `\\u${code.toString(16).padStart(4, "0")}`;
    }
    return out;
}
const LINE_BREAKS_AND_TABS = new Set(["\n", "\t"]);
/**
 * Text for a log that a workflow runner reads: control characters escaped (a carriage return could hide a
 * line, an ESC rewrite the screen), and a line that would start a workflow command (`::error::`,
 * `::stop-commands::`) broken with a zero-width space after its first colon, so it is shown, never obeyed.
 */
function forWorkflowLog(text) {
    return neutraliseControlCharacters(text, LINE_BREAKS_AND_TABS)
        .split("\n")
        .map((line) => line.replace(/^(\s*):(?=:)/, "$1:\u200b"))
        .join("\n");
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/text/markdown.ts
/** Text inside GitHub-flavoured Markdown tables: one line, no column breaks, code spans that cannot end early. */
/** A table cell: `|` would start a new column and a line break (CommonMark counts a lone `\r` too) would end the row. */
const markdown_cell = (text) => text.replaceAll("|", "\\|").replace(/\r\n?|\n/g, " ");
/** A code span in a table cell: backticks would close it. */
const markdown_code = (text) => `\`${markdown_cell(text).replaceAll("`", "'")}\``;
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@\u2060" };
/**
 * Prose from elsewhere in a table cell or a line: no column or row breaks, no HTML tags (GitHub renders some),
 * no @-mentions (an invisible word joiner after `@` keeps GitHub from notifying anyone), no references (`#12`,
 * `owner/repo#12` and `GH-12` would link, and back-link from, issues anywhere), and no markdown of its own:
 * brackets (links, images), emphasis and code marks are escaped, and `://` and `www.` are broken so no bare
 * address becomes a link.
 */
const markdown_text = (prose) => markdown_cell(prose
    .replace(/[\\[\]*_~`]/g, (c) => `\\${c}`)
    .replaceAll("://", ":\u2060//")
    .replace(/www\./gi, (w) => `${w.slice(0, 3)}\u2060.`)
    .replace(/#(?=\d)/g, "#\u2060")
    .replace(/\bGH-(?=\d)/gi, (gh) => `${gh.slice(0, 2)}\u2060-`)).replace(/[&<>@]/g, (c) => ESCAPES[c]);
/** At most `max` UTF-16 units (never fewer than the characters GitHub counts), `…` marking a cut; never half a surrogate pair. */
function clip(value, max) {
    if (value.length <= max)
        return value;
    let end = max - 1;
    if (/[\uD800-\uDBFF]/.test(value.charAt(end - 1)))
        end -= 1;
    return `${value.slice(0, end)}…`;
}

;// CONCATENATED MODULE: ./src/text/units.ts
/** Units for people: the one way sizes are written in logs, tables and comments. */
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
/** `1.50 GiB`, `12.3 MiB`, `512 B`. */
const units_formatBytes = (n) => n >= GiB ? `${(n / GiB).toFixed(2)} GiB` : n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} B`;

;// CONCATENATED MODULE: ./src/build/format.ts
/** The build report for people: what was built (or why not), the digest, the tags, and the layers. */


function formatBuildText(report) {
    const lines = [];
    if (report.recipe !== undefined && report.digest === undefined && report.skipped === undefined) {
        lines.push(report.recipe.trimEnd(), "");
    }
    if (report.skipped !== undefined)
        lines.push(`skipped: ${report.skipped}`);
    if (report.digest !== undefined)
        lines.push(`digest  ${report.digest}`);
    if (report.output !== undefined && report.skipped === undefined && report.recipe !== undefined) {
        lines.push(`output  ${report.output === "push" ? "pushed to the registry" : "loaded into the local engine"}`);
    }
    lines.push(...report.references.map((reference) => `tag     ${reference}`));
    if (report.layers.length > 0) {
        lines.push("", "LAYER  KIND    MODEL  FILES  BYTES");
        report.layers.forEach((layer, i) => {
            lines.push(`${i + 1}  ${layer.kind}  ${layer.name}  ${layer.files}  ${units_formatBytes(layer.bytes)}`);
        });
    }
    if (report.milliseconds.total > 0) {
        const t = report.milliseconds;
        lines.push("", `time    ${t.total} ms (fetch ${t.fetch}, create ${t.create}, build ${t.build})`);
    }
    return `${lines.join("\n")}\n`;
}
/** "pushed as X" or "loaded into the local engine": what the build was asked to do, named with `show`. */
function deliveredAs(report, show) {
    const digest = report.digest === undefined ? "" : ` as ${show(report.digest)}`;
    if (report.output === "push")
        return `pushed${digest}`;
    if (report.output === "load")
        return "loaded into the local engine";
    // A report from before `output` was recorded says neither.
    return `made${digest}`;
}
function formatBuildMarkdown(report) {
    const lines = ["### ollama-build build", ""];
    if (report.skipped !== undefined)
        lines.push(`⏭️ Nothing built: ${report.skipped}. Tags added: ${report.plan.tags.map((t) => `\`${t}\``).join(", ")}.`);
    else
        lines.push(`✅ \`${report.plan.imageTag}\` built and ${deliveredAs(report, (digest) => `\`${digest}\``)}.`);
    if (report.layers.length > 0) {
        lines.push("", "| Layer | Kind | Model | Files | Size |", "| --- | --- | --- | --- | --- |");
        report.layers.forEach((layer, i) => {
            lines.push(`| ${i + 1} | ${layer.kind} | ${code(layer.name)} | ${layer.files} | ${formatBytes(layer.bytes)} |`);
        });
    }
    if (report.cache !== undefined) {
        const hit = report.cache.restored === undefined
            ? "miss"
            : report.cache.restored === report.cache.key
                ? "hit"
                : `partial (${report.cache.restored})`;
        lines.push("", `Model cache \`${report.cache.key}\`: ${hit}.`);
    }
    return `${lines.join("\n")}\n`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/io/files.ts
/** Writing files so that a crash or a failed check never leaves half a file where a whole one is expected. */



/**
 * Writes next to the target, then renames (atomic within one file system). The temporary name is
 * this writer's own: two writers of one file, in one process or two, never rename each other's.
 */
async function writeFileAtomically(file, data) {
    await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
    const unique = `${process.pid}.${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
    const temporary = external_node_path_default().join(external_node_path_default().dirname(file), `.${external_node_path_default().basename(file)}.${unique}.tmp`);
    try {
        await (0,promises_.writeFile)(temporary, data);
        await (0,promises_.rename)(temporary, file);
    }
    catch (error) {
        await (0,promises_.rm)(temporary, { force: true });
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/lint/format.ts
/**
 * Lint results as text for people, JSON for tools, workflow commands for GitHub annotations, and a Markdown
 * section for a job summary.
 */



function formatLintJson(files) {
    return `${JSON.stringify({ files }, null, 2)}\n`;
}
function formatLintText(files, counts) {
    const lines = [];
    for (const file of files) {
        // One line per diagnostic whatever a name holds: a newline in it must not start a line of its own (in a
        // workflow's log, a line starting `::` is a command).
        for (const d of file.diagnostics)
            lines.push(`${neutraliseControlCharacters(file.path)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${neutraliseControlCharacters(d.message)}`);
    }
    const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
    lines.push(`${plural(counts.error, "error")}, ${plural(counts.warning, "warning")} in ${plural(files.length, "Modelfile")}`);
    return `${lines.join("\n")}\n`;
}
/** Escaping as the runner's workflow-command parser expects (actions/toolkit `command.ts`). */
const escapeData = (s) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (s) => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
/**
 * `projectRoot` is the project root's path relative to the repository root (POSIX, "" when they are the same):
 * GitHub places an annotation by its path in the repository, and diagnostics carry paths in the project.
 */
function formatLintGithub(files, projectRoot) {
    const lines = [];
    for (const file of files) {
        const repositoryPath = external_node_path_default().posix.join(projectRoot, file.path);
        for (const d of file.diagnostics) {
            const properties = `file=${escapeProperty(repositoryPath)},line=${d.line},col=${d.column},title=${escapeProperty(d.code)}`;
            lines.push(`::${d.severity} ${properties}::${escapeData(d.message)}`);
        }
    }
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
function formatLintMarkdown(files, counts) {
    const verdict = counts.error > 0 ? "❌" : "✅";
    const lines = [
        "### ollama-build lint",
        "",
        `${verdict} ${files.length} Modelfiles: ${counts.error} errors, ${counts.warning} warnings.`,
    ];
    const rows = files.flatMap((file) => file.diagnostics.map((d) => `| ${d.severity} | ${code(`${file.path}:${d.line}`)} | ${code(d.code)} | ${cell(d.message)} |`));
    if (rows.length > 0)
        lines.push("", "| Severity | Where | Rule | Message |", "| --- | --- | --- | --- |", ...rows);
    return `${lines.join("\n")}\n`;
}

;// CONCATENATED MODULE: ./src/text/semver.ts
/** Semantic versions as Go's golang.org/x/mod/semver reads them (Ollama's REQUIRES; our release tags). */
const NUMBER = "(?:0|[1-9][0-9]*)";
const PRERELEASE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
const BUILD_ID = "[0-9A-Za-z-]+";
const SEMVER = new RegExp(`^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?)?)?$`);
/** golang.org/x/mod/semver.IsValid: `vMAJOR[.MINOR[.PATCH[-pre][+build]]]`, shorthands allowed. */
function isValidSemver(v) {
    return SEMVER.test(v);
}

;// CONCATENATED MODULE: ./src/modelfile/go-float32-format.ts
/** How Go writes a float32: what Ollama's client sends for a float PARAMETER. */
/**
 * How Go's encoding/json writes a float32 (Ollama's float parameters are float32): the shortest decimal
 * that reads back as the same float32 (`strconv.AppendFloat(b, f, 'f' or 'e', -1, 32)`), in exponent form
 * below 1e-6 and from 1e21 on, with the exponent's leading zero dropped (`1e-07` → `1e-7`). `value` must be
 * a finite float32; encoding/json refuses infinities and NaN (see `jsonUnsupportedValueMessage`).
 */
function formatFloat32Json(value) {
    if (!Number.isFinite(value) || Math.fround(value) !== value)
        throw new RangeError(`not a finite float32: ${value}`);
    const sign = value < 0 || Object.is(value, -0) ? "-" : "";
    const abs = Math.abs(value);
    if (abs === 0)
        return `${sign}0`;
    const { digits, pointAt } = shortestFloat32Digits(abs);
    if (abs < Math.fround(1e-6) || abs >= Math.fround(1e21)) {
        // %e: d.ddde±dd, then encoding/json's "e-09 → e-9".
        const exponent = pointAt - 1;
        const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
        const exponentText = Math.abs(exponent) < 10 && exponent >= 0 ? `0${exponent}` : `${Math.abs(exponent)}`;
        return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${exponentText}`;
    }
    // %f with as many decimals as the digits need.
    if (pointAt <= 0)
        return `${sign}0.${"0".repeat(-pointAt)}${digits}`;
    if (pointAt >= digits.length)
        return `${sign}${digits}${"0".repeat(pointAt - digits.length)}`;
    return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}
/** The text Go's encoding/json fails with for an infinite or NaN float: `json: unsupported value: +Inf`. */
function jsonUnsupportedValueMessage(value) {
    // strconv.FormatFloat(f, 'g', -1, 32) of the value.
    const text = Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
    return `json: unsupported value: ${text}`;
}
/**
 * The shortest decimal digits that round back to the float32 `value` (> 0), and where the decimal point
 * goes (`value ≈ 0.digits × 10^pointAt`). Among shortest candidates, the one closest to `value`; a tie goes
 * to the even one (Go's Ryū). The float32 rounds to nearest, ties to even, so the interval of decimals that
 * read back as `value` includes its ends exactly when its mantissa is even.
 */
function shortestFloat32Digits(value) {
    // value = mantissa × 2^e exactly, mantissa < 2^24.
    let e = Math.max(Math.floor(Math.log2(value)) - 23, -149);
    while (value / 2 ** e >= 2 ** 24)
        e++;
    while (e > -149 && value / 2 ** e < 2 ** 23)
        e--;
    const mantissa = BigInt(value / 2 ** e);
    // The gap to the next float32 below is half as wide at a power of two (except for the smallest exponent).
    const lowerGapHalved = mantissa === 1n << 23n && e > -149;
    const inclusive = (mantissa & 1n) === 0n;
    let decimalExponent = Math.floor(Math.log10(value));
    for (let precision = 1; precision <= 9; precision++) {
        // Candidates k × 10^n and (k + 1) × 10^n around value, with `precision` digits.
        let n = decimalExponent - precision + 1;
        // Everything scaled by 2^a × 10^b so that it is an integer.
        const scaled = (n) => {
            const a = Math.max(0, 2 - e);
            const b = Math.max(0, -n);
            const scale = (x, powerOf2, powerOf10) => x * (1n << BigInt(powerOf2 + a)) * 10n ** BigInt(powerOf10 + b);
            return {
                value: scale(mantissa, e, 0),
                low: scale(mantissa * 4n - (lowerGapHalved ? 1n : 2n), e - 2, 0),
                high: scale(mantissa * 4n + 2n, e - 2, 0),
                unit: scale(1n, 0, n),
            };
        };
        let s = scaled(n);
        let k = s.value / s.unit;
        // Correct a misestimated decimal exponent (log10 of a value near a power of ten).
        if (k >= 10n ** BigInt(precision)) {
            decimalExponent++;
            n++;
            s = scaled(n);
            k = s.value / s.unit;
        }
        else if (k < 10n ** BigInt(precision - 1)) {
            decimalExponent--;
            n--;
            s = scaled(n);
            k = s.value / s.unit;
        }
        const fits = (candidate) => {
            const at = candidate * s.unit;
            return inclusive ? s.low <= at && at <= s.high : s.low < at && at < s.high;
        };
        const below = fits(k) ? k : undefined;
        const above = fits(k + 1n) ? k + 1n : undefined;
        let chosen;
        if (below !== undefined && above !== undefined) {
            const distanceBelow = s.value - below * s.unit;
            const distanceAbove = above * s.unit - s.value;
            chosen =
                distanceBelow < distanceAbove
                    ? below
                    : distanceAbove < distanceBelow
                        ? above
                        : below % 2n === 0n
                            ? below
                            : above;
        }
        else {
            chosen = below ?? above;
        }
        if (chosen === undefined)
            continue;
        const text = chosen.toString();
        const digits = text.replace(/0+$/, "");
        return { digits, pointAt: n + text.length };
    }
    throw new Error(`no float32 shortest form found for ${value}`);
}

;// CONCATENATED MODULE: ./src/modelfile/go-float32-round.ts
/**
 * A float literal's exact value rounded to float32 as Go's `strconv.ParseFloat(s, 32)` rounds it: correctly
 * (half to even), except for the one quirk of Go's slow path, which is reproduced.
 */
/**
 * More significant decimal digits than any float32 rounding decision needs (a float32 halfway point has at
 * most 112): the rest only matter as "something non-zero follows", which a final 1 stands for.
 */
const MAX_DECIMAL_DIGITS = 200;
/** The literal's magnitude correctly rounded to float32 (round half to even), or undefined on overflow. */
function roundToFloat32(literal) {
    const digits = literal.digits.replace(/^0+/, "");
    let exponent = literal.exponent;
    if (digits === "")
        return 0;
    if (literal.hex) {
        const mantissa = BigInt(`0x${digits}`);
        // Magnitude in [2^(bits-1+exponent), 2^(bits+exponent)).
        const bits = mantissa.toString(2).length;
        if (bits + exponent > 129)
            return undefined; // ≥ 2^128
        if (bits + exponent < -150)
            return 0; // < 2^-151: below half the smallest denormal
        return exponent >= 0
            ? roundRational(mantissa << BigInt(exponent), 1n)
            : roundRational(mantissa, 1n << BigInt(-exponent));
    }
    if (literal.integerDigits > GO_DECIMAL_DIGITS && !goFastPathSucceeds(digits, exponent)) {
        // Go's exact (slow) path keeps the first 800 digits, and puts the point after the 800th when more
        // digits than that stand before it: the value loses the factor 10^(integer digits - 800).
        exponent -= literal.integerDigits - GO_DECIMAL_DIGITS;
    }
    return roundDecimal(digits, exponent);
}
/** digits × 10^exponent (digits without leading zeros, not empty) rounded to float32. */
function roundDecimal(significant, exponent) {
    let digits = significant;
    // Magnitude in [10^(length-1+exponent), 10^(length+exponent)).
    if (digits.length + exponent > 40)
        return undefined; // ≥ 10^39 > 2^128
    if (digits.length + exponent < -46)
        return 0; // < 10^-46 < 2^-151
    if (digits.length > MAX_DECIMAL_DIGITS) {
        const sticky = /[1-9]/.test(digits.slice(MAX_DECIMAL_DIGITS)) ? "1" : "0";
        exponent += digits.length - MAX_DECIMAL_DIGITS - 1;
        digits = digits.slice(0, MAX_DECIMAL_DIGITS) + sticky;
    }
    const mantissa = BigInt(digits);
    return exponent >= 0
        ? roundRational(mantissa * 10n ** BigInt(exponent), 1n)
        : roundRational(mantissa, 10n ** BigInt(-exponent));
}
/**
 * Go's ParseFloat is exact but for one quirk: its slow path (strconv's `decimal`, 800 digits) places the
 * point wrongly when more than 800 significant digits stand before it. The slow path runs only when the
 * fast path (Eisel-Lemire on the first 19 digits) cannot decide, so that is what is checked here.
 */
const GO_DECIMAL_DIGITS = 800;
const GO_MANTISSA_DIGITS = 19;
/** Whether Go's fast path decides `digits × 10^exponent` (digits: more than 19, no leading zeros). */
function goFastPathSucceeds(digits, exponent) {
    const mantissa = BigInt(digits.slice(0, GO_MANTISSA_DIGITS));
    const exponent10 = exponent + digits.length - GO_MANTISSA_DIGITS;
    const truncated = /[1-9]/.test(digits.slice(GO_MANTISSA_DIGITS));
    if (!eiselLemire32Decides(mantissa, exponent10))
        return false;
    if (!truncated)
        return true;
    // With digits cut off, the result stands only if mantissa + 1 gives the same float32.
    return (eiselLemire32Decides(mantissa + 1n, exponent10) &&
        roundDecimal(mantissa.toString(), exponent10) === roundDecimal((mantissa + 1n).toString(), exponent10));
}
const MASK64 = (1n << 64n) - 1n;
const LOW38 = (1n << 38n) - 1n;
const powersOfTen = new Map();
/** 10^q as a 128-bit mantissa (top bit set), rounded down, split into its high and low 64 bits. */
function powerOfTen128(q) {
    let cached = powersOfTen.get(q);
    if (cached === undefined) {
        let mantissa;
        if (q >= 0) {
            const power = 10n ** BigInt(q);
            const shift = 128 - bitLength(power);
            mantissa = shift >= 0 ? power << BigInt(shift) : power >> BigInt(-shift);
        }
        else {
            const power = 10n ** BigInt(-q);
            // 2^k / 10^-q with k such that the quotient has 128 bits.
            let k = 127 + bitLength(power);
            if ((1n << BigInt(k)) / power >= 1n << 128n)
                k--;
            mantissa = (1n << BigInt(k)) / power;
        }
        cached = { high: mantissa >> 64n, low: mantissa & MASK64 };
        powersOfTen.set(q, cached);
    }
    return cached;
}
/**
 * Whether the Eisel-Lemire algorithm, as Go's strconv runs it for float32 (`eiselLemire32`), returns a
 * result for mantissa × 10^exponent10 rather than handing over to the slow path. When it does, the result is
 * the correctly rounded one, which `roundDecimal` computes anyway.
 */
function eiselLemire32Decides(mantissa, exponent10) {
    if (mantissa === 0n)
        return true;
    if (exponent10 < -348 || exponent10 > 347)
        return false;
    const leadingZeros = 64 - bitLength(mantissa);
    const man = mantissa << BigInt(leadingZeros);
    let exponent2 = Math.floor((217706 * exponent10) / 65536) + 64 + 127 - leadingZeros;
    const power = powerOfTen128(exponent10);
    const product = man * power.high;
    let high = product >> 64n;
    let low = product & MASK64;
    if ((high & LOW38) === LOW38 && low + man > MASK64) {
        // The 64-bit approximation is not enough: widen it with the power's low half.
        const wider = man * power.low;
        let mergedLow = low + (wider >> 64n);
        let mergedHigh = high;
        if (mergedLow > MASK64) {
            mergedLow &= MASK64;
            mergedHigh++;
        }
        if ((mergedHigh & LOW38) === LOW38 && mergedLow === MASK64 && (wider & MASK64) + man > MASK64)
            return false;
        high = mergedHigh;
        low = mergedLow;
    }
    const topBit = high >> 63n;
    let result = high >> (topBit + 38n);
    exponent2 -= 1 - Number(topBit);
    // Exactly half-way between two float32s: undecided.
    if (low === 0n && (high & LOW38) === 0n && (result & 3n) === 1n)
        return false;
    result = (result + (result & 1n)) >> 1n;
    if (result >> 24n > 0n)
        exponent2++;
    // Denormal, zero or overflow: left to the slow path.
    return exponent2 > 0 && exponent2 < 0xff;
}
const bitLength = (n) => n.toString(2).length;
/** numerator / denominator (both > 0) rounded to float32, half to even; undefined when that is ≥ 2^128. */
function roundRational(numerator, denominator) {
    // floor(log2(numerator / denominator)) is `estimate` or `estimate - 1`.
    const estimate = bitLength(numerator) - bitLength(denominator);
    const atLeast = (power) => power >= 0 ? numerator >= denominator << BigInt(power) : numerator << BigInt(-power) >= denominator;
    const log2 = atLeast(estimate) ? estimate : estimate - 1;
    // The quantum 2^e: 24 significant bits for normal numbers, 2^-149 for denormals.
    const e = Math.max(log2 - 23, -149);
    const scaledNumerator = e >= 0 ? numerator : numerator << BigInt(-e);
    const scaledDenominator = e >= 0 ? denominator << BigInt(e) : denominator;
    let quotient = scaledNumerator / scaledDenominator;
    const twiceRemainder = 2n * (scaledNumerator - quotient * scaledDenominator);
    if (twiceRemainder > scaledDenominator || (twiceRemainder === scaledDenominator && (quotient & 1n) === 1n)) {
        quotient++;
    }
    // quotient × 2^e is exact in a double: quotient ≤ 2^24 and -149 ≤ e ≤ 104.
    const value = Number(quotient) * 2 ** e;
    return value >= 2 ** 128 ? undefined : value;
}

;// CONCATENATED MODULE: ./src/modelfile/unicode-printable.ts
// Generated by scripts/generate-unicode-printable.mjs from @unicode/unicode-15.0.0: do not edit.
// Regenerate with `node scripts/generate-unicode-printable.mjs`.
/** The Unicode version of the table: the one Go 1.21 to 1.26 (and so Ollama's builds) use. */
const PRINTABLE_UNICODE_VERSION = "15.0.0";
/**
 * The code points Go's `strconv.IsPrint` accepts (categories L, M, N, P, S and U+0020; 148998 code points):
 * inclusive ranges, in hex, sorted.
 */
const TABLE = [
    "20-7e a1-ac ae-377 37a-37f 384-38a 38c 38e-3a1 3a3-52f 531-556 559-58a",
    "58d-58f 591-5c7 5d0-5ea 5ef-5f4 606-61b 61d-6dc 6de-70d 710-74a 74d-7b1 7c0-7fa",
    "7fd-82d 830-83e 840-85b 85e 860-86a 870-88e 898-8e1 8e3-983 985-98c 98f-990",
    "993-9a8 9aa-9b0 9b2 9b6-9b9 9bc-9c4 9c7-9c8 9cb-9ce 9d7 9dc-9dd 9df-9e3",
    "9e6-9fe a01-a03 a05-a0a a0f-a10 a13-a28 a2a-a30 a32-a33 a35-a36 a38-a39 a3c",
    "a3e-a42 a47-a48 a4b-a4d a51 a59-a5c a5e a66-a76 a81-a83 a85-a8d a8f-a91",
    "a93-aa8 aaa-ab0 ab2-ab3 ab5-ab9 abc-ac5 ac7-ac9 acb-acd ad0 ae0-ae3 ae6-af1",
    "af9-aff b01-b03 b05-b0c b0f-b10 b13-b28 b2a-b30 b32-b33 b35-b39 b3c-b44 b47-b48",
    "b4b-b4d b55-b57 b5c-b5d b5f-b63 b66-b77 b82-b83 b85-b8a b8e-b90 b92-b95 b99-b9a",
    "b9c b9e-b9f ba3-ba4 ba8-baa bae-bb9 bbe-bc2 bc6-bc8 bca-bcd bd0 bd7",
    "be6-bfa c00-c0c c0e-c10 c12-c28 c2a-c39 c3c-c44 c46-c48 c4a-c4d c55-c56 c58-c5a",
    "c5d c60-c63 c66-c6f c77-c8c c8e-c90 c92-ca8 caa-cb3 cb5-cb9 cbc-cc4 cc6-cc8",
    "cca-ccd cd5-cd6 cdd-cde ce0-ce3 ce6-cef cf1-cf3 d00-d0c d0e-d10 d12-d44 d46-d48",
    "d4a-d4f d54-d63 d66-d7f d81-d83 d85-d96 d9a-db1 db3-dbb dbd dc0-dc6 dca",
    "dcf-dd4 dd6 dd8-ddf de6-def df2-df4 e01-e3a e3f-e5b e81-e82 e84 e86-e8a",
    "e8c-ea3 ea5 ea7-ebd ec0-ec4 ec6 ec8-ece ed0-ed9 edc-edf f00-f47 f49-f6c",
    "f71-f97 f99-fbc fbe-fcc fce-fda 1000-10c5 10c7 10cd 10d0-1248 124a-124d 1250-1256",
    "1258 125a-125d 1260-1288 128a-128d 1290-12b0 12b2-12b5 12b8-12be 12c0 12c2-12c5 12c8-12d6",
    "12d8-1310 1312-1315 1318-135a 135d-137c 1380-1399 13a0-13f5 13f8-13fd 1400-167f 1681-169c 16a0-16f8",
    "1700-1715 171f-1736 1740-1753 1760-176c 176e-1770 1772-1773 1780-17dd 17e0-17e9 17f0-17f9 1800-180d",
    "180f-1819 1820-1878 1880-18aa 18b0-18f5 1900-191e 1920-192b 1930-193b 1940 1944-196d 1970-1974",
    "1980-19ab 19b0-19c9 19d0-19da 19de-1a1b 1a1e-1a5e 1a60-1a7c 1a7f-1a89 1a90-1a99 1aa0-1aad 1ab0-1ace",
    "1b00-1b4c 1b50-1b7e 1b80-1bf3 1bfc-1c37 1c3b-1c49 1c4d-1c88 1c90-1cba 1cbd-1cc7 1cd0-1cfa 1d00-1f15",
    "1f18-1f1d 1f20-1f45 1f48-1f4d 1f50-1f57 1f59 1f5b 1f5d 1f5f-1f7d 1f80-1fb4 1fb6-1fc4",
    "1fc6-1fd3 1fd6-1fdb 1fdd-1fef 1ff2-1ff4 1ff6-1ffe 2010-2027 2030-205e 2070-2071 2074-208e 2090-209c",
    "20a0-20c0 20d0-20f0 2100-218b 2190-2426 2440-244a 2460-2b73 2b76-2b95 2b97-2cf3 2cf9-2d25 2d27",
    "2d2d 2d30-2d67 2d6f-2d70 2d7f-2d96 2da0-2da6 2da8-2dae 2db0-2db6 2db8-2dbe 2dc0-2dc6 2dc8-2dce",
    "2dd0-2dd6 2dd8-2dde 2de0-2e5d 2e80-2e99 2e9b-2ef3 2f00-2fd5 2ff0-2ffb 3001-303f 3041-3096 3099-30ff",
    "3105-312f 3131-318e 3190-31e3 31f0-321e 3220-a48c a490-a4c6 a4d0-a62b a640-a6f7 a700-a7ca a7d0-a7d1",
    "a7d3 a7d5-a7d9 a7f2-a82c a830-a839 a840-a877 a880-a8c5 a8ce-a8d9 a8e0-a953 a95f-a97c a980-a9cd",
    "a9cf-a9d9 a9de-a9fe aa00-aa36 aa40-aa4d aa50-aa59 aa5c-aac2 aadb-aaf6 ab01-ab06 ab09-ab0e ab11-ab16",
    "ab20-ab26 ab28-ab2e ab30-ab6b ab70-abed abf0-abf9 ac00-d7a3 d7b0-d7c6 d7cb-d7fb f900-fa6d fa70-fad9",
    "fb00-fb06 fb13-fb17 fb1d-fb36 fb38-fb3c fb3e fb40-fb41 fb43-fb44 fb46-fbc2 fbd3-fd8f fd92-fdc7",
    "fdcf fdf0-fe19 fe20-fe52 fe54-fe66 fe68-fe6b fe70-fe74 fe76-fefc ff01-ffbe ffc2-ffc7 ffca-ffcf",
    "ffd2-ffd7 ffda-ffdc ffe0-ffe6 ffe8-ffee fffc-fffd 10000-1000b 1000d-10026 10028-1003a 1003c-1003d 1003f-1004d",
    "10050-1005d 10080-100fa 10100-10102 10107-10133 10137-1018e 10190-1019c 101a0 101d0-101fd 10280-1029c 102a0-102d0",
    "102e0-102fb 10300-10323 1032d-1034a 10350-1037a 10380-1039d 1039f-103c3 103c8-103d5 10400-1049d 104a0-104a9 104b0-104d3",
    "104d8-104fb 10500-10527 10530-10563 1056f-1057a 1057c-1058a 1058c-10592 10594-10595 10597-105a1 105a3-105b1 105b3-105b9",
    "105bb-105bc 10600-10736 10740-10755 10760-10767 10780-10785 10787-107b0 107b2-107ba 10800-10805 10808 1080a-10835",
    "10837-10838 1083c 1083f-10855 10857-1089e 108a7-108af 108e0-108f2 108f4-108f5 108fb-1091b 1091f-10939 1093f",
    "10980-109b7 109bc-109cf 109d2-10a03 10a05-10a06 10a0c-10a13 10a15-10a17 10a19-10a35 10a38-10a3a 10a3f-10a48 10a50-10a58",
    "10a60-10a9f 10ac0-10ae6 10aeb-10af6 10b00-10b35 10b39-10b55 10b58-10b72 10b78-10b91 10b99-10b9c 10ba9-10baf 10c00-10c48",
    "10c80-10cb2 10cc0-10cf2 10cfa-10d27 10d30-10d39 10e60-10e7e 10e80-10ea9 10eab-10ead 10eb0-10eb1 10efd-10f27 10f30-10f59",
    "10f70-10f89 10fb0-10fcb 10fe0-10ff6 11000-1104d 11052-11075 1107f-110bc 110be-110c2 110d0-110e8 110f0-110f9 11100-11134",
    "11136-11147 11150-11176 11180-111df 111e1-111f4 11200-11211 11213-11241 11280-11286 11288 1128a-1128d 1128f-1129d",
    "1129f-112a9 112b0-112ea 112f0-112f9 11300-11303 11305-1130c 1130f-11310 11313-11328 1132a-11330 11332-11333 11335-11339",
    "1133b-11344 11347-11348 1134b-1134d 11350 11357 1135d-11363 11366-1136c 11370-11374 11400-1145b 1145d-11461",
    "11480-114c7 114d0-114d9 11580-115b5 115b8-115dd 11600-11644 11650-11659 11660-1166c 11680-116b9 116c0-116c9 11700-1171a",
    "1171d-1172b 11730-11746 11800-1183b 118a0-118f2 118ff-11906 11909 1190c-11913 11915-11916 11918-11935 11937-11938",
    "1193b-11946 11950-11959 119a0-119a7 119aa-119d7 119da-119e4 11a00-11a47 11a50-11aa2 11ab0-11af8 11b00-11b09 11c00-11c08",
    "11c0a-11c36 11c38-11c45 11c50-11c6c 11c70-11c8f 11c92-11ca7 11ca9-11cb6 11d00-11d06 11d08-11d09 11d0b-11d36 11d3a",
    "11d3c-11d3d 11d3f-11d47 11d50-11d59 11d60-11d65 11d67-11d68 11d6a-11d8e 11d90-11d91 11d93-11d98 11da0-11da9 11ee0-11ef8",
    "11f00-11f10 11f12-11f3a 11f3e-11f59 11fb0 11fc0-11ff1 11fff-12399 12400-1246e 12470-12474 12480-12543 12f90-12ff2",
    "13000-1342f 13440-13455 14400-14646 16800-16a38 16a40-16a5e 16a60-16a69 16a6e-16abe 16ac0-16ac9 16ad0-16aed 16af0-16af5",
    "16b00-16b45 16b50-16b59 16b5b-16b61 16b63-16b77 16b7d-16b8f 16e40-16e9a 16f00-16f4a 16f4f-16f87 16f8f-16f9f 16fe0-16fe4",
    "16ff0-16ff1 17000-187f7 18800-18cd5 18d00-18d08 1aff0-1aff3 1aff5-1affb 1affd-1affe 1b000-1b122 1b132 1b150-1b152",
    "1b155 1b164-1b167 1b170-1b2fb 1bc00-1bc6a 1bc70-1bc7c 1bc80-1bc88 1bc90-1bc99 1bc9c-1bc9f 1cf00-1cf2d 1cf30-1cf46",
    "1cf50-1cfc3 1d000-1d0f5 1d100-1d126 1d129-1d172 1d17b-1d1ea 1d200-1d245 1d2c0-1d2d3 1d2e0-1d2f3 1d300-1d356 1d360-1d378",
    "1d400-1d454 1d456-1d49c 1d49e-1d49f 1d4a2 1d4a5-1d4a6 1d4a9-1d4ac 1d4ae-1d4b9 1d4bb 1d4bd-1d4c3 1d4c5-1d505",
    "1d507-1d50a 1d50d-1d514 1d516-1d51c 1d51e-1d539 1d53b-1d53e 1d540-1d544 1d546 1d54a-1d550 1d552-1d6a5 1d6a8-1d7cb",
    "1d7ce-1da8b 1da9b-1da9f 1daa1-1daaf 1df00-1df1e 1df25-1df2a 1e000-1e006 1e008-1e018 1e01b-1e021 1e023-1e024 1e026-1e02a",
    "1e030-1e06d 1e08f 1e100-1e12c 1e130-1e13d 1e140-1e149 1e14e-1e14f 1e290-1e2ae 1e2c0-1e2f9 1e2ff 1e4d0-1e4f9",
    "1e7e0-1e7e6 1e7e8-1e7eb 1e7ed-1e7ee 1e7f0-1e7fe 1e800-1e8c4 1e8c7-1e8d6 1e900-1e94b 1e950-1e959 1e95e-1e95f 1ec71-1ecb4",
    "1ed01-1ed3d 1ee00-1ee03 1ee05-1ee1f 1ee21-1ee22 1ee24 1ee27 1ee29-1ee32 1ee34-1ee37 1ee39 1ee3b",
    "1ee42 1ee47 1ee49 1ee4b 1ee4d-1ee4f 1ee51-1ee52 1ee54 1ee57 1ee59 1ee5b",
    "1ee5d 1ee5f 1ee61-1ee62 1ee64 1ee67-1ee6a 1ee6c-1ee72 1ee74-1ee77 1ee79-1ee7c 1ee7e 1ee80-1ee89",
    "1ee8b-1ee9b 1eea1-1eea3 1eea5-1eea9 1eeab-1eebb 1eef0-1eef1 1f000-1f02b 1f030-1f093 1f0a0-1f0ae 1f0b1-1f0bf 1f0c1-1f0cf",
    "1f0d1-1f0f5 1f100-1f1ad 1f1e6-1f202 1f210-1f23b 1f240-1f248 1f250-1f251 1f260-1f265 1f300-1f6d7 1f6dc-1f6ec 1f6f0-1f6fc",
    "1f700-1f776 1f77b-1f7d9 1f7e0-1f7eb 1f7f0 1f800-1f80b 1f810-1f847 1f850-1f859 1f860-1f887 1f890-1f8ad 1f8b0-1f8b1",
    "1f900-1fa53 1fa60-1fa6d 1fa70-1fa7c 1fa80-1fa88 1fa90-1fabd 1fabf-1fac5 1face-1fadb 1fae0-1fae8 1faf0-1faf8 1fb00-1fb92",
    "1fb94-1fbca 1fbf0-1fbf9 20000-2a6df 2a700-2b739 2b740-2b81d 2b820-2cea1 2ceb0-2ebe0 2f800-2fa1d 30000-3134a 31350-323af",
    "e0100-e01ef",
].join(" ");
/** The same ranges as [first, last, first, last, ...], for a binary search. */
const PRINTABLE_RANGES = Uint32Array.from(TABLE.split(" ").flatMap((item) => {
    const [first, last = first] = item.split("-");
    return [Number.parseInt(first, 16), Number.parseInt(last, 16)];
}));

;// CONCATENATED MODULE: ./src/modelfile/go-strconv.ts
/**
 * The parts of Go's `strconv` that decide what Ollama accepts: `ParseInt(s, 10, 64)`, `ParseFloat(s, 32)` and
 * `ParseBool` for PARAMETER values (each returns undefined where Go returns an error), and `IsPrint`, which
 * decides what the Modelfile parser keeps and what text/template's lexer accepts.
 */


const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
function parseGoInt64(s) {
    if (!/^[+-]?[0-9]+$/.test(s))
        return undefined;
    const value = BigInt(s);
    return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}
const TRUE_VALUES = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_VALUES = new Set(["0", "f", "F", "FALSE", "false", "False"]);
function parseGoBool(s) {
    if (TRUE_VALUES.has(s))
        return true;
    if (FALSE_VALUES.has(s))
        return false;
    return undefined;
}
/**
 * `ParseFloat(s, 32)`: Go float literal syntax (decimal or hex, `_` between digits), inf/infinity/nan. The
 * result is the float32 value (exactly, as a JavaScript number); undefined also where Go reports ErrRange,
 * i.e. where the value rounds beyond the largest float32.
 */
function parseGoFloat32(s) {
    const special = parseSpecial(s);
    if (special !== undefined)
        return special;
    const literal = readFloat(s);
    if (literal === undefined)
        return undefined;
    const magnitude = roundToFloat32(literal);
    if (magnitude === undefined)
        return undefined;
    return literal.negative ? -magnitude : magnitude;
}
function parseSpecial(s) {
    const lower = s.toLowerCase();
    let sign = 1;
    let body = lower;
    if (body.startsWith("+") || body.startsWith("-")) {
        if (body.startsWith("-"))
            sign = -1;
        body = body.slice(1);
        if (body === "inf" || body === "infinity")
            return sign * Number.POSITIVE_INFINITY;
        return undefined;
    }
    if (body === "inf" || body === "infinity")
        return Number.POSITIVE_INFINITY;
    if (body === "nan")
        return Number.NaN;
    return undefined;
}
const isDecimalDigit = (c) => c >= "0" && c <= "9";
const isHexDigit = (c) => isDecimalDigit(c) || (c.toLowerCase() >= "a" && c.toLowerCase() <= "f");
/** Go's `readFloat` followed by the check that it consumed the whole string. */
function readFloat(s) {
    let i = 0;
    let negative = false;
    if (s[i] === "+" || s[i] === "-") {
        negative = s[i] === "-";
        i++;
    }
    const hex = i + 2 < s.length && s[i] === "0" && s[i + 1]?.toLowerCase() === "x";
    if (hex)
        i += 2;
    const isDigit = hex ? isHexDigit : isDecimalDigit;
    let digits = "";
    let fractionDigits = 0;
    let sawDot = false;
    let sawDigits = false;
    for (; i < s.length; i++) {
        const c = s[i];
        if (c === "_")
            continue;
        if (c === ".") {
            if (sawDot)
                break;
            sawDot = true;
            continue;
        }
        if (!isDigit(c))
            break;
        sawDigits = true;
        digits += c;
        if (sawDot)
            fractionDigits++;
    }
    if (!sawDigits)
        return undefined;
    let exponent = 0;
    const exponentChar = hex ? "p" : "e";
    if (i < s.length && s[i]?.toLowerCase() === exponentChar) {
        i++;
        let exponentSign = 1;
        if (s[i] === "+")
            i++;
        else if (s[i] === "-") {
            exponentSign = -1;
            i++;
        }
        if (i >= s.length || !isDecimalDigit(s[i]))
            return undefined;
        for (; i < s.length && (isDecimalDigit(s[i]) || s[i] === "_"); i++) {
            // Go stops accumulating once the exponent reaches 10000 (later digits are read but ignored).
            if (s[i] !== "_" && exponent < 10000)
                exponent = exponent * 10 + Number(s[i]);
        }
        exponent *= exponentSign;
    }
    else if (hex) {
        return undefined; // a hex float must have a p exponent
    }
    if (i !== s.length)
        return undefined;
    if (s.includes("_") && !underscoreOK(s))
        return undefined;
    const integerDigits = digits.slice(0, digits.length - fractionDigits).replace(/^0+/, "").length;
    return {
        negative,
        hex,
        digits,
        exponent: hex ? exponent - 4 * fractionDigits : exponent - fractionDigits,
        integerDigits,
    };
}
/** Underscores may stand only between digits, or between a base prefix and a digit (Go's `underscoreOK`). */
function underscoreOK(input) {
    let s = input;
    if (s.startsWith("+") || s.startsWith("-"))
        s = s.slice(1);
    let saw = "^";
    let i = 0;
    let hex = false;
    if (s.length >= 2 && s[0] === "0" && "box".includes(s[1]?.toLowerCase() ?? "")) {
        i = 2;
        saw = "0";
        hex = s[1]?.toLowerCase() === "x";
    }
    for (; i < s.length; i++) {
        const c = s[i];
        if (isDecimalDigit(c) || (hex && isHexDigit(c))) {
            saw = "0";
            continue;
        }
        if (c === "_") {
            if (saw !== "0")
                return false;
            saw = "_";
            continue;
        }
        if (saw === "_")
            return false;
        saw = "!";
    }
    return saw !== "_";
}
/**
 * Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space, by the Unicode
 * 15.0 tables of the Go that builds Ollama, not by this JavaScript engine's (newer) Unicode version: a
 * character that Unicode assigned after 15.0 is not printable, as for Ollama.
 */
function isPrint(cp) {
    if (cp < 0x7f)
        return cp >= 0x20;
    if (cp < 0xa1)
        return false;
    // Binary search for the last range that starts at or before cp.
    let low = 0;
    let high = PRINTABLE_RANGES.length / 2 - 1;
    while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (PRINTABLE_RANGES[2 * middle] <= cp)
            low = middle;
        else
            high = middle - 1;
    }
    return PRINTABLE_RANGES[2 * low] <= cp && cp <= PRINTABLE_RANGES[2 * low + 1];
}

;// CONCATENATED MODULE: ./src/modelfile/decode.ts
/**
 * Bytes → code points, the way Ollama reads a Modelfile: `bufio.Reader.ReadRune` over golang.org/x/text's
 * `unicode.BOMOverride(unicode.UTF8.NewDecoder())`. Invalid input never fails, but how it is replaced depends
 * on the BOM:
 *
 * - no BOM: x/text's UTF-8 decoder replaces each *maximal subpart* of an ill-formed sequence with one U+FFFD
 *   (Unicode's recommended practice, the one the WHATWG decoder follows too), so `E2 82 79` gives U+FFFD `y`;
 * - UTF-8 BOM (`EF BB BF`): BOMOverride passes the bytes after it through untouched and Go's `ReadRune`
 *   replaces every byte that does not start a valid sequence with one U+FFFD, so `E2 82 79` gives
 *   U+FFFD U+FFFD `y`;
 * - UTF-16LE / UTF-16BE BOM: x/text's UTF-16 decoder. A surrogate followed by a trail surrogate is read as
 *   a pair: a lead + trail pair is one code point, a trail + trail "pair" one U+FFFD. Any other surrogate
 *   is one U+FFFD, and so is a dangling odd byte at the end.
 */
const REPLACEMENT_CHARACTER = 0xfffd;
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });
function decodeModelfile(bytes) {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
        return decodeUtf8PerByte(bytes, 3);
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
        return decodeUtf16(bytes, 2, true);
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
        return decodeUtf16(bytes, 2, false);
    return codePointsOf(utf8Decoder.decode(bytes));
}
function codePointsOf(text) {
    const out = [];
    for (const c of text)
        out.push(c.codePointAt(0));
    return out;
}
/** Go's utf8.DecodeRune rules: shortest form only, no surrogates, at most U+10FFFF; one U+FFFD per bad byte. */
function decodeUtf8PerByte(bytes, start) {
    const out = [];
    let i = start;
    while (i < bytes.length) {
        const b0 = bytes[i];
        if (b0 < 0x80) {
            out.push(b0);
            i += 1;
            continue;
        }
        const decoded = decodeMultiByte(bytes, i, b0);
        if (decoded === undefined) {
            out.push(REPLACEMENT_CHARACTER);
            i += 1;
        }
        else {
            out.push(decoded.codePoint);
            i += decoded.size;
        }
    }
    return out;
}
function decodeMultiByte(bytes, i, b0) {
    let size;
    let lowest;
    let codePoint;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        size = 2;
        lowest = 0x80;
        codePoint = b0 & 0x1f;
    }
    else if (b0 >= 0xe0 && b0 <= 0xef) {
        size = 3;
        lowest = 0x800;
        codePoint = b0 & 0x0f;
    }
    else if (b0 >= 0xf0 && b0 <= 0xf4) {
        size = 4;
        lowest = 0x10000;
        codePoint = b0 & 0x07;
    }
    else {
        return undefined;
    }
    if (i + size > bytes.length)
        return undefined;
    for (let k = 1; k < size; k++) {
        const continuation = bytes[i + k];
        if ((continuation & 0xc0) !== 0x80)
            return undefined;
        codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (codePoint < lowest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
        return undefined;
    return { codePoint, size };
}
const isSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdfff;
const isLeadSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const isTrailSurrogate = (unit) => unit >= 0xdc00 && unit <= 0xdfff;
/** x/text's UTF-16 decoder (IgnoreBOM: the BOM was already consumed). */
function decodeUtf16(bytes, start, littleEndian) {
    const out = [];
    const unitAt = (i) => littleEndian
        ? bytes[i] | (bytes[i + 1] << 8)
        : (bytes[i] << 8) | bytes[i + 1];
    let i = start;
    while (i + 1 < bytes.length) {
        const unit = unitAt(i);
        i += 2;
        if (!isSurrogate(unit)) {
            out.push(unit);
            continue;
        }
        if (i + 1 < bytes.length && isTrailSurrogate(unitAt(i))) {
            const trail = unitAt(i);
            i += 2;
            // utf16.DecodeRune: only lead + trail makes a code point; trail + trail is consumed as one U+FFFD.
            out.push(isLeadSurrogate(unit) ? 0x10000 + ((unit - 0xd800) << 10) + (trail - 0xdc00) : REPLACEMENT_CHARACTER);
            continue;
        }
        out.push(REPLACEMENT_CHARACTER);
    }
    if (i < bytes.length)
        out.push(REPLACEMENT_CHARACTER);
    return out;
}

;// CONCATENATED MODULE: ./src/modelfile/parser-states.ts
/**
 * The states of Ollama's Modelfile parser and its transitions, one code point at a time (`parseRuneForState`
 * in `parser/parser.go`), with the character classes they are decided by.
 */
/**
 * "No code point": nothing to append, or no previous code point. It is also U+0000, and that is safe, as it
 * is in Ollama, whose `parseRuneForState` returns rune 0 for "nothing" too: NUL is not printable, so a NUL
 * that a step passes on is dropped by the `isPrint` check all the same (Ollama's `strconv.IsPrint(0)` is
 * false), and as a previous code point NUL is only ever compared with CR.
 */
const NONE = 0;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const isNewline = (cp) => cp === CR || cp === LF;
const isSpace = (cp) => cp === SPACE || cp === TAB;
const isAlpha = (cp) => (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
const isDigit = (cp) => cp >= 0x30 && cp <= 0x39;
function parseRuneForState(cp, state) {
    switch (state) {
        case "nil":
            if (cp === 0x23 /* # */)
                return { next: "comment", emit: NONE };
            if (isSpace(cp) || isNewline(cp))
                return { next: "nil", emit: NONE };
            return { next: "name", emit: cp };
        case "name":
            if (isAlpha(cp))
                return { next: "name", emit: cp };
            if (isSpace(cp))
                return { next: "value", emit: NONE };
            return { next: "nil", emit: NONE, error: "invalid-command" };
        case "value":
            if (isNewline(cp) || isSpace(cp))
                return { next: "nil", emit: cp };
            return { next: "value", emit: cp };
        case "parameter":
            if (isAlpha(cp) || isDigit(cp) || cp === 0x5f /* _ */)
                return { next: "parameter", emit: cp };
            if (isSpace(cp))
                return { next: "value", emit: NONE };
            return { next: "nil", emit: NONE, error: "unexpected-eof" };
        case "message":
            if (isAlpha(cp))
                return { next: "message", emit: cp };
            if (isSpace(cp))
                return { next: "value", emit: NONE };
            return { next: "nil", emit: NONE, error: "unexpected-eof" };
        case "comment":
            if (isNewline(cp))
                return { next: "nil", emit: NONE };
            return { next: "comment", emit: NONE };
    }
}

;// CONCATENATED MODULE: ./src/modelfile/parser-buffer.ts
/**
 * The Modelfile parser's buffer (Ollama's `bytes.Buffer`), which also answers Ollama's
 * `unquote(strings.TrimSpace(b.String()))` without reading the whole text: Ollama asks at every blank and line
 * break in a value, and reading the buffer each time would make a long value quadratic.
 */

const QUOTE_CODE_POINT = 0x22;
const isWhite = (cp) => isSpace(cp) || isNewline(cp);
/** A string from code points [from, to), in chunks: spreading a long line into one call overflows the stack. */
function textOf(codePoints, from, to) {
    const CHUNK = 8192;
    let text = "";
    for (let i = from; i < to; i += CHUNK)
        text += String.fromCodePoint(...codePoints.slice(i, Math.min(i + CHUNK, to)));
    return text;
}
/**
 * The only white space the buffer can hold is space, tab, CR and LF (other white space is not printable, so
 * the parser drops it), so that is all TrimSpace has to strip.
 */
class ParserBuffer {
    codePoints = [];
    /** Where the trimmed text starts (-1 while it is empty) and ends. */
    first = -1;
    end = 0;
    append(cp) {
        this.codePoints.push(cp);
        if (isWhite(cp))
            return;
        if (this.first < 0)
            this.first = this.codePoints.length - 1;
        this.end = this.codePoints.length;
    }
    reset() {
        this.codePoints = [];
        this.first = -1;
        this.end = 0;
    }
    text() {
        return textOf(this.codePoints, 0, this.codePoints.length);
    }
    /** How many code points `unquote` strips at each end, or undefined while a quote is still open. */
    quotes() {
        if (this.first < 0)
            return 0;
        const length = this.end - this.first;
        const quoteAt = (i) => this.codePoints[i] === QUOTE_CODE_POINT;
        const first = this.first;
        const last = this.end - 1;
        if (length >= 3 && quoteAt(first) && quoteAt(first + 1) && quoteAt(first + 2)) {
            return length >= 6 && quoteAt(last) && quoteAt(last - 1) && quoteAt(last - 2) ? 3 : undefined;
        }
        if (quoteAt(first))
            return length >= 2 && quoteAt(last) ? 1 : undefined;
        return 0;
    }
    /** Whether Ollama's `unquote` of the trimmed text succeeds, i.e. no quote is left open. */
    get complete() {
        return this.quotes() !== undefined;
    }
    /** The trimmed text without its quotes (only when `complete`). */
    unquoted() {
        if (this.first < 0)
            return "";
        const quotes = this.quotes() ?? 0;
        return textOf(this.codePoints, this.first + quotes, this.end - quotes);
    }
}

;// CONCATENATED MODULE: ./src/modelfile/parser.ts
/**
 * A port of Ollama's Modelfile parser (`parser/parser.go`, `ParseFile`): the same state machine, accepting
 * and rejecting exactly the same inputs with the same error texts, plus positions Ollama does not report.
 *
 * Differences that are deliberate: a CRLF pair counts as one line break (Ollama counts both characters, so
 * its line numbers double in CRLF files), and every error carries the line and column of its cause.
 */




/** A MESSAGE command's `"<role>: <content>"` back into its parts (Ollama's `strings.Cut` on ": "). */
function splitMessage(args) {
    const separator = args.indexOf(": ");
    return separator < 0
        ? { role: args, content: "" }
        : { role: args.slice(0, separator), content: args.slice(separator + 2) };
}
class ModelfileParseError extends Error {
    /** The error text Ollama's parser gives for the same input (line numbers as Ollama counts LF files). */
    ollamaMessage;
    kind;
    position;
    context;
    /**
     * The text of the line the error is on: its first LINE_TEXT_LIMIT code points, and `…` after them when the
     * line is longer.
     */
    lineText;
    /** The length of the whole line, in code points. */
    lineLength;
    constructor(ollamaMessage, kind, position, context, lineText, lineLength = [...lineText].length) {
        super(ollamaMessage);
        this.name = "ModelfileParseError";
        this.ollamaMessage = ollamaMessage;
        this.kind = kind;
        this.position = position;
        this.context = context;
        this.lineText = lineText;
        this.lineLength = lineLength;
    }
    /** Whether the error is at the line break (or the end of the file) that ends its line. */
    get atEndOfLine() {
        return this.position.column > this.lineLength;
    }
    /** Ollama's text without its `(line N): ` prefix, for messages that carry their own position. */
    get detail() {
        return this.ollamaMessage.replace(/^\(line \d+\): /, "");
    }
}
/** How much of a line an error keeps (a Modelfile may hold a line of megabytes). */
const LINE_TEXT_LIMIT = 1000;
const INVALID_COMMAND_MESSAGE = 'command must be one of "from", "license", "template", "system", "adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"';
const INVALID_MESSAGE_ROLE_MESSAGE = 'message role must be one of "system", "user", or "assistant"';
const MISSING_FROM_MESSAGE = "no FROM line";
const UNEXPECTED_EOF_MESSAGE = "unexpected EOF";
const VALID_COMMANDS = new Set([
    "from",
    "license",
    "template",
    "system",
    "adapter",
    "draft",
    "renderer",
    "parser",
    "parameter",
    "message",
    "requires",
]);
const MESSAGE_ROLES = ["system", "user", "assistant"];
/** What the parser was reading in each state, for an error there. */
const STATE_CONTEXT = {
    nil: "instruction",
    name: "instruction",
    value: "value",
    parameter: "parameter-name",
    message: "message-role",
    comment: "instruction",
};
function parseModelfile(input) {
    const codePoints = typeof input === "string" ? Array.from(input, (c) => c.codePointAt(0)) : decodeModelfile(input);
    const parse = new ParseFile(codePoints);
    for (const [index, cp] of codePoints.entries())
        parse.read(index, cp);
    return parse.end();
}
/**
 * Ollama's `ParseFile`, kept parallel to it: its local variables are the fields, `read` is its loop's body,
 * `transition` the loop's `if next != curr { switch curr { ... } }`, and `end` what follows the loop.
 */
class ParseFile {
    codePoints;
    commands = [];
    comments = [];
    buffer = new ParserBuffer();
    lines;
    state = "nil";
    role = "";
    name = "";
    kind = "instruction";
    commandStart = { line: 1, column: 1 };
    /** The comment being read, and the index of its first code point after `#`. */
    comment;
    constructor(codePoints) {
        this.codePoints = codePoints;
        this.lines = new LineCounter(codePoints);
    }
    read(index, cp) {
        const here = this.lines.enter(cp);
        const step = parseRuneForState(cp, this.state);
        if (step.error === "unexpected-eof") {
            this.fail(`${UNEXPECTED_EOF_MESSAGE}: ${this.buffer.text()}`, here, STATE_CONTEXT[this.state]);
        }
        if (step.error === "invalid-command")
            this.fail(this.invalidCommandMessage(), here, "instruction");
        const valueGoesOn = step.next !== this.state && this.transition(step.next, cp, here, index);
        if (!valueGoesOn && step.emit !== NONE && isPrint(step.emit))
            this.buffer.append(step.emit);
        this.lines.leave(index, cp);
    }
    /**
     * Ends the current state; `next` may be redirected by what the buffer holds. Returns true, staying in the
     * value, when the value goes on past `cp` (a blank, or a line break inside quotes): `cp` is in the buffer
     * then, verbatim.
     */
    transition(next, cp, here, index) {
        let following = next;
        switch (this.state) {
            case "name":
                following = this.endKeyword(next);
                break;
            case "parameter":
                this.name = this.buffer.text();
                break;
            case "message":
                this.role = this.buffer.text();
                if (!MESSAGE_ROLES.includes(this.role)) {
                    this.fail(`(line ${this.lines.ollamaLine}): ${INVALID_MESSAGE_ROLE_MESSAGE}`, this.commandStart, "message-role");
                }
                break;
            case "comment":
                this.endComment(index);
                break;
            case "nil":
                if (next === "name")
                    this.commandStart = here;
                if (next === "comment")
                    this.comment = { line: here.line, from: index + 1 };
                break;
            case "value":
                if (!this.buffer.complete || isSpace(cp)) {
                    this.buffer.append(cp);
                    return true;
                }
                this.endCommand(here.line);
                break;
        }
        this.buffer.reset();
        this.state = following;
        return false;
    }
    /** The instruction's keyword is read: it names the command, and PARAMETER and MESSAGE read a name next. */
    endKeyword(next) {
        const keyword = this.buffer.text().toLowerCase();
        if (!VALID_COMMANDS.has(keyword))
            this.fail(this.invalidCommandMessage(), this.commandStart, "instruction");
        this.kind = "instruction";
        if (keyword === "from") {
            this.name = "model";
            return next;
        }
        if (keyword === "parameter") {
            this.kind = "parameter";
            return "parameter";
        }
        this.name = keyword;
        return keyword === "message" ? "message" : next;
    }
    endCommand(endLine) {
        const unquoted = this.buffer.unquoted();
        const args = this.role === "" ? unquoted : `${this.role}: ${unquoted}`;
        this.role = "";
        this.commands.push({ name: this.name, args, kind: this.kind, start: this.commandStart, endLine });
    }
    endComment(to) {
        if (this.comment)
            this.comments.push({ line: this.comment.line, text: textOf(this.codePoints, this.comment.from, to) });
        this.comment = undefined;
    }
    /** After the last code point: flush the buffer, and refuse a file without FROM. */
    end() {
        switch (this.state) {
            case "nil":
                break;
            case "comment":
                this.endComment(this.codePoints.length);
                break;
            case "value":
                if (!this.buffer.complete)
                    this.fail(UNEXPECTED_EOF_MESSAGE, this.commandStart, "end-of-file");
                this.endCommand(this.lines.line);
                break;
            default:
                this.fail(UNEXPECTED_EOF_MESSAGE, this.commandStart, "end-of-file");
        }
        if (!this.commands.some((c) => c.name === "model")) {
            this.fail(MISSING_FROM_MESSAGE, { line: 1, column: 1 }, "file", "missing-from");
        }
        return { commands: this.commands, comments: this.comments };
    }
    invalidCommandMessage() {
        return `(line ${this.lines.ollamaLine}): ${INVALID_COMMAND_MESSAGE}`;
    }
    fail(message, at, context, kind = "syntax") {
        const { text, length } = this.lines.textOfLine(at.line);
        throw new ModelfileParseError(message, kind, at, context, text, length);
    }
}
/** Where each code point stands, and the line number Ollama would print for an error at it. */
class LineCounter {
    codePoints;
    line = 1;
    column = 1;
    /** Ollama counts a line break before it handles the character that makes it. */
    ollamaLine = 1;
    previous = NONE;
    /** Code point index where each line starts, to quote the line an error is on. */
    starts = [0];
    constructor(codePoints) {
        this.codePoints = codePoints;
    }
    /** Counts `cp` into Ollama's line number; returns where it stands. */
    enter(cp) {
        if (isNewline(cp) && !this.isSecondHalfOfCrlf(cp))
            this.ollamaLine++;
        return { line: this.line, column: this.column };
    }
    /** Moves past `cp`, the code point at `index`. */
    leave(index, cp) {
        if (isNewline(cp)) {
            if (!this.isSecondHalfOfCrlf(cp))
                this.line++;
            this.starts[this.line - 1] = index + 1;
            this.column = 1;
        }
        else {
            this.column++;
        }
        this.previous = cp;
    }
    isSecondHalfOfCrlf(cp) {
        return cp === LF && this.previous === CR;
    }
    /** A line's first LINE_TEXT_LIMIT code points (and `…` when there are more), and its length. */
    textOfLine(line) {
        const start = this.starts[line - 1] ?? 0;
        let end = start;
        while (end < this.codePoints.length && !isNewline(this.codePoints[end]))
            end++;
        const text = textOf(this.codePoints, start, Math.min(end, start + LINE_TEXT_LIMIT));
        return { text: end - start > LINE_TEXT_LIMIT ? `${text}…` : text, length: end - start };
    }
}

;// CONCATENATED MODULE: ./src/modelfile/create-request.ts
/**
 * What Ollama's client does with parsed commands before it sends `POST /api/create` (`Modelfile.CreateRequest`
 * and `api.FormatParams`): parameters get their types here, so a bad value fails on the client with these
 * texts. Local files (FROM/ADAPTER/DRAFT paths) are the linter's business and are not touched here.
 */




/** Ollama's `api.Options` and `api.Runner` fields by JSON name (ollama fb30760). */
const PARAMETER_TYPES = {
    num_ctx: "int",
    num_batch: "int",
    num_gpu: "int",
    main_gpu: "int",
    use_mmap: "bool",
    num_thread: "int",
    draft_num_predict: "int",
    num_keep: "int",
    seed: "int",
    num_predict: "int",
    top_k: "int",
    top_p: "float",
    min_p: "float",
    typical_p: "float",
    repeat_last_n: "int",
    temperature: "float",
    repeat_penalty: "float",
    presence_penalty: "float",
    frequency_penalty: "float",
    stop: "string-list",
};
/** Ollama prints a warning for these and leaves them out of the request. */
const DEPRECATED_PARAMETERS = [
    "penalize_newline",
    "low_vram",
    "f16_kv",
    "logits_all",
    "vocab_only",
    "use_mlock",
    "mirostat",
    "mirostat_tau",
    "mirostat_eta",
];
/** `JSON.rawJSON` (Node 21+): lets JSON.stringify write a number's exact text. */
const rawJSON = JSON.rawJSON;
const jsonNumber = (text) => (rawJSON ? rawJSON(text) : Number(text));
/** An int parameter: Go's int64, kept exactly; JSON.stringify writes all its digits. */
class GoInt64 {
    value;
    constructor(value) {
        this.value = value;
    }
    toString() {
        return this.value.toString();
    }
    toJSON() {
        return jsonNumber(this.toString());
    }
}
/**
 * A float parameter: Go's float32 (`value` is the float32 exactly). JSON.stringify writes it as Go's
 * encoding/json does, the shortest decimal that reads back as the same float32 (`0.123456789012` →
 * `0.12345679`); like encoding/json, it refuses infinities and NaN.
 */
class GoFloat32 {
    value;
    constructor(value) {
        this.value = value;
    }
    toString() {
        return Number.isFinite(this.value) ? formatFloat32Json(this.value) : String(this.value);
    }
    toJSON() {
        if (!Number.isFinite(this.value))
            throw new TypeError(jsonUnsupportedValueMessage(this.value));
        return jsonNumber(formatFloat32Json(this.value));
    }
}
/**
 * One PARAMETER as Ollama's client ends up treating it. A value that FormatParams accepts but that the
 * client then cannot JSON-encode (`inf`, `nan`: float32 infinities and NaN) is an invalid value too, with
 * encoding/json's text (`json: unsupported value: +Inf`).
 */
function typeParameter(name, value) {
    const typed = formatParameter(name, value);
    const unencodable = typed.status === "ok" ? unencodableParameter(typed.value) : undefined;
    return unencodable === undefined ? typed : { status: "error", reason: "invalid-value", message: unencodable };
}
/**
 * Why encoding/json cannot write a parameter's value (a float32 infinity or NaN), or undefined. Only a
 * parameter's last value is written: `PARAMETER temperature NaN` followed by `PARAMETER temperature 0.5` is fine.
 */
function unencodableParameter(value) {
    return value instanceof GoFloat32 && !Number.isFinite(value.value)
        ? jsonUnsupportedValueMessage(value.value)
        : undefined;
}
/** Ollama's `api.FormatParams` for one value: infinities and NaN still pass here. */
function formatParameter(name, value) {
    if (DEPRECATED_PARAMETERS.includes(name)) {
        return { status: "deprecated", warning: `warning: parameter ${name} is deprecated` };
    }
    const type = Object.hasOwn(PARAMETER_TYPES, name) ? PARAMETER_TYPES[name] : undefined;
    const invalid = (typeName) => ({
        status: "error",
        reason: "invalid-value",
        // Go formats the []string it was given: `[value]`.
        message: `invalid ${typeName} value [${value}]`,
    });
    switch (type) {
        case undefined:
            return { status: "error", reason: "unknown", message: `unknown parameter '${name}'` };
        case "int": {
            const parsed = parseGoInt64(value);
            return parsed === undefined ? invalid("int") : { status: "ok", value: new GoInt64(parsed) };
        }
        case "float": {
            const parsed = parseGoFloat32(value);
            return parsed === undefined ? invalid("float") : { status: "ok", value: new GoFloat32(parsed) };
        }
        case "bool": {
            const parsed = parseGoBool(value);
            return parsed === undefined ? invalid("bool") : { status: "ok", value: parsed };
        }
        case "string-list":
            return { status: "ok", value: [value] };
    }
}
class CreateRequestError extends Error {
    command;
    constructor(message, command) {
        super(message);
        this.name = "CreateRequestError";
        this.command = command;
    }
}
const INVALID_REQUIRES_MESSAGE = "requires must be a valid semver (e.g. 0.14.0)";
/** Ollama's REQUIRES rule: golang.org/x/mod/semver validity, with the leading `v` optional. */
function normaliseRequires(value) {
    const withV = value.startsWith("v") ? value : `v${value}`;
    return isValidSemver(withV) ? withV.slice(1) : undefined;
}
/**
 * Builds the request the way Ollama's client does (`Modelfile.CreateRequest`); throws where Ollama's client
 * fails: at the first command it rejects, or, once the request is built, where encoding it as JSON fails (the
 * first parameter, in key order, whose last value is an infinite or NaN float).
 */
function buildCreateRequest(commands) {
    const request = {};
    const warnings = [];
    const parameters = {};
    const setBy = new Map();
    const append = (key, value) => {
        request[key] = [...(request[key] ?? []), value];
    };
    for (const command of commands) {
        switch (command.name) {
            case "model":
                request.from = command.args;
                break;
            case "adapter":
                request.adapter = command.args;
                break;
            case "draft":
                append("drafts", command.args);
                break;
            case "license":
                append("license", command.args);
                break;
            case "template":
            case "system":
            case "renderer":
            case "parser":
                request[command.name] = command.args;
                break;
            case "requires": {
                const requires = normaliseRequires(command.args);
                if (requires === undefined)
                    throw new CreateRequestError(INVALID_REQUIRES_MESSAGE, command);
                request.requires = requires;
                break;
            }
            case "message":
                request.messages = [...(request.messages ?? []), splitMessage(command.args)];
                break;
            default: {
                const typed = formatParameter(command.name, command.args);
                if (typed.status === "deprecated")
                    warnings.push(typed.warning);
                else if (typed.status === "error")
                    throw new CreateRequestError(typed.message, command);
                else {
                    const previous = parameters[command.name];
                    parameters[command.name] =
                        Array.isArray(previous) && Array.isArray(typed.value) ? [...previous, ...typed.value] : typed.value;
                    setBy.set(command.name, command);
                }
            }
        }
    }
    // encoding/json writes map keys in sorted order and stops at the first value it cannot encode.
    for (const name of Object.keys(parameters).sort()) {
        const unencodable = unencodableParameter(parameters[name]);
        if (unencodable !== undefined)
            throw new CreateRequestError(unencodable, setBy.get(name));
    }
    if (Object.keys(parameters).length > 0)
        request.parameters = parameters;
    return { request, warnings };
}

;// CONCATENATED MODULE: ./src/smoke/metric-registry.ts
/**
 * Every smoke metric, once. An entry says what the metric is (key, unit, which way is better, how much change is
 * noise), where the smoke report keeps it, whether it can have a budget, and how people see it. Everything else is
 * derived from this list: the report's zod schema and TypeScript types (report-schema.ts), the budgets of case
 * files, inputs and `--budget` (case-schema.ts, budgets.ts), the terminal text (format.ts) and the pull-request
 * comment's rows and their comparison with the base (src/report/). What is left to write for a new metric is its
 * measurement: `runMetrics` (metrics.ts) for a per-request metric, the model's run (run.ts) for one value per
 * model.
 *
 * A comparison iterates `METRICS`: `better` decides whether a shift is a regression, `unit` labels it, and
 * `samples` says what the values compared are (per request, one per smoke, or passing runs out of all).
 *
 * The order is the order budget names are listed and budget misses reported in; tables lead with the pass counts
 * (metric-values.ts).
 */
/**
 * When a change against the base counts (gets an arrow): |Δ| > max(relative × |base|, floor).
 *
 * - latency (TTFT, tool call, end to end, first chunk, time per token, prefill, reasoning): 10 %, at least 5 ms.
 *   Medians of a few streamed requests on shared CI runners move by several percent between identical runs; 10 %
 *   is also about the smallest change a person notices in a voice turn. The floor keeps a 1 ms wobble on a 12 ms
 *   TTFT quiet (loopback HTTP and event-loop granularity are a few ms).
 * - decode tok/s: the same 10 %, at least 0.5 tok/s (slow CPU runs decode a handful of tokens a second).
 * - cold start (model load, server ready): 20 %, at least 100 ms: single samples, dominated by disk reads and
 *   the page cache.
 * - memory (MiB): 2 %, at least 32 MiB: Ollama's VRAM figure is deterministic for a model, context and
 *   version; the slack absorbs CUDA allocation granularity and nvidia-smi sampling.
 * - pass rate, flaky cases and prompt tokens: any change (counts from seeded runs and a fixed prompt, not timings).
 */
const NOISE = {
    latency: { relative: 0.1, floor: 5, unit: "ms", appliesTo: "latency" },
    throughput: { relative: 0.1, floor: 0.5, unit: "tok/s", appliesTo: "decode speed" },
    coldStart: { relative: 0.2, floor: 100, unit: "ms", appliesTo: "load and server start" },
    memory: { relative: 0.02, floor: 32, unit: "MiB", appliesTo: "memory" },
    // The floor only absorbs floating-point dust: every real change of a count is larger.
    exact: { relative: 0, floor: 0.001, unit: "", appliesTo: "pass rate, flaky cases and prompt tokens" },
};
const metric_registry_MiB = 1024 * 1024;
const perRequest = { stored: "distribution", samples: "request" };
const latency = { ...perRequest, unit: "ms", better: "lower", noise: "latency" };
const METRICS = [
    // Times are ms from the moment the request was sent over the OpenAI-compatible API (chat.ts); decode speed and
    // prefill are Ollama's own figures from the native API (client.ts). runMetrics (metrics.ts) measures each.
    {
        ...latency,
        key: "ttft_ms",
        label: "TTFT",
        short: "ttft",
        comment: ["p50", "p90"],
        paired: true,
        budget: { defaults: { gpu: 100, cpu: 300 } },
    },
    {
        ...latency,
        key: "t_tool_ms",
        label: "Tool call",
        short: "t_tool",
        comment: ["p50", "p90"],
        paired: true,
        budget: {},
    },
    { ...latency, key: "e2e_ms", label: "End to end", short: "e2e", comment: ["p50", "p90"], paired: true, budget: {} },
    {
        ...perRequest,
        key: "decode_tps",
        label: "Decode",
        paired: true,
        short: "decode",
        unit: "tok/s",
        better: "higher",
        noise: "throughput",
        comment: ["p50"],
        budget: { defaults: { gpu: 40, cpu: 15 }, wording: { name: "decode_tps", limitUnit: "", deltaUnit: "" } },
    },
    { ...latency, key: "ttfc_ms", label: "First chunk", short: "ttfc", comment: ["p50"] },
    { ...latency, key: "tpot_ms", label: "Time per token", short: "tpot", comment: ["p50"] },
    { ...latency, key: "prefill_ms", label: "Prefill", short: "prefill", comment: ["p50"] },
    {
        // The prompt tokens Ollama evaluated: fewer when a cached prefix was reused, more when the prompt grew.
        ...perRequest,
        key: "prompt_tokens",
        label: "Prompt tokens",
        short: "prompt",
        unit: "tokens",
        better: "lower",
        noise: "exact",
        comment: ["p50"],
    },
    { ...latency, key: "reasoning_ms", label: "Reasoning", short: "reasoning", comment: ["p50"] },
    {
        // Cold load time, from `load_duration` of the smoke's first request, when the smoke loaded the model.
        key: "load_ms",
        label: "Load",
        short: "load",
        unit: "ms",
        better: "lower",
        noise: "coldStart",
        stored: "model",
        samples: "smoke",
    },
    {
        // The model's own VRAM (Ollama's figure): the host's reading includes every other model still loaded.
        key: "vram_mib",
        label: "VRAM",
        short: "vram",
        unit: "MiB",
        better: "lower",
        noise: "memory",
        stored: "derived",
        samples: "smoke",
        read: ({ results }) => {
            const vram = results?.memory?.size_vram_bytes;
            return vram === undefined ? undefined : vram / metric_registry_MiB;
        },
        // VRAM that is less than the model's size means the rest runs on the CPU.
        detail: ({ results }) => {
            const memory = results?.memory;
            const [size, vram] = [memory?.size_bytes, memory?.size_vram_bytes];
            if (size === undefined || vram === undefined || vram >= size)
                return undefined;
            return `(${Math.round((1 - vram / size) * 100)} % on the CPU)`;
        },
        budget: { wording: { name: "vram", limitUnit: "MiB", deltaUnit: "MiB" } },
    },
    {
        // Host GPU memory in use (nvidia-smi), the highest sample during the model's runs.
        key: "gpu_used_mib",
        label: "GPU memory in use",
        short: "gpu memory",
        unit: "MiB",
        better: "lower",
        noise: "memory",
        stored: "derived",
        samples: "smoke",
        read: ({ results }) => results?.memory?.gpu_used_mib,
    },
    {
        // Percent of the tool-checking runs whose tool calls were right (content checks do not count).
        key: "tool_accuracy_pct",
        label: "Tool calls passed",
        short: "tool calls",
        unit: "%",
        deltaUnit: "pt",
        better: "higher",
        noise: "exact",
        stored: "model",
        samples: "runs-passed",
        budget: { defaults: { gpu: 95, cpu: 95 }, wording: { name: "tool accuracy", limitUnit: "%", deltaUnit: "points" } },
    },
    {
        key: "flaky_cases",
        label: "Flaky cases",
        short: "flaky",
        unit: "",
        better: "lower",
        noise: "exact",
        stored: "derived",
        samples: "runs-passed",
        read: ({ cases }) => cases.filter((c) => c.flaky).length,
    },
    {
        // From `docker run` until the server answered, when the smoke booted the image.
        key: "server_ready_ms",
        label: "Server ready",
        short: "server ready",
        unit: "ms",
        better: "lower",
        noise: "coldStart",
        stored: "environment",
        samples: "smoke",
    },
];
function metricsStoredAs(where) {
    return METRICS.filter((metric) => metric.stored === where);
}
const REQUEST_METRICS = metricsStoredAs("distribution");
const BUDGETED_METRICS = METRICS.filter((metric) => "budget" in metric);
const QUANTILE_BUDGET_METRICS = BUDGETED_METRICS.filter((metric) => metric.stored === "distribution");
const SINGLE_BUDGET_METRICS = BUDGETED_METRICS.filter((metric) => metric.stored !== "distribution");

;// CONCATENATED MODULE: ./src/smoke/metric-values.ts
/**
 * Reading a registry metric's figure out of a smoke report, the one way the terminal text and the pull-request
 * comment both do it, in the order both list them.
 */

function modelViews(report) {
    const views = new Map();
    const viewOf = (model) => {
        let view = views.get(model);
        if (view === undefined) {
            view = { cases: [] };
            views.set(model, view);
        }
        return view;
    };
    for (const [model, results] of Object.entries(report.models))
        viewOf(model).results = results;
    for (const c of report.cases)
        viewOf(c.model).cases.push(c);
    return views;
}
const isServerMetric = (metric) => metric.stored === "environment";
/**
 * A model's metrics in the order tables list them: the pass counts first (did it answer right), then the
 * registry's order (how fast, how big).
 */
const MODEL_METRICS = [
    ...METRICS.filter((metric) => !isServerMetric(metric) && metric.samples === "runs-passed"),
    ...METRICS.filter((metric) => !isServerMetric(metric) && metric.samples !== "runs-passed"),
];
/** The server's own metrics (its start), read from the environment. */
const SERVER_METRICS = METRICS.filter(isServerMetric);
const isRequestMetric = (metric) => metric.stored === "distribution";
function distributionOf(metric, view) {
    return view.results?.metrics[metric.key];
}
/**
 * A model metric's value; for a distribution, the quantile `stat` (the median by default). A derived metric reads
 * the view as the registry's `ModelFacts`: a field renamed in the report's schema fails to compile here.
 */
function modelValue(metric, view, stat = "p50") {
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
const modelDetail = (metric, view) => "detail" in metric ? metric.detail(view) : undefined;
const serverValue = (metric, environment) => environment[metric.key];

;// CONCATENATED MODULE: ./src/report/inline.ts
/**
 * The comment's inline text: report strings as clipped code spans, numbers, durations, and the caps on what one
 * report string may add (so the parts that are never cut stay small whatever the input).
 */

const MAX_NAME = 120;
const MAX_REASON = 300;
const MAX_REASONS_PER_CASE = 5;
const MAX_VERDICT_FAILURES = 20;
const MAX_CHART_MODELS = 20;
const MAX_LOG_LINES = 40;
/** A name from a report (model, case, file, image), as a code span: it can break neither a table nor the HTML. */
const inline_name = (value) => markdown_code(clip(value, MAX_NAME));
const shortSha = (sha) => markdown_code(sha.slice(0, 7));
const plural = (count, noun) => `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
/** `1,802 ms`, `96.3 ms`: a decimal only below 100. */
const formatNumber = (value) => value.toLocaleString("en-US", { maximumFractionDigits: Math.abs(value) < 100 ? 1 : 0 });
const withUnit = (value, unit) => unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
function formatDuration(ms) {
    if (ms < 1_000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1_000).toFixed(1)} s`;
    const seconds = Math.round(ms / 1_000);
    return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

;// CONCATENATED MODULE: ./src/report/chart.ts


/** Mermaid's quoted labels end at `"`; keep label characters plain. */
const chartLabel = (value) => clip(value.replace(/[^\w .:/+-]/g, "_"), 40);
const ttftPair = (results) => {
    const ttft = results?.metrics.ttft_ms;
    return ttft === undefined ? undefined : [Math.round(ttft.p50), Math.round(ttft.p90)];
};
/** Bars for this commit's TTFT p50 and p90 per model, a line for the base's (when every charted model has one). */
function ttftChart(head, baseline) {
    const measured = Object.entries(head.models).filter(([, results]) => results.metrics.ttft_ms !== undefined);
    if (measured.length === 0)
        return undefined;
    const charted = measured.slice(0, MAX_CHART_MODELS);
    const headValues = charted.flatMap(([, results]) => ttftPair(results) ?? []);
    // A model named `constructor` must not find Object.prototype's.
    const basePairs = charted.map(([model]) => ttftPair(baseline !== undefined && Object.hasOwn(baseline.models, model) ? baseline.models[model] : undefined));
    const baseValues = basePairs.every((p) => p !== undefined) ? basePairs.flat() : undefined;
    const top = Math.ceil(Math.max(...headValues, ...(baseValues ?? [])) * 1.1) || 1;
    const scope = charted.length < measured.length ? `, first ${charted.length} of ${measured.length} models` : "";
    const legend = baseValues !== undefined
        ? "bars: head, line: base"
        : baseline !== undefined
            ? "bars: head (no base line: some models have no baseline)"
            : "bars: head";
    return [
        "```mermaid",
        "xychart-beta",
        `  title "TTFT p50 and p90 (ms); ${legend}${scope}"`,
        `  x-axis [${charted.flatMap(([model]) => [`"${chartLabel(model)} p50"`, `"${chartLabel(model)} p90"`]).join(", ")}]`,
        `  y-axis "TTFT (ms)" 0 --> ${top}`,
        `  bar [${headValues.join(", ")}]`,
        ...(baseValues === undefined ? [] : [`  line [${baseValues.join(", ")}]`]),
        "```",
    ].join("\n");
}

;// CONCATENATED MODULE: ./src/report/comparison.ts
/**
 * Head against base, one figure at a time: the difference, and whether it is past run-to-run noise (then it gets
 * an arrow and a verdict, better or worse by the metric's direction). The figures and the noise rules come from
 * the metric registry.
 */



const beyondNoise = (change, base, rule) => Math.abs(change) > Math.max(rule.relative * Math.abs(base), rule.floor);
const describeRule = (rule) => rule.relative === 0
    ? `${rule.appliesTo}: any change`
    : `${rule.appliesTo}: |Δ| > max(${rule.relative * 100} % of base, ${rule.floor} ${rule.unit})`;
/** A row per quantile the comment shows of a distribution, one row for any other metric. */
const MODEL_FIGURES = MODEL_METRICS.flatMap((metric) => isRequestMetric(metric)
    ? metric.comment.map((stat) => ({
        label: `${metric.label} ${stat}`,
        metric,
        read: (view) => modelValue(metric, view, stat),
    }))
    : [
        {
            label: metric.label,
            metric,
            read: (view) => modelValue(metric, view),
            detail: (view) => modelDetail(metric, view),
        },
    ]);
const SERVER_FIGURES = SERVER_METRICS.map((metric) => ({
    label: metric.label,
    metric,
    read: (environment) => serverValue(metric, environment),
}));
/** Undefined when neither side has the figure. */
function compare(figure, head, base) {
    const headValue = figure.read(head);
    const baseValue = base === undefined ? undefined : figure.read(base);
    if (headValue === undefined && baseValue === undefined)
        return undefined;
    const comparison = { metric: figure.label, unit: figure.metric.unit };
    if (headValue !== undefined)
        comparison.head = headValue;
    if (baseValue !== undefined)
        comparison.base = baseValue;
    if (headValue !== undefined && baseValue !== undefined) {
        comparison.delta = headValue - baseValue;
        if (beyondNoise(comparison.delta, baseValue, NOISE[figure.metric.noise])) {
            comparison.change = comparison.delta > 0 === (figure.metric.better === "lower") ? "worse" : "better";
        }
    }
    return comparison;
}
/** Every figure either side has, compared. */
const comparisons = (figures, head, base) => figures.flatMap((figure) => compare(figure, head, base) ?? []);

;// CONCATENATED MODULE: ./src/report/environment.ts



const environment_MiB = 1024 * 1024;
const ENVIRONMENT_ROWS = [
    [
        "GPU",
        (e) => (e.gpu ? (e.gpu_names?.length ? markdown_text(clip(e.gpu_names.join(", "), MAX_NAME)) : "yes") : "none (CPU only)"),
    ],
    ["Ollama", (e) => (e.ollama_version === undefined ? undefined : inline_name(e.ollama_version))],
    ["Image", (e) => (e.image === undefined ? undefined : inline_name(e.image))],
    ["Image digest", (e) => (e.image_digest === undefined ? undefined : inline_name(e.image_digest))],
    [
        "Runner",
        ({ runner }) => markdown_text(clip(`${runner.os}, ${runner.arch}, ${runner.cpus} CPUs, ${units_formatBytes(runner.memory_mib * environment_MiB)} memory`, MAX_NAME)),
    ],
    ["Node", (e) => inline_name(e.runner.node)],
    ["Endpoint", (e) => inline_name(e.endpoint)],
    ["Started", (e) => inline_name(e.started_at)],
];
function environmentBlock(head, base) {
    const rows = ENVIRONMENT_ROWS.map(([label, read]) => {
        const values = [head, ...(base === undefined ? [] : [base])].map((e) => read(e) ?? "–");
        return `| ${label} | ${values.join(" | ")} |`;
    });
    const header = base === undefined ? ["| | Head |", "| --- | --- |"] : ["| | Head | Base |", "| --- | --- | --- |"];
    return ["<details><summary>Environment</summary>", "", ...header, ...rows, "", "</details>"].join("\n");
}
/** The last lines of some output, verbatim in a code block. */
function fenced(lines) {
    // One output line stays one line: a line break inside would count against the line cap unseen.
    const shown = lines.slice(-MAX_LOG_LINES).map((line) => clip(line.replace(/\r\n?|\n/g, " "), MAX_REASON));
    // A fence longer than any backtick run inside cannot be closed by the output.
    const longestRun = Math.max(0, ...shown.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longestRun + 1));
    return [`${fence}text`, ...shown, fence].join("\n");
}
function logBlock(logs) {
    const count = Math.min(logs.length, MAX_LOG_LINES);
    return [`<details><summary>Container log (last ${count} lines)</summary>`, "", fenced(logs), "", "</details>"].join("\n");
}

;// CONCATENATED MODULE: ./src/report/fit.ts
/**
 * Keeping the comment under GitHub's limit. The comment is a list of blocks; some are cuttable parts whose items
 * are dropped from the end, part by part in a given order, until the whole fits. A note in the note slot says
 * what was left out; the JSON report (the smoke stage's artifact) always has everything.
 */
/** GitHub's limit on a comment body. */
const GITHUB_COMMENT_LIMIT = 65_536;
/** Room kept for the note saying what was cut. */
const NOTE_RESERVE = 1_000;
/** Where the note saying what was cut goes. */
const NOTE_SLOT = Symbol("truncation note");
const cuttable = (noun, lead, items, separator) => ({
    noun,
    lead,
    items,
    separator,
    kept: items.length,
});
const moreNote = (part, kept) => `\n\n_…${(part.items.length - kept).toLocaleString("en-US")} more ${part.noun} cut to fit; see the JSON report._`;
function renderCuttable(part) {
    if (part.kept === 0)
        return "";
    const shown = part.lead + part.items.slice(0, part.kept).join(part.separator);
    return part.kept < part.items.length ? shown + moreNote(part, part.kept) : shown;
}
function assemble(blocks, note) {
    const rendered = blocks.map((b) => (b === NOTE_SLOT ? note : typeof b === "string" ? b : renderCuttable(b)));
    return `${rendered.filter((b) => b !== "").join("\n\n")}\n`;
}
/** The most items that fit in `room` characters, the cut note included. */
function itemsFitting(part, room) {
    let length = part.lead.length;
    for (let kept = 1; kept <= part.items.length; kept++) {
        length += (kept > 1 ? part.separator.length : 0) + part.items[kept - 1].length;
        const note = kept < part.items.length ? moreNote(part, kept).length : 0;
        if (length + note > room)
            return kept - 1;
    }
    return part.items.length;
}
function truncationNote(cutOrder) {
    const cut = cutOrder
        .filter((part) => part.kept < part.items.length)
        .map((part) => part.items.length === 1
        ? `the ${part.noun}`
        : part.kept === 0
            ? `all ${part.items.length.toLocaleString("en-US")} ${part.noun}`
            : `${(part.items.length - part.kept).toLocaleString("en-US")} of ${part.items.length.toLocaleString("en-US")} ${part.noun}`);
    return `✂️ Cut to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character limit: left out ${cut.join(", ")}. The full report is in the JSON artifact.`;
}
/** Cuts parts, in `cutOrder`, until the comment fits in `max` characters. */
function fitToLength(blocks, cutOrder, max) {
    const whole = assemble(blocks, "");
    if (whole.length <= max)
        return whole;
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

;// CONCATENATED MODULE: ./src/report/image.ts
/** What the build did, in the comment: a clause for the verdict, and the image section (time, layers, push). */




/** Whether the build made an image: not skipped, and not a dry run (only a real build fetches). */
const madeImage = (build) => build !== undefined && build.skipped === undefined && build.fetched !== undefined;
/** `image built and pushed`, `build skipped (why)`, `dry run: nothing built`: the verdict names no digest. */
function buildSummary(build) {
    if (build.skipped !== undefined)
        return `build skipped (${markdown_text(clip(build.skipped, MAX_REASON))})`;
    if (!madeImage(build))
        return "dry run: nothing built";
    return `image built and ${deliveredAs({ ...build, digest: undefined }, inline_name)}`;
}
function layerLine(build) {
    const bytes = (kind) => build.layers.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.bytes, 0);
    return `${build.layers.length} layers: ${units_formatBytes(bytes("base"))} of base models, ${units_formatBytes(bytes("custom"))} of custom models.`;
}
function imageBlock(plan, build) {
    const changed = plan.models.filter((m) => m.changed).length;
    const against = plan.base === undefined ? "no base, so all count as changed" : `against ${shortSha(plan.base)}`;
    const lines = [`${inline_name(plan.imageTag)}: ${changed} of ${plan.models.length} models changed (${against}).`];
    if (madeImage(build)) {
        const t = build.milliseconds;
        lines.push(`Built in ${formatDuration(t.total)} (fetch ${formatDuration(t.fetch)}, create ${formatDuration(t.create)}, build ${formatDuration(t.build)}) and ${deliveredAs(build, inline_name)}.`);
    }
    else if (build !== undefined) {
        lines.push(`${buildSummary(build).replace(/^./, (first) => first.toUpperCase())}.`);
    }
    if (build !== undefined && build.layers.length > 0)
        lines.push(layerLine(build));
    const transfer = build?.pushedAgainstBase;
    if (transfer !== undefined) {
        lines.push(`Pushed ${units_formatBytes(transfer.bytes)} where the base commit's image ${inline_name(transfer.image)} was (${plural(transfer.blobs, "new blob")}; the registry had the rest).`);
    }
    // A trailing backslash is a hard line break, in comments and job summaries alike.
    return ["#### Image", "", lines.join("\\\n")].join("\n");
}

;// CONCATENATED MODULE: ./src/smoke/budgets.ts
/**
 * Budgets: the seed review's targets are the defaults (GPU: TTFT under 100 ms and over 40 tok/s; CPU: under
 * 300 ms and over 15 tok/s; tool calls right more than 95 % of the time; the metric registry holds them). Case
 * files and inputs override them per model; a case may carry its own. A number bounds the median; `{p50, p90}`
 * bounds either. A budget bounds from above when lower is better, from below when higher is.
 */

const defaultsOn = (where) => Object.fromEntries(BUDGETED_METRICS.flatMap((metric) => {
    const defaults = "defaults" in metric.budget ? metric.budget.defaults : undefined;
    return defaults === undefined ? [] : [[metric.key, defaults[where]]];
}));
const DEFAULT_BUDGETS = { gpu: defaultsOn("gpu"), cpu: defaultsOn("cpu") };
/** Later sources win, metric by metric. */
function mergeBudgets(...sources) {
    return Object.assign({}, ...sources.filter((s) => s !== undefined));
}
function bounds(budget) {
    if (typeof budget === "number")
        return [["p50", budget]];
    return ["p50", "p90"].flatMap((q) => (budget[q] === undefined ? [] : [[q, budget[q]]]));
}
const budgets_formatNumber = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const budgets_withUnit = (value, unit) => `${budgets_formatNumber(value)}${unit === "" ? "" : ` ${unit}`}`;
/** `ttft_ms p50 412 ms > budget 300 ms (+112 ms)`, `decode_tps p50 35.5 tok/s < budget 40 (−4.5)`. */
function describeMiss(metric, quantile, value, limit) {
    const wording = "wording" in metric.budget ? metric.budget.wording : undefined;
    const { name, limitUnit, deltaUnit } = wording ?? {
        name: metric.key,
        limitUnit: metric.unit,
        deltaUnit: metric.unit,
    };
    const subject = `${name}${quantile === undefined ? "" : ` ${quantile}`} ${budgets_withUnit(value, metric.unit)}`;
    return metric.better === "lower"
        ? `${subject} > budget ${budgets_withUnit(limit, limitUnit)} (+${budgets_withUnit(value - limit, deltaUnit)})`
        : `${subject} < budget ${budgets_withUnit(limit, limitUnit)} (−${budgets_withUnit(limit - value, deltaUnit)})`;
}
/** Whether a value misses its budget: above it where lower is better, below it where higher is. */
const missesBudget = (better, value, limit) => better === "lower" ? value > limit : value < limit;
const missed = (metric, value, limit) => missesBudget(metric.better, value, limit);
/** The measured value for each bound of a budget; undefined when nothing was measured. */
function measuredBounds(metric, budget, subject) {
    if (isQuantileBudget(metric)) {
        const measured = subject.metrics[metric.key];
        return measured && bounds(budget).map(([quantile, limit]) => [quantile, measured[quantile], limit]);
    }
    const measured = subject[metric.key];
    return measured === undefined ? undefined : [[undefined, measured, budget]];
}
const isQuantileBudget = (metric) => metric.stored === "distribution";
/**
 * Each missed budget as a sentence saying which and by how much. A budget in `strict` (one a case file or an
 * input asked for) also fails when nothing was measured for it; the others judge only what was measured.
 */
function missedBudgets(budgets, subject, strict = []) {
    return BUDGETED_METRICS.flatMap((metric) => {
        const budget = budgets[metric.key];
        if (budget === undefined)
            return [];
        const measured = measuredBounds(metric, budget, subject);
        if (measured === undefined) {
            return strict.includes(metric.key) ? [`${metric.key}: no run measured it, so its budget cannot be met`] : [];
        }
        return measured.flatMap(([quantile, value, limit]) => missed(metric, value, limit) ? [describeMiss(metric, quantile, value, limit)] : []);
    });
}
const BUDGET_NAMES = BUDGETED_METRICS.map((metric) => metric.key);
const SINGLE_VALUED = SINGLE_BUDGET_METRICS.map((metric) => metric.key);
const ASSIGNMENT = new RegExp(`^(?:([^\\s:=]+):)?(${BUDGET_NAMES.join("|")})(?:\\.(p50|p90))?\\s*=\\s*(\\d+(?:\\.\\d+)?)$`);
/**
 * Budgets given as inputs or flags, one per line: `ttft_ms=300`, `ttft_ms.p90=800`, `decode_tps=15`, and
 * `theo-voice-agent:ttft_ms=250` for one model. `label` names the source in errors (none: no prefix).
 */
function parseBudgetAssignments(lines, label = "") {
    const prefix = label === "" ? "" : `${label}: `;
    const overrides = { all: {}, models: {} };
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
        const match = ASSIGNMENT.exec(line);
        if (match === null) {
            throw new Error(`${prefix}${JSON.stringify(line)} is not a budget ([MODEL:]NAME=NUMBER or NAME.p90=NUMBER; names: ${BUDGET_NAMES.join(", ")})`);
        }
        const [, model, name, quantile, value] = match;
        if (model !== undefined)
            overrides.models[model] ??= {};
        const target = (model === undefined ? overrides.all : overrides.models[model]);
        if (quantile === undefined) {
            const existing = target[name];
            // `ttft_ms.p90=800` then `ttft_ms=300`: the median joins the p90 bound rather than replacing it.
            target[name] = typeof existing === "object" ? { ...existing, p50: Number(value) } : Number(value);
        }
        else if (SINGLE_VALUED.includes(name)) {
            throw new Error(`${prefix}${name} takes a single number, not a percentile`);
        }
        else {
            const existing = target[name];
            target[name] = {
                ...(typeof existing === "number" ? { p50: existing } : existing),
                [quantile]: Number(value),
            };
        }
    }
    return overrides;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 13 modules
var schemas = __webpack_require__(5491);
;// CONCATENATED MODULE: ./src/smoke/load-report.ts
/**
 * The load report: what a smoke shaped like production measured (load.ts runs it). Its schema is the one
 * definition of the format, the smoke report's optional `load` field (report-schema.ts), so fields are only ever
 * added. The metrics under load are a fixed list here: the registry's per-request latencies and decode speed
 * (their labels and units come from metric-registry.ts), and two that only exist under load, read from Ollama's
 * native durations: the queue wait and the scheduler's `load_duration`.
 *
 * Budgets under load bound the slow tail: the p95 of a time, the p5 of a rate (95 % of requests decode at least
 * this fast). With fewer than 20 requests the p95 is the slowest request and the p5 the slowest rate: a budget
 * then holds every request to it.
 */


const fromRegistry = (key) => {
    const { label, unit, better } = METRICS.find((metric) => metric.key === key);
    return { key, label, unit, better };
};
const LOAD_METRIC_KEYS = [
    "ttft_ms",
    "t_tool_ms",
    "e2e_ms",
    "decode_tps",
    "queue_wait_ms",
    "load_duration_ms",
];
const LOAD_METRICS = {
    ttft_ms: fromRegistry("ttft_ms"),
    t_tool_ms: fromRegistry("t_tool_ms"),
    e2e_ms: fromRegistry("e2e_ms"),
    decode_tps: fromRegistry("decode_tps"),
    // Server time that was neither loading, prompt evaluation nor decoding: the wait for a parallel slot (and for
    // the runner's next batch), as load-native.ts derives it.
    queue_wait_ms: { key: "queue_wait_ms", label: "Queue wait", unit: "ms", better: "lower" },
    // Ollama's load_duration: the scheduler's wait, near zero unless the model had to be (re)loaded.
    load_duration_ms: { key: "load_duration_ms", label: "Scheduler wait", unit: "ms", better: "lower" },
};
/** The quantile a budget under load bounds: the slow tail. */
const tailOf = (key) => (LOAD_METRICS[key].better === "lower" ? "p95" : "p5");
const metricFields = (field) => Object.fromEntries(LOAD_METRIC_KEYS.map((key) => [key, field()]));
/** Nearest-rank quantiles over the requests under load (metrics.ts's method: every value was measured). */
const LoadDistributionSchema = schemas/* object */.Ikc({ n: schemas/* number */.aig(), p5: schemas/* number */.aig(), p50: schemas/* number */.aig(), p95: schemas/* number */.aig() });
const LoadModelSchema = schemas/* object */.Ikc({
    /** Conversations of this model's scripts, and how many passed every turn. */
    conversations: schemas/* number */.aig(),
    conversations_passed: schemas/* number */.aig(),
    /** Streamed requests sent (each had a native twin for the durations). */
    requests: schemas/* number */.aig(),
    metrics: schemas/* object */.Ikc(metricFields(() => LoadDistributionSchema.optional())),
    /** The budgets under load (`load.budgets` of the case files), and each one missed. */
    budgets: schemas/* object */.Ikc(metricFields(() => schemas/* number */.aig().optional())),
    budget_failures: schemas/* array */.YOg(schemas/* string */.YjP()),
    /** Ollama's figures from the last /api/ps sample that listed the model. */
    size_bytes: schemas/* number */.aig().optional(),
    size_vram_bytes: schemas/* number */.aig().optional(),
});
const EvictionSchema = schemas/* object */.Ikc({
    model: schemas/* string */.YjP(),
    /** When a sample first did not list it, in ms since the load started. */
    at_ms: schemas/* number */.aig(),
    /** Samples that did not list it, of all samples. */
    missing_samples: schemas/* number */.aig(),
    /** What /api/ps listed instead at that moment. */
    loaded_then: schemas/* array */.YOg(schemas/* string */.YjP()),
});
const LoadReportSchema = schemas/* object */.Ikc({
    passed: schemas/* boolean */.zMY(),
    /** Evictions, failed conversations and missed budgets, one line each. */
    failures: schemas/* array */.YOg(schemas/* string */.YjP()),
    concurrency: schemas/* number */.aig(),
    /** Where the concurrency came from: the case files, the image's OLLAMA_NUM_PARALLEL, or the default (2). */
    concurrency_from: schemas/* enum */.k5n(["case files", "image", "default"]),
    conversations: schemas/* number */.aig(),
    conversations_passed: schemas/* number */.aig(),
    duration_ms: schemas/* number */.aig(),
    /** The models that had to stay loaded together, and the /api/ps samples that checked it. */
    resident: schemas/* array */.YOg(schemas/* string */.YjP()),
    samples: schemas/* number */.aig(),
    sample_every_ms: schemas/* number */.aig(),
    /**
     * The most memory the loaded models took together while every resident model was loaded (the sum of /api/ps
     * `size` and `size_vram`); absent when they never were all loaded at once.
     */
    resident_memory: schemas/* object */.Ikc({ size_bytes: schemas/* number */.aig(), size_vram_bytes: schemas/* number */.aig() }).optional(),
    evictions: schemas/* array */.YOg(EvictionSchema),
    models: schemas/* record */.g1P(schemas/* string */.YjP(), LoadModelSchema),
});

;// CONCATENATED MODULE: ./src/report/load.ts
/**
 * The comment's section for the smoke under load: one sentence for the run and residency, then one row per model
 * with the median and the slow tail that budgets judge (p95 of a time, p5 of a rate). Kept short: the failures
 * are in the verdict's list already (`under load: …`), and the JSON report has every figure. Report strings go
 * into code spans (inline.ts); the rows are cuttable, the last part of the comment a model's figures need.
 */





/** The columns: what a voice call feels (first word, first tool call), what the server adds (queue), decoding. */
const COLUMNS = ["ttft_ms", "t_tool_ms", "queue_wait_ms", "decode_tps"];
const MAX_EVICTIONS_SHOWN = 5;
const CONCURRENCY_FROM = {
    "case files": "as the case files say",
    image: "the image's OLLAMA_NUM_PARALLEL",
    default: "the default",
};
function load_cell(figures, key) {
    const measured = figures.metrics[key];
    if (measured === undefined)
        return "–";
    const { unit, better } = LOAD_METRICS[key];
    const tail = measured[tailOf(key)];
    const budget = figures.budgets[key];
    const missed = budget !== undefined && missesBudget(better, tail, budget);
    const shown = `${formatNumber(measured.p50)} / ${formatNumber(tail)}${unit === "ms" ? " ms" : ""}`;
    return missed ? `${shown} ❌` : shown;
}
function residencySentence(load) {
    const memory = load.resident_memory;
    const size = memory === undefined ? "" : `, ${units_formatBytes(memory.size_bytes)} together`;
    if (load.resident.length === 0)
        return `Residency not checked${size}.`;
    const models = load.resident.slice(0, MAX_EVICTIONS_SHOWN).map(inline_name).join(", ");
    if (load.evictions.length === 0) {
        return `✅ ${models} stayed loaded together (${plural(load.samples, "sample")} of /api/ps${size}).`;
    }
    const shown = load.evictions
        .slice(0, MAX_EVICTIONS_SHOWN)
        .map((eviction) => `${inline_name(eviction.model)} at ${formatDuration(eviction.at_ms)}`);
    if (load.evictions.length > MAX_EVICTIONS_SHOWN)
        shown.push(`…and ${load.evictions.length - MAX_EVICTIONS_SHOWN} more`);
    return `❌ Evicted during the load: ${shown.join(", ")}.`;
}
/** The section, empty without a load report. */
function loadSection(head) {
    const load = head?.load;
    if (load === undefined)
        return cuttable("models under load", "", [], "");
    const heads = COLUMNS.map((key) => `${LOAD_METRICS[key].label} p50 / ${tailOf(key)}`);
    const lead = [
        "#### Under load",
        "",
        `${load.passed ? "✅" : "❌"} ${load.conversations_passed}/${load.conversations} conversations passed, ` +
            `${load.concurrency} at a time (${CONCURRENCY_FROM[load.concurrency_from]}), ${formatDuration(load.duration_ms)}. ` +
            residencySentence(load),
        "",
        `| Model | Conversations | ${heads.join(" | ")} |`,
        `| --- | ---: | ${COLUMNS.map(() => "---:").join(" | ")} |`,
        "",
    ].join("\n");
    const rows = Object.entries(load.models).map(([model, figures]) => `| ${inline_name(model)} | ${figures.conversations_passed}/${figures.conversations} | ${COLUMNS.map((key) => load_cell(figures, key)).join(" | ")} |`);
    return cuttable("models under load", lead, rows, "\n");
}

;// CONCATENATED MODULE: ./src/report/paired.ts
/**
 * The paired comparison in the comment: per model, each metric's median on both images with the shift and its
 * 95 % interval and p-value, the resident memory, and the cases whose pass counts moved. An arrow only where the
 * comparison called a change (interval excluding zero and a shift past the minimum effect); a case regression
 * only at p < α, with how many cases were tested, so the chance of a false call stays visible.
 */



const labelOf = (key) => METRICS.find((m) => m.key === key)?.label ?? key;
const signed = (value, unit) => `${value > 0 ? "+" : value < 0 ? "-" : "±"}${withUnit(Math.abs(value), unit)}`;
/** `p < 0.001`, `0.042`, `0.31`. */
const formatP = (p) => (p < 0.001 ? "< 0.001" : p < 0.01 ? p.toFixed(3) : p.toFixed(2));
function intervalCell(m) {
    const interval = m.lower === null || m.upper === null
        ? "[too few runs to bound it]"
        : `[${signed(m.lower, m.unit)}, ${signed(m.upper, m.unit)}]`;
    const arrow = m.verdict === "unchanged" ? "" : ` ${m.shift > 0 ? "▲" : "▼"} ${m.verdict}`;
    return `${signed(m.shift, m.unit)} ${interval}${arrow}`;
}
function metricRow(m) {
    return `| ${labelOf(m.metric)} (median) | ${withUnit(m.base.median, m.unit)} | ${withUnit(m.head.median, m.unit)} | ${intervalCell(m)} | ${formatP(m.p)} |`;
}
const passCount = (arm) => `${arm.passes}/${arm.runs}${arm.all_passed ? " ✓" : ""}`;
function caseRow(c) {
    const call = c.regression ? " ▼ worse" : "";
    return `| ${inline_name(c.id)} | ${passCount(c.base)} | ${passCount(c.head)} | ${formatP(c.p)}${call} |`;
}
function modelSection(model, comparison) {
    const figures = comparison.models[model];
    const lines = [`**${inline_name(model)}**`, ""];
    const rows = figures?.metrics.map(metricRow) ?? [];
    const { base, head } = figures?.memory ?? {};
    if (base !== undefined || head !== undefined) {
        rows.push(`| Resident memory | ${base === undefined ? "–" : units_formatBytes(base)} | ${head === undefined ? "–" : units_formatBytes(head)} | | |`);
    }
    if (rows.length > 0) {
        lines.push("| Metric | Base | Head | Shift [95 % interval] | p |", "| --- | ---: | ---: | --- | ---: |", ...rows, "");
    }
    const cases = comparison.cases.filter((c) => c.model === model);
    const moved = cases.filter((c) => c.regression || c.base.passes * c.head.runs !== c.head.passes * c.base.runs);
    if (moved.length > 0) {
        lines.push("| Case | Base passed | Head passed | p (head worse) |", "| --- | ---: | ---: | ---: |", ...moved.map(caseRow), "");
    }
    const same = cases.length - moved.length;
    if (same > 0)
        lines.push(`${plural(same, "other case")} passed as often on both images.`);
    return lines.join("\n").trimEnd();
}
/** Which test each row's p comes from, as the section's lead says it. */
function testNote(comparison) {
    const metrics = Object.values(comparison.models).flatMap((m) => m.metrics);
    const notes = [];
    if (metrics.some((m) => m.test === "signed-rank")) {
        notes.push("Wilcoxon's signed-rank test on matched pairs, the same request in the same round on both images");
    }
    if (metrics.some((m) => m.test === "rank-sum"))
        notes.push("Mann–Whitney's test on the two samples");
    return notes.join("; where nothing pairs them, ");
}
/** The section's lead: what was compared, how, and how to read the calls. */
function lead(comparison) {
    const how = comparison.mode === "interleaved"
        ? "both servers up, requests alternating A B B A"
        : "one server at a time, in blocks A B B A";
    const expected = formatNumber(comparison.alpha * comparison.cases_tested);
    return [
        `#### Paired with the base commit's image`,
        "",
        `${inline_name(comparison.base_image)} (base) and this commit's image ran the same requests on this runner: ${how} (${comparison.mode_reason}).`,
        `Shifts are head minus base (Hodges–Lehmann, ${Math.round(comparison.confidence * 100)} % interval; p: ${testNote(comparison)}); ▲/▼ only when the interval excludes zero and the shift exceeds ${Math.round(comparison.min_effect * 100)} % of the base. A case is called worse at p < ${comparison.alpha} (one-sided Fisher's exact test): ${plural(comparison.cases_tested, "case")} tested, so about ${expected} false call${expected === "1" ? "" : "s"} by chance. ✓: every run passed (pass^k).`,
    ].join("\n");
}
/** One block per model (each may be cut to fit), after the lead. */
function pairedBlocks(comparison) {
    const models = Object.keys(comparison.models);
    for (const c of comparison.cases)
        if (!models.includes(c.model))
            models.push(c.model);
    return { lead: `${lead(comparison)}\n\n`, models: models.map((model) => modelSection(model, comparison)) };
}
/** The regressions the comparison called, for the verdict line. */
function pairedRegressions(comparison) {
    const metrics = Object.values(comparison.models).flatMap((m) => m.metrics.filter((x) => x.verdict === "worse"));
    return metrics.length + comparison.cases.filter((c) => c.regression).length;
}

;// CONCATENATED MODULE: ./src/report/tables.ts




function deltaCell(figure, { base, delta, change }) {
    if (base === undefined || delta === undefined)
        return "–";
    // A change too small to show at the table's precision is shown as none, never as "-0".
    const shown = formatNumber(Math.abs(delta));
    const sign = /^[0.,]+$/.test(shown) ? "±" : delta > 0 ? "+" : "-";
    const amount = `${sign}${withUnit(Math.abs(delta), figure.metric.deltaUnit ?? figure.metric.unit)}`;
    const percent = base === 0 ? 0 : Math.round((Math.abs(delta) / Math.abs(base)) * 100);
    const relative = NOISE[figure.metric.noise].relative > 0 && percent !== 0 && sign !== "±" ? ` (${sign}${percent} %)` : "";
    return change === undefined ? `${amount}${relative}` : `${amount}${relative} ${delta > 0 ? "▲" : "▼"} ${change}`;
}
/** A table of head values, with base values and deltas when there is a baseline report at all. */
function metricTable(figures, subject, head, base, compared) {
    const lines = figures.flatMap((figure) => {
        const comparison = compare(figure, head, base);
        if (comparison === undefined)
            return [];
        const shown = (value, source) => value === undefined || source === undefined
            ? "–"
            : [withUnit(value, figure.metric.unit), figure.detail?.(source)].filter((part) => part !== undefined).join(" ");
        const headCell = shown(comparison.head, head);
        return compared
            ? [`| ${figure.label} | ${headCell} | ${shown(comparison.base, base)} | ${deltaCell(figure, comparison)} |`]
            : [`| ${figure.label} | ${headCell} |`];
    });
    if (lines.length === 0)
        return undefined;
    const header = compared
        ? [`| ${subject} | Head | Base | Δ |`, "| --- | ---: | ---: | --- |"]
        : [`| ${subject} | Head |`, "| --- | ---: |"];
    return [...header, ...lines].join("\n");
}
/** A model's title line (cases passed, new, thinking left on) and its metric table. */
function modelBlock(model, head, baseline) {
    const base = baseline?.get(model);
    const passed = head.cases.filter((c) => c.passed).length;
    const notes = [`${passed}/${head.cases.length} cases passed`];
    if (baseline !== undefined && base === undefined)
        notes.push("new: not in the baseline");
    const reasoning = head.results?.reasoning_runs ?? 0;
    if (reasoning > 0)
        notes.push(`⚠️ ${plural(reasoning, "run")} reasoned before answering (thinking is on)`);
    const title = `**${inline_name(model)}**: ${notes.join("; ")}`;
    const table = metricTable(MODEL_FIGURES, "Metric", head, base, baseline !== undefined);
    return table === undefined ? title : `${title}\n\n${table}`;
}
/** Failing critical cases, then other failing cases, then flaky ones that passed. */
function casesWorthShowing(cases) {
    const rank = (c) => (c.passed ? 2 : c.critical ? 0 : 1);
    return cases.filter((c) => !c.passed || c.flaky).sort((a, b) => rank(a) - rank(b));
}
const CASE_TABLE_HEAD = "| | Case | Model | File | Runs passed | Why |\n| --- | --- | --- | --- | ---: | --- |\n";
function tables_caseRow(c) {
    const status = [c.passed ? "⚠️" : "❌", c.critical ? "critical" : "", c.flaky ? "flaky" : ""]
        .filter((word) => word !== "")
        .join(" ");
    const reasons = c.failures.slice(0, MAX_REASONS_PER_CASE).map((failure) => markdown_code(clip(failure, MAX_REASON)));
    const unshown = c.failures.length - reasons.length;
    if (unshown > 0)
        reasons.push(`…and ${unshown} more`);
    const why = reasons.length === 0 ? "–" : reasons.join("<br>");
    return `| ${status} | ${inline_name(c.id)} | ${inline_name(c.model)} | ${inline_name(c.file)} | ${c.passes}/${c.runs} | ${why} |`;
}
/**
 * One row per model, with its image layer's size. What a push uploads is not in the build report (the
 * registry skips layers it holds, and only it knows which those were), so the table does not guess: a changed
 * model's layer is new content, an unchanged one is byte-identical to the layer built before.
 */
function planRows(plan, build) {
    const layers = new Map(build?.layers.filter((l) => l.kind === "custom").map((l) => [l.name, l]));
    const sized = layers.size > 0;
    const rows = plan.models.map((m) => {
        const cells = [inline_name(m.name), inline_name(m.file), markdown_code(m.hash.slice(0, 12)), m.changed ? "yes" : "no"];
        if (sized) {
            const layer = layers.get(m.name);
            cells.push(layer === undefined ? "–" : units_formatBytes(layer.bytes));
        }
        return `| ${cells.join(" | ")} |`;
    });
    const header = sized
        ? ["| Model | File | Hash | Changed | Layer |", "| --- | --- | --- | --- | ---: |"]
        : ["| Model | File | Hash | Changed |", "| --- | --- | --- | --- |"];
    return { lead: `${header.join("\n")}\n`, rows };
}

;// CONCATENATED MODULE: ./src/report/verdict.ts




/** Passed: no failure before the smoke, and the smoke (if any) passed. */
const passedOf = (input) => input.failure === undefined && (input.head?.passed ?? true);
const failureLines = (failure) => failure.trimEnd().split(/\r\n?|\n/);
function smokeSummary(input) {
    const { head } = input;
    if (head === undefined)
        return "no smoke run";
    const passed = head.cases.filter((c) => c.passed).length;
    const models = Object.keys(head.models).length;
    const summary = head.passed
        ? `smoke passed: ${passed}/${head.cases.length} cases on ${plural(models, "model")}`
        : `smoke failed: ${plural(head.failures.length, "problem")}, ${passed}/${head.cases.length} cases passed`;
    const regressions = head.paired === undefined ? 0 : pairedRegressions(head.paired);
    return regressions === 0 ? summary : `${summary}; ⚠️ ${plural(regressions, "regression")} against the base image`;
}
function verdictLine(input, plan) {
    const { build, failure } = input;
    const parts = [];
    if (failure !== undefined) {
        const [first = ""] = failureLines(failure);
        parts.push(markdown_text(clip(first.replace(/:$/, ""), MAX_REASON)));
    }
    if (build !== undefined)
        parts.push(buildSummary(build));
    else if (plan !== undefined)
        parts.push(`${plan.models.filter((m) => m.changed).length} of ${plan.models.length} models changed`);
    parts.push(smokeSummary(input));
    return `**${passedOf(input) ? "✅ Passed" : "❌ Failed"}**: ${parts.join("; ")}.`;
}
/** `Linux 6.1, x64, 2 CPUs, 2026-12-06`: where and when a saved report was measured. */
function measuredOn(report) {
    const { runner, started_at: started } = report.environment;
    const day = /^\d{4}-\d{2}-\d{2}/.exec(started)?.[0];
    return `${markdown_text(clip(`${runner.os}, ${runner.arch}, ${runner.cpus} CPUs`, MAX_REASON))}${day === undefined ? "" : ` on ${day}`}`;
}
function baselineLine(input, plan) {
    if (input.head === undefined)
        return undefined;
    if (input.head.paired !== undefined)
        return "Paired with the base commit's image on this runner (below).";
    if (input.baseline !== undefined) {
        const commit = plan?.base === undefined ? "" : ` ${shortSha(plan.base)}`;
        const why = input.notPaired === undefined ? "" : ` (${markdown_text(clip(input.notPaired, MAX_REASON))})`;
        return `Not paired${why}: compared with the smoke report of the base commit${commit}, measured on ${measuredOn(input.baseline)}.`;
    }
    const why = input.baselineNote ?? "no smoke report was given for the base commit";
    return `ℹ️ No baseline to compare with: ${markdown_text(clip(why.replace(/\.$/, ""), MAX_REASON))}.`;
}

;// CONCATENATED MODULE: ./src/report/json.ts
/** The report as data, for `report --format json`: the verdict and every comparison the comment shows. */




function renderReportJson(input) {
    const { head, baseline } = input;
    const baseViews = baseline === undefined ? undefined : modelViews(baseline);
    const baselineState = { compared: head !== undefined && baseline !== undefined };
    if (head !== undefined && baseline === undefined && input.baselineNote !== undefined) {
        baselineState.note = input.baselineNote;
    }
    return {
        marker: input.marker,
        passed: passedOf(input),
        failures: [...(input.failure === undefined ? [] : [input.failure]), ...(head?.failures ?? [])],
        baseline: baselineState,
        server: head === undefined ? [] : comparisons(SERVER_FIGURES, head.environment, baseline?.environment),
        models: head === undefined
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

;// CONCATENATED MODULE: ./src/report/render.ts
/**
 * The pull-request comment: a verdict, the image and its models, the smoke metrics against the base commit's
 * report, the failing cases, a TTFT chart and the environment. Pure: the same input always gives the same text.
 * This file puts the comment together from its parts (verdict.ts, image.ts, tables.ts, chart.ts,
 * environment.ts) and fits it to GitHub's limit (fit.ts).
 *
 * Every string that comes from a report (model names, case ids, failure reasons, paths) is clipped and goes
 * into a code span or through `text()`, so it can neither break a table nor inject HTML or @-mentions.
 *
 * GitHub refuses a comment over 65,536 characters. When the comment would be longer, whole parts are cut from
 * the end, in this order: failing cases, per-model smoke tables, the models table, the container log, the
 * chart, the environment, the verdict's failure list. A note says what was left out; the JSON report (the
 * smoke stage's artifact) always has everything.
 */














/** The default leaves room for a caller's extra line. */
const DEFAULT_MAX_CHARS = 65_000;
const MARKER_NAME = "ollama-build";
/** `ollama-build`, or `ollama-build:<id>` so several workflows can each keep their own comment on a PR. */
function commentMarker(commentId) {
    return commentId === undefined || commentId === "" ? MARKER_NAME : `${MARKER_NAME}:${commentId}`;
}
/**
 * The hidden first line of the comment: `<!-- ollama-build report: ollama-build:voice -->`. Only characters
 * that cannot end the HTML comment early are kept. The closing ` -->` makes `ollama-build` and
 * `ollama-build:x` distinct prefixes.
 */
const markerLine = (marker) => `<!-- ollama-build report: ${marker.replace(/[^\w.:/@+-]/g, "_")} -->`;
/** A pull request number from the event (an integer, not text): the one reference that links. */
function forkLine(pullRequest) {
    if (pullRequest === undefined || !Number.isSafeInteger(pullRequest) || pullRequest < 1)
        return "";
    return `ℹ️ These figures come from the workflow run of pull request #${pullRequest} (from a fork), as that run reported them.`;
}
function footer(input) {
    const parts = [];
    if (input.head !== undefined && input.baseline !== undefined) {
        parts.push(`Δ is head minus base; ▲/▼ mark a change past run-to-run noise: ${Object.values(NOISE).map(describeRule).join("; ")}.`);
    }
    if (input.head !== undefined)
        parts.push("The full smoke report is in the JSON artifact.");
    const runUrl = input.runUrl !== undefined && URL.canParse(input.runUrl) ? new URL(input.runUrl) : undefined;
    if (runUrl !== undefined && /^https?:$/.test(runUrl.protocol)) {
        // Parentheses would end the link's destination early (URL encodes spaces but not these).
        parts.push(`[Workflow run](${runUrl.href.replaceAll("(", "%28").replaceAll(")", "%29")})`);
    }
    return parts.length === 0 ? "" : `<sub>${parts.join(" ")}</sub>`;
}
/** The smoke's failure lines, under the verdict. */
function verdictFailures(head) {
    const failures = head === undefined || head.passed ? [] : head.failures;
    const shown = failures.slice(0, MAX_VERDICT_FAILURES).map((f) => `- ${markdown_code(clip(f, MAX_REASON))}`);
    if (failures.length > MAX_VERDICT_FAILURES)
        shown.push(`- …and ${failures.length - MAX_VERDICT_FAILURES} more`);
    return cuttable("failure lines", "", shown, "\n");
}
/** The smoke's parts of the comment; each is empty without a smoke report. */
function smokeParts(head, baseline) {
    const compared = head !== undefined && baseline !== undefined;
    const baseViews = baseline === undefined ? undefined : modelViews(baseline);
    const serverTable = head === undefined
        ? undefined
        : metricTable(SERVER_FIGURES, "Server", head.environment, baseline?.environment, compared);
    const chart = head === undefined ? undefined : ttftChart(head, baseline);
    return {
        smokeTables: cuttable("model smoke tables", `#### Smoke\n\n${serverTable === undefined ? "" : `${serverTable}\n\n`}`, head === undefined ? [] : [...modelViews(head)].map(([model, view]) => modelBlock(model, view, baseViews)), "\n\n"),
        failingCases: cuttable("failing or flaky cases", `#### Failing and flaky cases\n\n${CASE_TABLE_HEAD}`, head === undefined ? [] : casesWorthShowing(head.cases).map(tables_caseRow), "\n"),
        chart: cuttable("TTFT chart", "", chart === undefined ? [] : [chart], ""),
        environment: cuttable("environment table", "", head === undefined ? [] : [environmentBlock(head.environment, baseline?.environment)], ""),
        logs: cuttable("container log", "", head?.logs?.length ? [logBlock(head.logs)] : [], ""),
        paired: pairedPart(head),
    };
}
function pairedPart(head) {
    if (head?.paired === undefined)
        return cuttable("paired comparisons", "", [], "\n\n");
    const { lead, models } = pairedBlocks(head.paired);
    return cuttable("paired comparisons", lead, models, "\n\n");
}
/** The comment body, at most `options.maxChars` characters (see the module comment for what is cut first). */
function renderReport(input, options = {}) {
    const plan = input.plan ?? input.build?.plan;
    const id = input.marker.startsWith(`${MARKER_NAME}:`) ? input.marker.slice(MARKER_NAME.length + 1) : undefined;
    const failures = verdictFailures(input.head);
    const plannedModels = plan === undefined ? undefined : planRows(plan, input.build);
    const modelTable = cuttable("model rows", plannedModels?.lead ?? "", plannedModels?.rows ?? [], "\n");
    const smoke = smokeParts(input.head, input.baseline);
    const underLoad = loadSection(input.head);
    const failureOutput = input.failure === undefined ? [] : failureLines(input.failure).slice(1);
    const blocks = [
        markerLine(input.marker),
        `### ollama-build${id === undefined ? "" : ` (${markdown_text(clip(id, MAX_NAME))})`}`,
        verdictLine(input, plan),
        // The rest of a failure's message (a build's last stderr lines) as it was.
        failureOutput.length > 0 ? fenced(failureOutput) : "",
        failures,
        NOTE_SLOT,
        input.provenance === undefined ? "" : `ℹ️ ${markdown_text(clip(input.provenance, MAX_REASON))}`,
        forkLine(input.forkPullRequest),
        baselineLine(input, plan) ?? "",
        plan === undefined ? "" : imageBlock(plan, input.build),
        modelTable,
        smoke.smokeTables,
        smoke.paired,
        underLoad,
        smoke.failingCases,
        smoke.chart,
        smoke.environment,
        smoke.logs,
        footer(input),
    ];
    const cutOrder = [
        smoke.failingCases,
        smoke.smokeTables,
        smoke.paired,
        underLoad,
        modelTable,
        smoke.logs,
        smoke.chart,
        smoke.environment,
        failures,
    ];
    return fitToLength(blocks, cutOrder, options.maxChars ?? DEFAULT_MAX_CHARS);
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/registry/image-ref.ts
/** Where an image repository lives: `ghcr.io/theo/models` → registry `https://ghcr.io`, repository `theo/models`. */
const DOMAIN_LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_REPOSITORY = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`, "i");
/** A repository in Docker's reference grammar, without tag or digest (case is normalised later). */
function isImageRepository(text) {
    return IMAGE_REPOSITORY.test(text);
}
/** A Docker image reference with an optional tag and digest: `ollama/ollama:0.32.15`, `…@sha256:<hex>`. */
const IMAGE_REFERENCE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/i;
/** Whether `text` is an image reference (and nothing else: it ends up on a Dockerfile's FROM line). */
const isImageReference = (text) => IMAGE_REFERENCE.test(text);
/** `ghcr.io/theo/models:m-0123456789ab` → repository `ghcr.io/theo/models`, tag `m-0123456789ab`. */
function splitImageReference(reference) {
    const colon = reference.lastIndexOf(":");
    // A colon before the last slash is a registry port (`127.0.0.1:5000/models`), not a tag.
    if (colon < 0 || colon < reference.lastIndexOf("/"))
        return { repository: reference, tag: "latest" };
    return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;
function image_ref_parseImageRepository(image) {
    const [first = "", ...rest] = image.split("/");
    const hasHost = rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    if (!hasHost) {
        const path = rest.length === 0 ? `library/${first}` : image;
        return { host: "registry-1.docker.io", path, baseUrl: "https://registry-1.docker.io", explicitHost: false };
    }
    // Registries on the loopback interface speak plain HTTP, as dockerd assumes for them.
    const scheme = LOCAL_HOST.test(first) ? "http" : "https";
    return { host: first, path: rest.join("/"), baseUrl: `${scheme}://${first}`, explicitHost: true };
}

// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/errors.js
var errors = __webpack_require__(961);
;// CONCATENATED MODULE: ./src/text/issues.ts

/**
 * Formats zod issues as `where: what was expected`, one per line. Keys and values quoted in a message come
 * from the file: their control characters are escaped, so that one issue stays one line.
 */
function describeIssues(error, prefix = "") {
    return error.issues
        .map((issue) => {
        const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
        return `${prefix}${neutraliseControlCharacters(`${where}: ${issue.message}`)}`;
    })
        .join("\n");
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/text/yaml-source.ts
/**
 * YAML read with positions, so that a problem with a value (found by a schema later) is reported at its line:
 * `test/smoke/a.yaml:12: cases.3.expect: ...`, `ollama-build.yml:4: runtime.num-parallel: ...`.
 */

class YamlSyntaxError extends Error {
}
/** Parses YAML; a syntax error is thrown as `file:line: message` (its first line). */
function readYaml(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter });
    const [error] = doc.errors;
    if (error !== undefined) {
        throw new YamlSyntaxError(`${at(file, error.linePos?.[0]?.line ?? 1)}: ${error.message.split("\n")[0]}`);
    }
    try {
        // Aliases are resolved here: one that names no anchor, or too many of them (a "billion laughs"), fail.
        return { source: { file, doc, lineCounter }, value: doc.toJS({ maxAliasCount: 1000 }) };
    }
    catch (failure) {
        throw new YamlSyntaxError(`${at(file, 1)}: ${failure.message.split("\n")[0]}`);
    }
}
/**
 * The line of the deepest node of `path` that exists: a map entry's key line (a block value starts on the next
 * line), a list item's own line. A missing key points at the object that should have it.
 */
function lineOf(source, path) {
    const { doc, lineCounter } = source;
    let node = doc.contents;
    let offset = (0,dist/* isNode */.Ll)(node) ? node.range?.[0] : undefined;
    for (const key of path) {
        if ((0,dist/* isAlias */.Vj)(node))
            node = node.resolve(doc);
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === String(key));
            if (pair === undefined)
                break;
            if ((0,dist/* isNode */.Ll)(pair.key))
                offset = pair.key.range?.[0];
            node = pair.value;
        }
        else if ((0,dist/* isSeq */.oP)(node) && typeof key === "number") {
            const item = node.items[key];
            if (!(0,dist/* isNode */.Ll)(item))
                break;
            offset = item.range?.[0];
            node = item;
        }
        else {
            break;
        }
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
/** `file:line`, or the file alone when the line is not known. */
const at = (file, line) => (line === undefined ? file : `${file}:${line}`);
/** Where a path is: `test/smoke/a.yaml:12`. */
const locate = (source, path) => at(source.file, lineOf(source, path));
/** The path of a schema issue that names the key at fault (an unknown key is shown on its own line). */
const issueKeyPath = (issue) => issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : [...issue.path];

;// CONCATENATED MODULE: ./src/smoke/load-case-schema.ts
/**
 * What the `load:` section of a case file may say (README: "Smoke under load"). It is built from the case
 * file's own pieces (tools, messages, request settings, expectations, ids), which case-schema.ts passes in, so a
 * conversation under load is written like a case and checked by the same rules:
 *
 *   load:
 *     concurrency: 2             # conversations at once (default: the image's OLLAMA_NUM_PARALLEL, else 2)
 *     conversations: 20          # how many in all, the scripts taken in turn; or duration_s: 60
 *     resident: [agent, classifier]   # must stay loaded together (default: every model the scripts use)
 *     budgets: { agent: { ttft_ms: 800 } }   # judged against the p95 under load (decode_tps: the p5)
 *     scripts:
 *       - id: transfer
 *         model: agent           # default: defaults.model
 *         messages: [...]        # the opening (a system prompt, earlier turns); optional
 *         turns:                 # one per reply of the model, in order
 *           - user: Quero falar com o suporte
 *             expect: { tool_calls: [{ name: transfer_call }] }
 *             tool_result: '{"ok": true}'   # sent back as the `tool` message for each call
 *           - expect: { content: { contains: [suporte] } }
 */


const LoadBudgetsSchema = schemas/* strictObject */.rej(Object.fromEntries(LOAD_METRIC_KEYS.map((key) => [key, schemas/* number */.aig().positive().optional()])));
function loadSectionSchema(pieces) {
    const TurnSchema = schemas/* strictObject */.rej({
        /** What the caller says before this reply (appended as a user message). */
        user: schemas/* string */.YjP().optional(),
        expect: pieces.expectation,
        /** The tool's result, sent back as a `tool` message for each call the model made; the next turn answers it. */
        tool_result: schemas/* string */.YjP().optional(),
    });
    const ScriptSchema = schemas/* strictObject */.rej({
        id: pieces.id,
        model: schemas/* string */.YjP().min(1).optional(),
        request: pieces.request.optional(),
        tools: schemas/* array */.YOg(pieces.tool).optional(),
        messages: schemas/* array */.YOg(pieces.message).optional(),
        turns: schemas/* array */.YOg(TurnSchema).min(1, "a script needs at least one turn"),
    });
    return schemas/* strictObject */.rej({
        concurrency: schemas/* int */.Whr().positive().optional(),
        conversations: schemas/* int */.Whr().positive().optional(),
        duration_s: schemas/* number */.aig().positive().optional(),
        resident: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).optional(),
        budgets: schemas/* record */.g1P(schemas/* string */.YjP().min(1), LoadBudgetsSchema).optional(),
        scripts: schemas/* array */.YOg(ScriptSchema).min(1, "a load profile needs at least one script"),
    })
        .superRefine((load, context) => {
        if (load.conversations !== undefined && load.duration_s !== undefined) {
            context.addIssue({
                code: "custom",
                path: ["duration_s"],
                message: "give conversations or duration_s, not both",
            });
        }
    });
}

;// CONCATENATED MODULE: ./src/smoke/paired-schema.ts
/**
 * The paired comparison a smoke report carries when the base commit's image was smoked beside this one on the
 * same runner (requests interleaved A B B A, same seeds): part of the report's public format, so fields are only
 * ever added. src/compare/paired.ts computes it.
 */

const ArmCaseSchema = schemas/* object */.Ikc({
    runs: schemas/* number */.aig(),
    passes: schemas/* number */.aig(),
    /** pass^k: every one of its k runs passed. */
    all_passed: schemas/* boolean */.zMY(),
});
const CaseComparisonSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP(),
    model: schemas/* string */.YjP(),
    base: ArmCaseSchema,
    head: ArmCaseSchema,
    /** Fisher's exact test, one-sided: the head passes less often than the base. */
    p: schemas/* number */.aig(),
    /** p < α: called a regression. */
    regression: schemas/* boolean */.zMY(),
});
const MetricComparisonSchema = schemas/* object */.Ikc({
    metric: schemas/* string */.YjP(),
    unit: schemas/* string */.YjP(),
    better: schemas/* enum */.k5n(["lower", "higher"]),
    base: schemas/* object */.Ikc({ n: schemas/* number */.aig(), median: schemas/* number */.aig() }),
    head: schemas/* object */.Ikc({ n: schemas/* number */.aig(), median: schemas/* number */.aig() }),
    /** Hodges–Lehmann estimate of head − base, with its distribution-free interval (±∞: too few samples). */
    shift: schemas/* number */.aig(),
    lower: schemas/* number */.aig().nullable(),
    upper: schemas/* number */.aig().nullable(),
    /**
     * `signed-rank`: matched pairs (the same request in the same round on both images, both servers up), the paired
     * shift and Wilcoxon's signed-rank p; `rank-sum`: independent samples, the two-sample shift and Mann–Whitney's p.
     */
    test: schemas/* enum */.k5n(["signed-rank", "rank-sum"]),
    /** The matched pairs (signed-rank): base.n and head.n count the same pairs. */
    pairs: schemas/* number */.aig().optional(),
    /** Two-sided. */
    p: schemas/* number */.aig(),
    /** `better`/`worse` only when the interval excludes zero and the shift exceeds the minimum effect. */
    verdict: schemas/* enum */.k5n(["better", "worse", "unchanged"]),
});
const ModelComparisonSchema = schemas/* object */.Ikc({
    metrics: schemas/* array */.YOg(MetricComparisonSchema),
    /** Resident size from /api/ps, bytes, per image. */
    memory: schemas/* object */.Ikc({ base: schemas/* number */.aig().optional(), head: schemas/* number */.aig().optional() }),
});
const PairedComparisonSchema = schemas/* object */.Ikc({
    base_image: schemas/* string */.YjP(),
    /** `interleaved`: both servers up, requests alternating; `blocks`: one server at a time, A B B A in blocks. */
    mode: schemas/* enum */.k5n(["interleaved", "blocks"]),
    /** Why that mode: the memory both images need against what the runner had free. */
    mode_reason: schemas/* string */.YjP(),
    alpha: schemas/* number */.aig(),
    confidence: schemas/* number */.aig(),
    /** The smallest relative shift that earns an arrow (0.05: 5 % of the base's median). */
    min_effect: schemas/* number */.aig(),
    /** Cases run on both images: how many tests were made at α. */
    cases_tested: schemas/* number */.aig(),
    cases: schemas/* array */.YOg(CaseComparisonSchema),
    models: schemas/* record */.g1P(schemas/* string */.YjP(), ModelComparisonSchema),
});

;// CONCATENATED MODULE: ./src/smoke/report-schema.ts
/**
 * The smoke report: its schema is the one definition of the format, and its TypeScript types are inferred from
 * it. The report is a public format (`--report FILE`, the action's `smoke` output, the PR comment's input, the
 * baselines saved in GitHub's cache): fields are only ever added. The metric fields come from the metric registry.
 *
 * Reading a report someone else wrote: the trusted `workflow_run` job renders a fork's pull-request comment from
 * the fork's `smoke-report.json`, so that file is untrusted input, checked here before the renderer sees it. The
 * schema is nothing stricter than the types (a value the type allows is the renderer's to show, and it clips long
 * text). Keys it does not know are dropped rather than refused: a report from a newer version still reads.
 */





/** A zod object shape with one field per metric, of the type `field` gives. */
function metricShape(metrics, field) {
    return Object.fromEntries(metrics.map((metric) => [metric.key, field(metric)]));
}
const DistributionSchema = schemas/* object */.Ikc({
    n: schemas/* number */.aig(),
    p50: schemas/* number */.aig(),
    p90: schemas/* number */.aig(),
    /** Only when n ≥ 20. */
    p95: schemas/* number */.aig().optional(),
    min: schemas/* number */.aig(),
    max: schemas/* number */.aig(),
});
/**
 * An object with one optional key per metric rather than a record over the names: a record refuses a metric
 * it does not know, where a newer report's new metric should be dropped.
 */
const MetricsSchema = schemas/* object */.Ikc(metricShape(REQUEST_METRICS, () => DistributionSchema.optional()));
/** A budget on a distribution: a number bounds the median; an object can bound p90 too. */
const MetricBudgetSchema = schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* object */.Ikc({ p50: schemas/* number */.aig().optional(), p90: schemas/* number */.aig().optional() })]);
const BudgetsSchema = schemas/* object */.Ikc({
    ...metricShape(QUANTILE_BUDGET_METRICS, () => MetricBudgetSchema.optional()),
    ...metricShape(SINGLE_BUDGET_METRICS, () => schemas/* number */.aig().optional()),
});
const ModelMemorySchema = schemas/* object */.Ikc({
    /** Ollama's figures from /api/ps; absent when it did not list the model (then only the host's GPU reading). */
    size_bytes: schemas/* number */.aig().optional(),
    size_vram_bytes: schemas/* number */.aig().optional(),
    context_length: schemas/* number */.aig().optional(),
    /** Host GPU memory in use (nvidia-smi), the highest sample during this model's runs. */
    gpu_used_mib: schemas/* number */.aig().optional(),
});
const ModelReportSchema = schemas/* object */.Ikc({
    metrics: MetricsSchema,
    ...metricShape(metricsStoredAs("model"), () => schemas/* number */.aig().optional()),
    memory: ModelMemorySchema.optional(),
    /** Runs that had reasoning text before the content (thinking left on). */
    reasoning_runs: schemas/* number */.aig(),
    budgets: BudgetsSchema,
    /** Each missed budget: `ttft_ms p50 412 ms > budget 300 ms (+112 ms)`. */
    budget_failures: schemas/* array */.YOg(schemas/* string */.YjP()),
});
const CaseReportSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP(),
    model: schemas/* string */.YjP(),
    file: schemas/* string */.YjP(),
    critical: schemas/* boolean */.zMY(),
    passed: schemas/* boolean */.zMY(),
    runs: schemas/* number */.aig(),
    passes: schemas/* number */.aig(),
    flaky: schemas/* boolean */.zMY(),
    failures: schemas/* array */.YOg(schemas/* string */.YjP()),
});
const SmokeEnvironmentSchema = schemas/* object */.Ikc({
    endpoint: schemas/* string */.YjP(),
    image: schemas/* string */.YjP().optional(),
    /** The manifest digest a registry serves for the image, when known. */
    image_digest: schemas/* string */.YjP().optional(),
    /** The local engine's image ID (not a registry digest). */
    image_id: schemas/* string */.YjP().optional(),
    ollama_version: schemas/* string */.YjP().optional(),
    gpu: schemas/* boolean */.zMY(),
    gpu_names: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
    ...metricShape(metricsStoredAs("environment"), () => schemas/* number */.aig().optional()),
    runner: schemas/* object */.Ikc({ os: schemas/* string */.YjP(), arch: schemas/* string */.YjP(), cpus: schemas/* number */.aig(), memory_mib: schemas/* number */.aig(), node: schemas/* string */.YjP() }),
    started_at: schemas/* string */.YjP(),
});
const SmokeReportSchema = schemas/* object */.Ikc({
    passed: schemas/* boolean */.zMY(),
    /** Why it failed: critical cases and missed budgets, one line each. */
    failures: schemas/* array */.YOg(schemas/* string */.YjP()),
    environment: SmokeEnvironmentSchema,
    models: schemas/* record */.g1P(schemas/* string */.YjP(), ModelReportSchema),
    cases: schemas/* array */.YOg(CaseReportSchema),
    /** Log lines of the container when it was booted and something failed. */
    logs: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
    /** The conversations run concurrently, when the case files have a `load:` section (load-report.ts). */
    load: LoadReportSchema.optional(),
    /** The base commit's image smoked beside this one, and what changed (src/compare/paired.ts). */
    paired: PairedComparisonSchema.optional(),
});
/** Parses and checks a report file's text; throws an Error naming `label` and each field that is wrong. */
function parseSmokeReport(text, label) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`${label}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const result = SmokeReportSchema.safeParse(raw);
    if (!result.success)
        throw new Error(describeIssues(result.error, `${label}: `));
    return result.data;
}

;// CONCATENATED MODULE: ./src/smoke/case-schema.ts
/**
 * What a smoke case file (YAML) may say: the schema is the one definition, and the types of what a case sends and
 * expects are inferred from it. Strict everywhere: a misspelt key is an error, not an ignored line. The budgets'
 * names come from the metric registry.
 */




const JsonTypeSchema = schemas/* enum */.k5n(["string", "number", "integer", "boolean", "object", "array", "null"]);
/** One argument matcher: a plain value, or one operator. */
const ArgumentMatcherSchema = schemas/* union */.KCZ([
    schemas/* string */.YjP(),
    schemas/* number */.aig(),
    schemas/* boolean */.zMY(),
    schemas/* null */.chJ(),
    schemas/* array */.YOg(schemas/* unknown */.L5J()),
    schemas/* strictObject */.rej({ one_of: schemas/* array */.YOg(schemas/* unknown */.L5J()).min(1) }),
    schemas/* strictObject */.rej({ regex: schemas/* string */.YjP() }),
    schemas/* strictObject */.rej({ type: JsonTypeSchema }),
    schemas/* strictObject */.rej({ absent: schemas/* literal */.euz(true) }),
], { error: "expected a value, or one of {one_of: [...]}, {regex: ...}, {type: ...}, {absent: true}" });
/** An OpenAI tool definition, as sent in `tools`. */
const ToolSchema = schemas/* strictObject */.rej({
    type: schemas/* literal */.euz("function"),
    function: schemas/* strictObject */.rej({
        name: schemas/* string */.YjP().min(1),
        description: schemas/* string */.YjP().optional(),
        parameters: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()).optional(),
    }),
});
const MessageSchema = schemas/* discriminatedUnion */.gMt("role", [
    schemas/* strictObject */.rej({ role: schemas/* enum */.k5n(["system", "user"]), content: schemas/* string */.YjP() }),
    schemas/* strictObject */.rej({
        role: schemas/* literal */.euz("assistant"),
        content: schemas/* string */.YjP().optional(),
        tool_calls: schemas/* array */.YOg(schemas/* strictObject */.rej({
            id: schemas/* string */.YjP().optional(),
            type: schemas/* literal */.euz("function"),
            function: schemas/* strictObject */.rej({ name: schemas/* string */.YjP().min(1), arguments: schemas/* string */.YjP() }),
        }))
            .optional(),
    }),
    schemas/* strictObject */.rej({ role: schemas/* literal */.euz("tool"), content: schemas/* string */.YjP(), tool_call_id: schemas/* string */.YjP().optional() }),
]);
/** Request settings sent explicitly on every request (Ollama's /v1 forces temperature and top_p to 1.0 when omitted). */
const RequestSchema = schemas/* strictObject */.rej({
    temperature: schemas/* number */.aig().min(0).max(2).optional(),
    top_p: schemas/* number */.aig().gt(0).max(1).optional(),
    seed: schemas/* int */.Whr().optional(),
    max_tokens: schemas/* int */.Whr().positive().optional(),
    /** "none" disables thinking (sent as `think: false` on the native API). */
    reasoning_effort: schemas/* enum */.k5n(["none", "low", "medium", "high"]).optional(),
});
const PassSchema = schemas/* union */.KCZ([schemas/* literal */.euz("all"), schemas/* strictObject */.rej({ at_least: schemas/* int */.Whr().positive() })], {
    error: "expected all or {at_least: N}",
});
const case_schema_MetricBudgetSchema = schemas/* union */.KCZ([
    schemas/* number */.aig().positive(),
    schemas/* strictObject */.rej({ p50: schemas/* number */.aig().positive().optional(), p90: schemas/* number */.aig().positive().optional() })
        .refine((budget) => budget.p50 !== undefined || budget.p90 !== undefined, "give p50, p90 or both"),
], { error: "expected a positive number (bounds the median) or {p50: ..., p90: ...}" });
const case_schema_BudgetsSchema = schemas/* strictObject */.rej({
    ...metricShape(QUANTILE_BUDGET_METRICS, () => case_schema_MetricBudgetSchema.optional()),
    // A percentage may be anything from 0 to 100; every other bound is a positive amount.
    ...metricShape(SINGLE_BUDGET_METRICS, (metric) => (metric.unit === "%" ? schemas/* number */.aig().min(0).max(100) : schemas/* number */.aig().positive()).optional()),
});
const ExpectedToolCallSchema = schemas/* strictObject */.rej({
    name: schemas/* string */.YjP().min(1),
    arguments: schemas/* record */.g1P(schemas/* string */.YjP(), ArgumentMatcherSchema).optional(),
});
const ContentExpectationSchema = schemas/* strictObject */.rej({
    equals: schemas/* string */.YjP().optional(),
    regex: schemas/* string */.YjP().optional(),
    one_of: schemas/* array */.YOg(schemas/* string */.YjP()).min(1).optional(),
    contains: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).optional(),
    not_contains: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).optional(),
    max_words: schemas/* int */.Whr().positive().optional(),
});
const ExpectationSchema = schemas/* strictObject */.rej({
    tool_calls: schemas/* array */.YOg(ExpectedToolCallSchema).min(1).optional(),
    /** Order of several expected calls: `any` (default) or `exact`. */
    order: schemas/* enum */.k5n(["any", "exact"]).optional(),
    /** `forbid`: an argument the expectation does not name fails the case. */
    extra_args: schemas/* enum */.k5n(["allow", "forbid"]).optional(),
    /** Passes only when the model calls no tool (the "irrelevance" check). */
    no_tool_call: schemas/* boolean */.zMY().optional(),
    content: ContentExpectationSchema.optional(),
    /** Repeat the case without streaming and require the same tool calls. */
    stream_matches_nonstream: schemas/* boolean */.zMY().optional(),
});
const IdSchema = schemas/* string */.YjP().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-' only");
const CaseSchema = schemas/* strictObject */.rej({
    id: IdSchema,
    critical: schemas/* boolean */.zMY().default(false),
    model: schemas/* string */.YjP().min(1).optional(),
    request: RequestSchema.optional(),
    repeat: schemas/* int */.Whr().positive().optional(),
    pass: PassSchema.optional(),
    tools: schemas/* array */.YOg(ToolSchema).optional(),
    messages: schemas/* array */.YOg(MessageSchema).min(1, "a case needs at least one message"),
    expect: ExpectationSchema,
    budgets: case_schema_BudgetsSchema.optional(),
});
const NO_CASES = "a case file needs at least one case";
const CaseFileSchema = schemas/* strictObject */.rej({
    warmups: schemas/* int */.Whr().min(0).optional(),
    defaults: schemas/* strictObject */.rej({
        model: schemas/* string */.YjP().min(1).optional(),
        request: RequestSchema.optional(),
        repeat: schemas/* int */.Whr().positive().optional(),
        pass: PassSchema.optional(),
    })
        .optional(),
    tools: schemas/* array */.YOg(ToolSchema).optional(),
    budgets: schemas/* record */.g1P(schemas/* string */.YjP().min(1), case_schema_BudgetsSchema).optional(),
    cases: schemas/* array */.YOg(CaseSchema, { error: (issue) => (issue.input == null ? NO_CASES : undefined) }).min(1, NO_CASES),
    /** Conversations run concurrently, shaped like production (load-case-schema.ts). */
    load: loadSectionSchema({
        id: IdSchema,
        tool: ToolSchema,
        message: MessageSchema,
        request: RequestSchema,
        expectation: ExpectationSchema,
    }).optional(),
});

;// CONCATENATED MODULE: ./src/smoke/load-cases.ts
/**
 * The `load:` sections of case files (load-case-schema.ts says what one may say), resolved and checked: a
 * script's turns become cases the ordinary checks judge (match.ts), their order is checked against how a call
 * goes (user → reply, tool call → tool result → answer), and the sections of several files merge into one
 * profile. Problems go to the caller (cases.ts), which reports them as `file:line: path: message`.
 */

/** Enough requests that the p95 of a model with one script is not just its slowest request. */
const DEFAULT_CONVERSATIONS = 20;
/** Checks that the turns go as a call does: every request ends with what the caller or a tool said. */
function checkTurnOrder(script, path, checks) {
    const opening = script.messages?.at(-1)?.role;
    script.turns.forEach((turn, index) => {
        const turnPath = [...path, "turns", index];
        const previous = script.turns[index - 1];
        const endsWithCaller = index === 0 ? opening === "user" || opening === "tool" : previous?.tool_result !== undefined;
        if (turn.user === undefined && !endsWithCaller) {
            checks.report(turnPath, index === 0
                ? "the first turn needs `user` (what the caller says), or `messages` ending with a user or tool message"
                : "the model would answer its own reply: give `user` (what the caller says next), or `tool_result` on the turn before");
        }
        if (turn.tool_result === undefined)
            return;
        if (turn.expect.tool_calls === undefined) {
            checks.report([...turnPath, "tool_result"], "a tool result answers a tool call: expect tool_calls in this turn");
        }
        if (index === script.turns.length - 1) {
            checks.report([...turnPath, "tool_result"], "no turn follows to answer the tool result: add one");
        }
    });
}
function resolveScript(file, parsed, script, path, checks) {
    if (script.tools !== undefined)
        checks.tools(script.tools, [...path, "tools"]);
    checkTurnOrder(script, path, checks);
    const model = script.model ?? parsed.defaults?.model;
    if (model === undefined) {
        checks.report([...path, "model"], "no model: set model here or defaults.model");
        return undefined;
    }
    const tools = script.tools ?? parsed.tools ?? [];
    const request = { ...parsed.defaults?.request, ...script.request };
    const messages = script.messages ?? [];
    const turns = script.turns.map((turn, index) => {
        const expectPath = [...path, "turns", index, "expect"];
        if (turn.expect.stream_matches_nonstream) {
            checks.report([...expectPath, "stream_matches_nonstream"], "not under load: a case checks it");
        }
        const check = {
            id: `${script.id}#${index + 1}`,
            file,
            model,
            messages,
            tools,
            request,
            repeat: 1,
            pass: "all",
            critical: true,
            expect: turn.expect,
            budgets: {},
        };
        checks.expectation(check, script.tools === undefined, expectPath);
        return {
            check,
            ...(turn.user === undefined ? {} : { user: turn.user }),
            ...(turn.tool_result === undefined ? {} : { toolResult: turn.tool_result }),
        };
    });
    return { id: script.id, file, model, messages, tools, request, turns };
}
/** Resolves one file's `load:` section; undefined when it has none. */
function resolveLoadSection(file, parsed, checks) {
    const load = parsed.load;
    if (load === undefined)
        return undefined;
    const seen = new Map();
    const scripts = load.scripts.flatMap((script, index) => {
        const path = ["load", "scripts", index];
        if (seen.has(script.id))
            checks.report([...path, "id"], `script ${script.id} is defined twice in this file`);
        seen.set(script.id, index);
        return resolveScript(file, parsed, script, path, checks) ?? [];
    });
    const { scripts: _, budgets, ...settings } = load;
    return { settings, budgets: budgets ?? {}, scripts };
}
/**
 * The first file's value of a setting (written as one of `keys`); a later file that says otherwise is reported
 * there, naming where the first said it.
 */
function firstSetting(sources, keys) {
    let first;
    for (const source of sources) {
        for (const key of keys) {
            const value = source.section.settings[key];
            if (value === undefined)
                continue;
            if (first === undefined)
                first = { source, key, value };
            else if (first.key !== key || !(0,external_node_util_.isDeepStrictEqual)(first.value, value)) {
                const earlier = `${first.key} ${JSON.stringify(first.value)} in ${first.source.locate(["load", first.key])}`;
                source.report(["load", key], `${key} ${JSON.stringify(value)} conflicts with ${earlier}`);
            }
        }
    }
    return first;
}
function extentOf(sources) {
    const given = firstSetting(sources, ["conversations", "duration_s"]);
    if (given?.key === "duration_s")
        return { durationMs: given.value * 1000 };
    return { conversations: given?.value ?? DEFAULT_CONVERSATIONS };
}
function load_cases_mergeBudgets(sources, models) {
    const budgets = {};
    const owners = new Map();
    for (const source of sources) {
        for (const [model, given] of Object.entries(source.section.budgets)) {
            if (!models.includes(model)) {
                source.report(["load", "budgets", model], `no script uses this model (models: ${models.join(", ")})`);
            }
            const merged = budgets[model] ?? {};
            budgets[model] = merged;
            for (const [metric, limit] of Object.entries(given)) {
                const key = JSON.stringify([model, metric]);
                const owner = owners.get(key);
                if (owner === undefined) {
                    owners.set(key, source);
                    merged[metric] = limit;
                }
                else if (merged[metric] !== limit) {
                    const where = owner.locate(["load", "budgets", model, metric]);
                    source.report(["load", "budgets", model, metric], `${limit} conflicts with ${merged[metric]} in ${where}`);
                }
            }
        }
    }
    return budgets;
}
/** The files' sections as one profile (undefined when no file has one); conflicts go to the files' reports. */
function mergeLoadSections(sources) {
    if (sources.length === 0)
        return undefined;
    const scriptOwners = new Map();
    for (const source of sources) {
        source.section.scripts.forEach((script, index) => {
            const owner = scriptOwners.get(script.id);
            if (owner === undefined)
                scriptOwners.set(script.id, { source, index });
            else if (owner.source !== source) {
                const where = owner.source.locate(["load", "scripts", owner.index, "id"]);
                source.report(["load", "scripts", index, "id"], `script ${script.id} is also defined in ${where}`);
            }
        });
    }
    const scripts = sources.flatMap((source) => source.section.scripts);
    const models = [...new Set(scripts.map((script) => script.model))];
    const concurrency = firstSetting(sources, ["concurrency"])?.value;
    return {
        ...(concurrency === undefined ? {} : { concurrency }),
        extent: extentOf(sources),
        resident: firstSetting(sources, ["resident"])?.value ?? models,
        budgets: load_cases_mergeBudgets(sources, models),
        scripts,
    };
}

// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var ajv = __webpack_require__(2463);
;// CONCATENATED MODULE: ./src/smoke/tool-calls.ts
/**
 * Checks the tool calls of one run: pure, no I/O. It follows the Berkeley Function-Calling Leaderboard's AST
 * checker: strings compare after a light normalisation, the model's arguments must satisfy the tool's own JSON
 * Schema, and "irrelevance" (no call) is a check of its own.
 */


// strictSchema stays on so a typo such as `requried` is reported when the case file loads instead of silently
// loosening the schema. Formats are not checked (Ajv knows none without ajv-formats, and strict mode would reject
// them); the type/tuple strictness checks only log, so they are off to keep the output clean.
const tool_calls_ajv = new ajv.Ajv({ allErrors: true, validateFormats: false, strictTypes: false, strictTuples: false });
const validators = new WeakMap();
/** The compiled validator of a tool's `parameters` (once per tool object); throws when the schema is invalid. */
function toolArgumentsValidator(tool) {
    let validate = validators.get(tool);
    if (validate === undefined) {
        // OpenAI treats an omitted `parameters` as a function without parameters: an empty argument object.
        validate = tool_calls_ajv.compile(tool.function.parameters ?? { type: "object" });
        validators.set(tool, validate);
    }
    return validate;
}
/** BFCL's string normalisation: lower-case, without spaces and the characters `,./-_*^`. */
function normalizeForComparison(s) {
    return s.toLowerCase().replace(/[ ,./\-_*^]/g, "");
}
/**
 * What is wrong with the calls a run made: each call on its own (a tool the case does not have, arguments its
 * schema refuses), then against what the case expects.
 */
function toolCallFailures(tools, expect, observed) {
    const calls = observed.map(readCall);
    const failures = [...calls.flatMap((call) => callProblem(tools, call) ?? []), ...checkToolCalls(expect, calls)];
    // A call whose arguments cannot be read fails both its own check and every comparison: say it once.
    return [...new Set(failures)];
}
function readCall(call) {
    const read = { name: call.name, raw: call.arguments };
    let parsed;
    try {
        parsed = JSON.parse(call.arguments);
    }
    catch (error) {
        return { ...read, unreadable: `${call.name}: arguments are not valid JSON: ${error.message}` };
    }
    return isPlainObject(parsed)
        ? { ...read, args: parsed }
        : { ...read, unreadable: `${call.name}: arguments are not a JSON object: ${call.arguments}` };
}
/** What is wrong with a call on its own, whatever the case expects. */
function callProblem(tools, call) {
    const tool = tools.find((t) => t.function.name === call.name);
    if (tool === undefined)
        return `called ${call.name}, which is not among the tools`;
    if (call.args === undefined)
        return call.unreadable;
    const validate = toolArgumentsValidator(tool);
    if (validate(call.args))
        return undefined;
    const errors = (validate.errors ?? []).map(describeSchemaError);
    return `${call.name}: arguments do not satisfy the tool's schema: ${errors.join(", ")}`;
}
function describeSchemaError(error) {
    const where = error.instancePath ? `${error.instancePath} ` : "";
    // Ajv's message leaves out what a model most often gets wrong: the invented argument, the allowed values.
    let detail = "";
    if (error.keyword === "additionalProperties")
        detail = `: ${error.params.additionalProperty}`;
    if (error.keyword === "enum")
        detail = ` ${listValues(error.params.allowedValues)}`;
    return `${where}${error.message}${detail}`;
}
const describeCall = (call) => `${call.name}(${call.args === undefined ? call.raw : JSON.stringify(call.args)})`;
const describeCalls = (calls) => (calls.length === 0 ? "none" : calls.map(describeCall).join(", "));
function checkToolCalls(expect, calls) {
    if (expect.no_tool_call)
        return calls.length === 0 ? [] : [`expected no tool call, got ${describeCalls(calls)}`];
    const expected = expect.tool_calls;
    if (expected === undefined)
        return [];
    if (expected.length !== calls.length) {
        const got = calls.length === 0 ? "" : `: ${describeCalls(calls)}`;
        return [`expected ${expected.length} tool call(s), got ${calls.length}${got}`];
    }
    const forbidExtra = expect.extra_args === "forbid";
    const mismatches = expected.map((e) => calls.map((call) => compareCall(e, call, forbidExtra)));
    if (expect.order === "exact")
        return mismatches.flatMap((row, i) => row[i] ?? []);
    if (hasOneToOneMatch(mismatches))
        return [];
    const unmatched = expected.flatMap((e, i) => {
        const row = mismatches[i] ?? [];
        if (row.some((reasons) => reasons.length === 0))
            return [];
        const sameName = row.filter((_, j) => calls[j]?.name === e.name);
        if (sameName.length === 0)
            return [`expected a call to ${e.name}, got ${describeCalls(calls)}`];
        return sameName.reduce((fewest, reasons) => (reasons.length < fewest.length ? reasons : fewest));
    });
    // Every expected call matches some observed call, but two expected calls need the same one.
    return unmatched.length > 0
        ? unmatched
        : [`the observed calls cannot be paired one-to-one with the expected calls: got ${describeCalls(calls)}`];
}
/** Whether each expected call (row) can take a distinct observed call (column) it matches. */
function hasOneToOneMatch(mismatches, row = 0, taken = new Set()) {
    if (row === mismatches.length)
        return true;
    return (mismatches[row] ?? []).some((reasons, column) => {
        if (reasons.length > 0 || taken.has(column))
            return false;
        return hasOneToOneMatch(mismatches, row + 1, new Set(taken).add(column));
    });
}
function compareCall(expected, call, forbidExtra) {
    if (call.name !== expected.name)
        return [`expected a call to ${expected.name}, got ${describeCall(call)}`];
    const { args } = call;
    if (args === undefined)
        return [call.unreadable];
    const matchers = expected.arguments ?? {};
    const reasons = Object.entries(matchers).flatMap(([name, matcher]) => {
        const reason = checkArgument(matcher, Object.hasOwn(args, name), args[name]);
        return reason === undefined ? [] : [`${call.name}.${name}: ${reason}`];
    });
    if (forbidExtra) {
        for (const name of Object.keys(args)) {
            if (!Object.hasOwn(matchers, name)) {
                reasons.push(`${call.name}.${name}: not expected (extra_args: forbid), got ${JSON.stringify(args[name])}`);
            }
        }
    }
    return reasons;
}
/** `[a, b, 3]`: a list of allowed values in a message. */
const listValues = (values) => `[${values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}]`;
/** Why an argument fails its matcher, or undefined when it matches. */
function checkArgument(matcher, present, value) {
    const isOperator = typeof matcher === "object" && matcher !== null && !Array.isArray(matcher);
    if (isOperator && "absent" in matcher)
        return present ? `expected absent, got ${JSON.stringify(value)}` : undefined;
    if (!present)
        return "missing";
    const got = JSON.stringify(value);
    if (!isOperator)
        return valuesMatch(matcher, value) ? undefined : `${got} does not equal ${JSON.stringify(matcher)}`;
    if ("one_of" in matcher) {
        return matcher.one_of.some((option) => valuesMatch(option, value))
            ? undefined
            : `${got} does not match one_of ${listValues(matcher.one_of)}`;
    }
    if ("regex" in matcher) {
        if (typeof value !== "string")
            return `${got} is not a string (expected a match for /${matcher.regex}/)`;
        return new RegExp(matcher.regex).test(value) ? undefined : `${got} does not match /${matcher.regex}/`;
    }
    return hasJsonType(value, matcher.type) ? undefined : `${got} is not of type ${matcher.type}`;
}
function hasJsonType(value, type) {
    switch (type) {
        case "integer":
            return Number.isInteger(value);
        case "array":
            return Array.isArray(value);
        case "object":
            return isPlainObject(value);
        case "null":
            return value === null;
        default:
            return typeof value === type;
    }
}
function isPlainObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
/** Strings after normalisation, numbers numerically, containers element by element; types never coerce. */
function valuesMatch(expected, actual) {
    if (typeof expected === "string") {
        return typeof actual === "string" && normalizeForComparison(expected) === normalizeForComparison(actual);
    }
    if (Array.isArray(expected)) {
        return (Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => valuesMatch(e, actual[i])));
    }
    if (isPlainObject(expected)) {
        if (!isPlainObject(actual))
            return false;
        const keys = Object.keys(expected);
        return (keys.length === Object.keys(actual).length &&
            keys.every((key) => Object.hasOwn(actual, key) && valuesMatch(expected[key], actual[key])));
    }
    return expected === actual;
}
/** Whether the same request without streaming made the same calls (arguments compared as values, not text). */
function sameCallsFailures(observed, nonStreamRun) {
    if (nonStreamRun.error !== undefined)
        return [`non-streamed run failed: ${nonStreamRun.error}`];
    const streamed = observed.map(readCall);
    const other = nonStreamRun.toolCalls.map(readCall);
    const same = other.length === streamed.length &&
        other.every((call, i) => {
            const counterpart = streamed[i];
            if (counterpart === undefined || counterpart.name !== call.name)
                return false;
            // Unreadable arguments can still be compared as text.
            return call.args === undefined || counterpart.args === undefined
                ? call.raw === counterpart.raw
                : (0,external_node_util_.isDeepStrictEqual)(call.args, counterpart.args);
        });
    return same
        ? []
        : [`non-streamed run made different tool calls: ${describeCalls(other)} (streamed: ${describeCalls(streamed)})`];
}

;// CONCATENATED MODULE: ./src/smoke/cases.ts
/**
 * Smoke case files (YAML): parsed with zod, then checked for what a schema cannot see (tool names, regexes,
 * JSON Schemas, pass rules), and merged into one suite. Every error names the file, the line and the case, so a
 * typo costs a second instead of a container boot.
 */







class CaseFileError extends Error {
}
const issue = (path, message) => ({ code: "custom", path, message, input: undefined });
/** `file:line: case "id": path: message`, the path relative to the case it is in. */
function describeIssue(source, found) {
    let prefix = `${locate(source, issueKeyPath(found))}: `;
    let path = found.path;
    const [top, index] = found.path;
    const id = top === "cases" && typeof index === "number" ? source.doc.getIn(["cases", index, "id"]) : undefined;
    if (typeof id === "string") {
        prefix += `case ${JSON.stringify(id)}: `;
        path = found.path.slice(2);
    }
    // A problem with the case as a whole has no path of its own inside it.
    if (path.length === 0 && typeof id === "string")
        return `${prefix}${found.message}`;
    return describeIssues(new errors/* ZodError */.G([{ ...found, path }]), prefix);
}
const describeAll = (source, issues) => issues.map((i) => describeIssue(source, i)).join("\n");
function compileRegex(source, path, issues) {
    try {
        new RegExp(source);
    }
    catch (error) {
        issues.push(issue(path, error.message));
    }
}
function checkTools(tools, path, issues) {
    const seen = new Set();
    tools.forEach((tool, index) => {
        const { name, parameters } = tool.function;
        if (seen.has(name))
            issues.push(issue([...path, index, "function", "name"], `tool ${name} is defined twice`));
        seen.add(name);
        const parametersPath = [...path, index, "function", "parameters"];
        if (parameters !== undefined && parameters.type !== "object") {
            issues.push(issue(parametersPath, `tool ${name}: parameters must be an object schema (type: object)`));
            return;
        }
        try {
            toolArgumentsValidator(tool);
        }
        catch (error) {
            issues.push(issue(parametersPath, `tool ${name}: not a valid JSON Schema: ${error.message}`));
        }
    });
}
/** The parameter names a tool declares, when its schema closes the list (`additionalProperties: false`). */
function declaredParameters(tool) {
    const { parameters } = tool.function;
    if (parameters?.additionalProperties !== false)
        return undefined;
    const properties = parameters.properties;
    return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}
function checkExpectation(testCase, usesFileTools, path, issues) {
    const { expect, tools } = testCase;
    const toolNames = tools.map((t) => t.function.name);
    if (expect.tool_calls === undefined && !expect.no_tool_call && expect.content === undefined) {
        issues.push(issue(path, "nothing to check: give tool_calls, no_tool_call: true or content"));
    }
    if (expect.no_tool_call && expect.tool_calls !== undefined) {
        issues.push(issue([...path, "no_tool_call"], "cannot be combined with tool_calls"));
    }
    if (expect.no_tool_call && tools.length === 0) {
        issues.push(issue([...path, "no_tool_call"], "the case has no tools, so no call can be made: give it tools"));
    }
    expect.tool_calls?.forEach((call, index) => {
        const callPath = [...path, "tool_calls", index];
        const tool = tools.find((t) => t.function.name === call.name);
        if (tool === undefined) {
            const where = usesFileTools ? "this file" : "this case";
            const listed = toolNames.length === 0 ? "none" : toolNames.join(", ");
            issues.push(issue([...callPath, "name"], `"${call.name}" is not a tool in ${where} (tools: ${listed})`));
            return;
        }
        const parameters = declaredParameters(tool);
        for (const [name, matcher] of Object.entries(call.arguments ?? {})) {
            const argumentPath = [...callPath, "arguments", name];
            if (parameters !== undefined && !parameters.includes(name)) {
                issues.push(issue(argumentPath, `${call.name} has no parameter "${name}" (parameters: ${parameters.join(", ")})`));
            }
            if (typeof matcher === "object" && matcher !== null && "regex" in matcher) {
                compileRegex(matcher.regex, [...argumentPath, "regex"], issues);
            }
        }
    });
    if (expect.content?.regex !== undefined)
        compileRegex(expect.content.regex, [...path, "content", "regex"], issues);
}
/** Applies the file's defaults to a case and checks it; undefined when it has no model. */
function resolveCase(file, parsed, entry, path, issues) {
    const defaults = parsed.defaults ?? {};
    const repeat = entry.repeat ?? defaults.repeat ?? 1;
    const pass = entry.pass ?? defaults.pass ?? "all";
    const inherited = entry.pass === undefined ? " (from defaults)" : "";
    if (pass !== "all" && entry.critical) {
        issues.push(issue([...path, "pass"], `a critical case must pass every run (pass: all), got at_least ${pass.at_least}${inherited}`));
    }
    else if (pass !== "all" && pass.at_least > repeat) {
        issues.push(issue([...path, "pass"], `at_least ${pass.at_least}${inherited} is more than repeat ${repeat}`));
    }
    const last = entry.messages.at(-1);
    if (last !== undefined && last.role !== "user" && last.role !== "tool") {
        issues.push(issue([...path, "messages", entry.messages.length - 1, "role"], `the last message must be from the user or a tool, got ${last.role}`));
    }
    if (entry.tools !== undefined)
        checkTools(entry.tools, [...path, "tools"], issues);
    const model = entry.model ?? defaults.model;
    if (model === undefined) {
        issues.push(issue([...path, "model"], "no model: set model here or defaults.model"));
        return undefined;
    }
    const testCase = {
        id: entry.id,
        file,
        model,
        messages: entry.messages,
        tools: entry.tools ?? parsed.tools ?? [],
        request: { ...defaults.request, ...entry.request },
        repeat,
        pass,
        critical: entry.critical,
        expect: entry.expect,
        budgets: entry.budgets ?? {},
    };
    checkExpectation(testCase, entry.tools === undefined, [...path, "expect"], issues);
    return testCase;
}
/** Parses and checks one case file; `file` is how messages name it. */
function parseCaseFile(text, file) {
    let read;
    try {
        read = readYaml(text, file);
    }
    catch (error) {
        if (error instanceof YamlSyntaxError)
            throw new CaseFileError(error.message);
        throw error;
    }
    const { source } = read;
    const result = CaseFileSchema.safeParse(read.value ?? {});
    if (!result.success)
        throw new CaseFileError(describeAll(source, result.error.issues));
    const parsed = result.data;
    const issues = [];
    if (parsed.tools !== undefined)
        checkTools(parsed.tools, ["tools"], issues);
    const firstIndexOf = new Map();
    const cases = parsed.cases.flatMap((entry, index) => {
        const earlier = firstIndexOf.get(entry.id);
        if (earlier === undefined)
            firstIndexOf.set(entry.id, index);
        else
            issues.push(issue(["cases", index, "id"], `also defined in ${locate(source, ["cases", earlier, "id"])}`));
        return resolveCase(file, parsed, entry, ["cases", index], issues) ?? [];
    });
    const load = resolveLoadSection(file, parsed, {
        report: (path, message) => issues.push(issue(path, message)),
        tools: (tools, path) => checkTools(tools, path, issues),
        expectation: (testCase, usesFileTools, path) => checkExpectation(testCase, usesFileTools, path, issues),
    });
    if (issues.length > 0)
        throw new CaseFileError(describeAll(source, issues));
    return {
        file,
        ...(parsed.warmups === undefined ? {} : { warmups: parsed.warmups }),
        budgets: parsed.budgets ?? {},
        cases,
        ...(load === undefined ? {} : { load }),
        source,
    };
}
const DEFAULT_WARMUPS = 1;
/**
 * Loads every case file into one suite: ids must be unique across files, and files that give the same budget or
 * warm-up count must agree. All files' errors are reported together.
 */
function loadCaseSuite(files) {
    if (files.length === 0)
        throw new CaseFileError("no case files");
    const errors = [];
    const caseFiles = files.flatMap(({ file, text }) => {
        try {
            return [parseCaseFile(text, file)];
        }
        catch (error) {
            if (!(error instanceof CaseFileError))
                throw error;
            errors.push(error.message);
            return [];
        }
    });
    if (errors.length > 0)
        throw new CaseFileError(errors.join("\n"));
    const issues = new Map(caseFiles.map((f) => [f, []]));
    const report = (caseFile, path, message) => issues.get(caseFile)?.push(issue(path, message));
    const caseOwners = new Map();
    for (const caseFile of caseFiles) {
        caseFile.cases.forEach((testCase, index) => {
            const owner = caseOwners.get(testCase.id);
            if (owner === undefined)
                caseOwners.set(testCase.id, { caseFile, index });
            else
                report(caseFile, ["cases", index, "id"], `also defined in ${locate(owner.caseFile.source, ["cases", owner.index, "id"])}`);
        });
    }
    const modelBudgets = {};
    const budgetOwners = new Map();
    for (const caseFile of caseFiles) {
        for (const [model, budgets] of Object.entries(caseFile.budgets)) {
            const earlier = modelBudgets[model] ?? {};
            for (const metric of Object.keys(budgets)) {
                const key = JSON.stringify([model, metric]);
                const owner = budgetOwners.get(key);
                if (owner === undefined)
                    budgetOwners.set(key, caseFile);
                else if (!(0,external_node_util_.isDeepStrictEqual)(earlier[metric], budgets[metric])) {
                    const elsewhere = `${JSON.stringify(earlier[metric])} in ${locate(owner.source, ["budgets", model, metric])}`;
                    report(caseFile, ["budgets", model, metric], `${JSON.stringify(budgets[metric])} conflicts with ${elsewhere}`);
                }
            }
            modelBudgets[model] = { ...budgets, ...earlier };
        }
    }
    const cases = caseFiles.flatMap((f) => f.cases);
    const models = [...new Set(cases.map((c) => c.model))];
    for (const caseFile of caseFiles) {
        // A budget for a model no case runs would never be checked: most likely a typo in the model name.
        for (const model of Object.keys(caseFile.budgets).filter((m) => !models.includes(m))) {
            report(caseFile, ["budgets", model], `no case uses this model (models: ${models.join(", ")})`);
        }
    }
    const warmupsOwner = caseFiles.find((f) => f.warmups !== undefined);
    for (const caseFile of caseFiles) {
        if (warmupsOwner === undefined || caseFile.warmups === undefined || caseFile.warmups === warmupsOwner.warmups)
            continue;
        report(caseFile, ["warmups"], `${caseFile.warmups} conflicts with ${warmupsOwner.warmups} in ${locate(warmupsOwner.source, ["warmups"])}`);
    }
    const load = mergeLoadSections(loadSections(caseFiles, report));
    for (const [caseFile, found] of issues)
        if (found.length > 0)
            errors.push(describeAll(caseFile.source, found));
    if (errors.length > 0)
        throw new CaseFileError(errors.join("\n"));
    const suite = { cases, modelBudgets, warmups: warmupsOwner?.warmups ?? DEFAULT_WARMUPS };
    return load === undefined ? suite : { ...suite, load };
}
/** The files' `load:` sections, each with where its problems go and how to point at its lines. */
const loadSections = (caseFiles, report) => caseFiles.flatMap((caseFile) => caseFile.load === undefined
    ? []
    : [{ section: caseFile.load, report: report.bind(null, caseFile), locate: locate.bind(null, caseFile.source) }]);

;// CONCATENATED MODULE: ./src/io/http.ts
/**
 * What any HTTP response from a registry or an Ollama server may cost us: bodies are read up to a limit (a
 * hostile or broken server can send gigabytes where kilobytes are due), and text from a server is clipped
 * before it reaches a message, a log or a report.
 */
class ResponseTooLargeError extends Error {
}
/** Bytes a manifest, a token or an API answer may take; Ollama's and OCI manifests are a few kilobytes. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** How much of a server's error text a message quotes. */
const QUOTED_TEXT_CHARS = 300;
/** A server's text quoted in a message: at most `max` characters, the cut marked with `note` (the full length). */
function clipQuoted(text, max = QUOTED_TEXT_CHARS, note = `${text.length.toLocaleString("en-US")} characters`) {
    return text.length <= max ? text : `${text.slice(0, max)}… (${note})`;
}
/** A Content-Length that is a plain non-negative integer, else undefined (absent or malformed). */
function contentLength(headers) {
    const value = headers.get("content-length");
    if (value === null || value === undefined)
        return undefined;
    return /^\d{1,15}$/.test(value.trim()) ? Number(value) : Number.NaN;
}
/** The body's bytes, failing as soon as it passes `max` (announced or sent). */
async function readCappedBytes(response, max, what) {
    const announced = contentLength(response.headers);
    if (announced !== undefined && (Number.isNaN(announced) || announced > max)) {
        await response.body?.cancel();
        throw new ResponseTooLargeError(Number.isNaN(announced)
            ? `${what}: the server sent an invalid Content-Length ${JSON.stringify(response.headers.get("content-length"))}`
            : `${what}: the server announced ${announced} bytes, more than the ${max} allowed`);
    }
    const chunks = [];
    let total = 0;
    if (response.body === null)
        return new Uint8Array(0);
    const reader = response.body.getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        total += value.length;
        if (total > max) {
            await reader.cancel();
            throw new ResponseTooLargeError(`${what}: the response passed the ${max} bytes allowed`);
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks);
}
async function readCappedText(response, max, what) {
    return new TextDecoder().decode(await readCappedBytes(response, max, what));
}
const ERROR_BODY_BYTES = 64 * 1024;
/** A server's error text for a message: its first 64 KiB at most (the rest is never read), clipped. */
async function errorText(response) {
    if (response.body === null)
        return "";
    const reader = response.body.getReader();
    const chunks = [];
    let total = 0;
    let more = false;
    for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done || value === undefined)
            break;
        chunks.push(value);
        total += value.length;
        if (total > ERROR_BODY_BYTES) {
            more = true;
            await reader.cancel().catch(() => { });
            break;
        }
    }
    const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES)).trim();
    return more ? clipQuoted(text, QUOTED_TEXT_CHARS, "more than 64 KiB") : clipQuoted(text);
}

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./node_modules/openai/index.mjs + 152 modules
var openai = __webpack_require__(3674);
;// CONCATENATED MODULE: ./src/smoke/chat.ts
/**
 * Chat requests over Ollama's OpenAI-compatible `/v1`, through the `openai` SDK, exactly as the voice agent calls
 * the model (its Python twin, `AsyncOpenAI(base_url=.../v1)`), so a wire-format change that breaks the agent
 * breaks the smoke. Timings come from the chunk arrivals as the SDK yields them.
 *
 * Every request is bounded: a server that stalls mid-stream, drops the connection or sends a malformed chunk
 * ends in an Observation with `error` set, never a hang.
 */




/** A reply longer than this is not a voice agent's answer but a runaway (or hostile) server. */
const MAX_REPLY_CHARS = 1024 * 1024;
const roundMs = (ms) => Math.round(ms * 100) / 100;
/** What went wrong with a request, in one line of bounded length (a server's error body can be megabytes). */
function describeFailure(error) {
    if (error instanceof openai/* default.APIError */.Ay.APIError && error.status !== undefined) {
        return `HTTP ${error.status}: ${clipQuoted(error.message.replace(/^\d+\s*/, ""))}`;
    }
    if (error instanceof SyntaxError)
        return `malformed chunk (not JSON): ${clipQuoted(error.message)}`;
    const [message, ...causes] = causeChain(error).map((part) => clipQuoted(part));
    return causes.length > 0 ? `connection failed: ${message} (${causes.join(": ")})` : (message ?? String(error));
}
/** The /v1 body for one request: every sampling setting explicit, since /v1 replaces omitted ones with 1.0. */
function openAiBody(request, stream) {
    return {
        model: request.model,
        messages: request.messages,
        ...(request.tools.length > 0 ? { tools: request.tools } : {}),
        ...request.request,
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
    };
}
/**
 * The two limits on a stream: the whole request's, and the idle gap between chunks (re-armed on every chunk).
 * The SDK's own timeout ends once the headers arrive: a model that never stops (no max_tokens) keeps a stream
 * busy forever without these.
 */
function streamLimits(timeouts) {
    const controller = new AbortController();
    let cut;
    const abort = (why) => () => {
        cut = why;
        controller.abort();
    };
    const whole = setTimeout(abort("overran"), timeouts.requestMs);
    let idle;
    const rearm = () => {
        clearTimeout(idle);
        idle = setTimeout(abort("stalled"), timeouts.idleMs);
    };
    rearm();
    return {
        signal: controller.signal,
        rearm,
        /** Which limit ended the stream, if one did. */
        cut: () => cut,
        stop: () => {
            clearTimeout(idle);
            clearTimeout(whole);
        },
    };
}
/** Adds one chunk arriving `at` ms to the observation; true when it carried tokens. */
function addChunk(observation, chunk, at, calls) {
    observation.ttfcMs ??= at;
    if (chunk.usage?.completion_tokens !== undefined)
        observation.completionTokens = chunk.usage.completion_tokens;
    const choice = chunk.choices[0];
    if (choice === undefined)
        return false;
    if (choice.finish_reason)
        observation.finishReason = choice.finish_reason;
    const delta = choice.delta;
    let carriesTokens = false;
    if (delta.reasoning) {
        observation.tReasoningMs ??= at;
        observation.reasoning += delta.reasoning;
        carriesTokens = true;
    }
    if (delta.content) {
        observation.ttftMs ??= at;
        observation.content += delta.content;
        carriesTokens = true;
    }
    if (observation.content.length + observation.reasoning.length > MAX_REPLY_CHARS) {
        throw new Error(`the reply passed ${MAX_REPLY_CHARS} characters`);
    }
    for (const [position, call] of (delta.tool_calls ?? []).entries()) {
        observation.tToolMs ??= at;
        const index = call.index ?? position;
        const known = calls.get(index) ?? { name: "", arguments: "" };
        known.name += call.function?.name ?? "";
        known.arguments += call.function?.arguments ?? "";
        calls.set(index, known);
        carriesTokens = true;
    }
    if (carriesTokens)
        observation.e2eMs = at;
    return carriesTokens;
}
async function streamed(sdk, timeouts, request, observation) {
    const started = external_node_perf_hooks_.performance.now();
    const limits = streamLimits(timeouts);
    const calls = new Map();
    let tokenChunks = 0;
    try {
        const stream = await sdk.chat.completions.create(openAiBody(request, true), { signal: limits.signal });
        for await (const chunk of stream) {
            const at = roundMs(external_node_perf_hooks_.performance.now() - started);
            limits.rearm();
            if (addChunk(observation, chunk, at, calls))
                tokenChunks += 1;
        }
        // The SDK ends quietly when its request is aborted: a stall looks like a normal end without this.
        if (limits.cut() !== undefined)
            throw new Error("aborted");
        if (observation.finishReason === undefined) {
            throw new Error(`the stream ended without a finish_reason after ${tokenChunks} token chunk(s)`);
        }
    }
    catch (error) {
        const cut = limits.cut();
        if (cut === "stalled") {
            observation.error = `stalled: no chunk for ${timeouts.idleMs} ms after ${tokenChunks} token chunk(s)`;
        }
        else if (cut === "overran") {
            observation.error = `still streaming after ${timeouts.requestMs} ms (${tokenChunks} token chunks)`;
        }
        else
            observation.error = describeFailure(error);
    }
    finally {
        limits.stop();
    }
    observation.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    observation.completionTokens ??= tokenChunks;
}
async function whole(sdk, timeouts, request, observation) {
    const started = external_node_perf_hooks_.performance.now();
    // The SDK's own timeout ends at the headers: a body that stalls after them needs a deadline of its own.
    const deadline = AbortSignal.timeout(timeouts.requestMs);
    try {
        const completion = await sdk.chat.completions.create(openAiBody(request, false), { timeout: timeouts.requestMs, signal: deadline });
        const at = roundMs(external_node_perf_hooks_.performance.now() - started);
        const choice = completion.choices[0];
        const message = choice?.message;
        observation.ttfcMs = at;
        observation.e2eMs = at;
        observation.content = message?.content ?? "";
        observation.reasoning = message?.reasoning ?? "";
        observation.toolCalls = (message?.tool_calls ?? []).flatMap((call) => call.type === "function" ? [{ name: call.function.name, arguments: call.function.arguments }] : []);
        if (choice?.finish_reason)
            observation.finishReason = choice.finish_reason;
        if (completion.usage !== undefined)
            observation.completionTokens = completion.usage.completion_tokens;
    }
    catch (error) {
        observation.error = deadline.aborted
            ? `no complete answer within ${timeouts.requestMs} ms (not streamed)`
            : describeFailure(error);
    }
}
/** Sends chat requests to `{base}/v1`; a request's failure is in the observation, never thrown. */
function openAiChat(base, timeouts) {
    const sdk = new openai/* default */.Ay({
        baseURL: `${base}/v1`,
        apiKey: "ollama",
        // A retry would hide the failure and fold its time into the measurement.
        maxRetries: 0,
        timeout: timeouts.requestMs,
        logLevel: "off",
    });
    return async (request, stream) => {
        const observation = { stream, content: "", reasoning: "", toolCalls: [] };
        await (stream ? streamed : whole)(sdk, timeouts, request, observation);
        return observation;
    };
}

;// CONCATENATED MODULE: ./src/smoke/client.ts
/**
 * The smoke stage's one seam to the Ollama server. Chat requests go over the OpenAI-compatible API (chat.ts); the
 * native API adds what /v1 does not expose (decode and prefill durations, load time, memory) and lists models.
 * Every request is bounded in time and size: a server that stalls or answers otherwise ends in an error that
 * says so in one line, never a hang.
 */





const DEFAULT_TIMEOUTS = { idleMs: 30_000, requestMs: 120_000, loadMs: 120_000, apiMs: 30_000 };
/** The parts of Ollama's answers the smoke reads, checked: a server that answers otherwise says so in one line. */
const VersionSchema = schemas/* object */.Ikc({ version: schemas/* string */.YjP() });
const TagsSchema = schemas/* object */.Ikc({ models: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP() })) });
const nonNegative = schemas/* number */.aig().nonnegative();
const PsSchema = schemas/* object */.Ikc({
    models: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP(), size: nonNegative, size_vram: nonNegative, context_length: nonNegative.optional() })),
});
const NativeChatSchema = schemas/* object */.Ikc({
    total_duration: nonNegative.optional(),
    eval_count: nonNegative.optional(),
    eval_duration: nonNegative.optional(),
    prompt_eval_count: nonNegative.optional(),
    prompt_eval_duration: nonNegative.optional(),
    load_duration: nonNegative.optional(),
});
/** The native /api/chat body for the same request: thinking is `think`, max_tokens is `num_predict`. */
function nativeBody(request) {
    const { temperature, top_p, seed, max_tokens, reasoning_effort } = request.request;
    const options = Object.fromEntries(Object.entries({ temperature, top_p, seed, num_predict: max_tokens }).filter(([, v]) => v !== undefined));
    return {
        model: request.model,
        messages: request.messages.map((message) => message.role === "assistant" && message.tool_calls !== undefined
            ? {
                ...message,
                tool_calls: message.tool_calls.map((call) => ({
                    function: { name: call.function.name, arguments: JSON.parse(call.function.arguments) },
                })),
            }
            : message),
        ...(request.tools.length > 0 ? { tools: request.tools } : {}),
        ...(reasoning_effort === undefined ? {} : { think: reasoning_effort === "none" ? false : reasoning_effort }),
        options,
        stream: false,
    };
}
/**
 * A JSON answer of the expected shape, within the time limit (headers and body) and the size limit; errors name
 * the request and say what was wrong.
 */
async function fetchJson(base, route, schema, init, timeoutMs) {
    const what = `${init?.method ?? "GET"} ${base}${route}`;
    try {
        const response = await fetch(`${base}${route}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok)
            throw new Error(`HTTP ${response.status}: ${await errorText(response)}`);
        const text = await readCappedText(response, MAX_JSON_BYTES, "the answer");
        let json;
        try {
            json = JSON.parse(text);
        }
        catch {
            throw new Error(`not JSON: ${clipQuoted(JSON.stringify(text))}`);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success)
            throw new Error(`an unexpected answer: ${clipQuoted(describeIssues(parsed.error).replace(/\n/g, "; "))}`);
        return parsed.data;
    }
    catch (error) {
        if (error.name === "TimeoutError")
            throw new Error(`${what}: no complete answer within ${timeoutMs} ms`);
        throw new Error(`${what}: ${causeChain(error)
            .map((part) => clipQuoted(part, 1000))
            .join(": ")}`);
    }
}
/** Decode speed, prefill time and evaluated prompt tokens from a native answer's counters (ns durations). */
function timingsOf(body) {
    const timings = {};
    if (body.eval_count !== undefined && body.eval_duration) {
        timings.decodeTps = (body.eval_count / body.eval_duration) * 1e9;
    }
    if (body.prompt_eval_duration !== undefined)
        timings.prefillMs = roundMs(body.prompt_eval_duration / 1e6);
    if (body.prompt_eval_count !== undefined)
        timings.promptTokens = body.prompt_eval_count;
    return timings;
}
function ollamaClient(endpoint, timeouts = DEFAULT_TIMEOUTS) {
    const base = endpoint.replace(/\/+$/, "");
    const get = (route, schema) => fetchJson(base, route, schema, undefined, timeouts.apiMs);
    const post = (route, schema, body, timeoutMs = timeouts.requestMs) => fetchJson(base, route, schema, { method: "POST", body: JSON.stringify(body) }, timeoutMs);
    return {
        endpoint: base,
        version: async () => (await get("/api/version", VersionSchema)).version,
        models: async () => (await get("/api/tags", TagsSchema)).models.map((m) => m.name),
        loaded: async () => (await get("/api/ps", PsSchema)).models,
        load: async (model) => {
            // A load-only request (an empty prompt) reports no durations; a one-token chat reports load_duration.
            const loadRequest = {
                model,
                messages: [{ role: "user", content: "Olá" }],
                think: false,
                options: { num_predict: 1 },
                stream: false,
            };
            const body = await post("/api/chat", NativeChatSchema, loadRequest, timeouts.loadMs);
            return { loadMs: body.load_duration === undefined ? undefined : roundMs(body.load_duration / 1e6) };
        },
        chat: openAiChat(base, timeouts),
        nativeChat: (request) => post("/api/chat", NativeChatSchema, nativeBody(request)),
        nativeTimings: async (request) => timingsOf(await post("/api/chat", NativeChatSchema, nativeBody(request))),
    };
}

// EXTERNAL MODULE: ./src/io/exec.ts
var exec = __webpack_require__(9867);
;// CONCATENATED MODULE: ./src/smoke/container.ts
/**
 * Boots a built image for the smoke: `docker run` on a host port Docker picks (no race for a "free" port),
 * with the GPUs when the host has them, then polls /api/version until the server answers. The container is
 * always removed; when anything fails its last log lines go into the error.
 */


/** The host's NVIDIA GPUs, from nvidia-smi (absent or failing: none). */
async function detectGpus(run) {
    try {
        const result = await run("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"]);
        if (result.exitCode !== 0)
            return undefined;
        const names = Buffer.from(result.stdout)
            .toString("utf8")
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean);
        return names.length > 0 ? { names } : undefined;
    }
    catch {
        return undefined;
    }
}
/** Host GPU memory in use (MiB, all GPUs), as the runner host sees it: the container cannot. */
async function gpuMemoryUsedMib(run) {
    const result = await run("nvidia-smi", ["--query-gpu=memory.used", "--format=csv,noheader,nounits"]);
    if (result.exitCode !== 0)
        return undefined;
    const values = Buffer.from(result.stdout).toString("utf8").split("\n").map(Number).filter(Number.isFinite);
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
}
const OLLAMA_PORT = 11434;
function dockerRunArgv(input) {
    return [
        "run",
        "--detach",
        "--name",
        input.name,
        "--publish",
        `127.0.0.1::${OLLAMA_PORT}`,
        ...(input.gpus ? ["--gpus", "all"] : []),
        ...input.env.flatMap(([key, value]) => ["--env", `${key}=${value}`]),
        input.image,
    ];
}
/** `docker port` prints `127.0.0.1:49153` (and maybe an IPv6 line). */
function parsePublishedPort(output) {
    const match = /:(\d+)\s*$/m.exec(output.trim().split("\n")[0] ?? "");
    if (match === null)
        throw new Error(`could not read the published port from docker port: ${output.trim()}`);
    return Number(match[1]);
}
class ContainerError extends Error {
    logs;
    constructor(message, logs) {
        super(logs.length > 0 ? `${message}\nlast container log lines:\n${logs.join("\n")}` : message);
        this.logs = logs;
    }
}
async function containerLogs(run, container, lines) {
    const result = await run("docker", ["logs", "--tail", String(lines), container]);
    // docker logs replays the container's stdout and stderr on its own; the interleaving between them is lost.
    return `${Buffer.from(result.stdout).toString("utf8")}${result.stderr}`.split("\n").filter((l) => l.length > 0);
}
async function answers(url) {
    try {
        return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
    }
    catch {
        return false;
    }
}
async function bootImage(run, input, options) {
    const started = external_node_perf_hooks_.performance.now();
    const created = await run("docker", dockerRunArgv(input));
    if (created.exitCode !== 0) {
        // `docker run` can create the container and then fail to start it (no GPU runtime, a port in use).
        await run("docker", ["rm", "--force", input.name]);
        // Docker's error is its first paragraph (a usage hint follows it).
        const reason = created.stderr
            .trim()
            .split(/\n\s*\n/)[0]
            ?.replace(/^docker: /, "") ?? "";
        throw new ContainerError(`${input.image}: docker run failed: ${reason}`, []);
    }
    const container = Buffer.from(created.stdout).toString("utf8").trim();
    const server = {
        endpoint: "",
        container,
        serverReadyMs: 0,
        logs: (lines = 50) => containerLogs(run, container, lines),
        remove: async () => {
            await run("docker", ["rm", "--force", "--volumes", container]);
        },
    };
    const stoppedEarly = async () => {
        const state = (await (0,exec/* runChecked */.X4)(run, "docker", ["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container])).trim();
        const [status, exitCode] = state.split(" ");
        return status === "running"
            ? undefined
            : new Error(`the container stopped (${status}, exit code ${exitCode}) before the server answered`);
    };
    try {
        // A container that exits at once has no published port to ask about: say that it exited.
        const published = await run("docker", ["port", container, `${OLLAMA_PORT}/tcp`]);
        if (published.exitCode !== 0)
            throw (await stoppedEarly()) ?? new Error(published.stderr.trim());
        server.endpoint = `http://127.0.0.1:${parsePublishedPort(Buffer.from(published.stdout).toString("utf8"))}`;
        const deadline = started + options.readyTimeoutMs;
        let checkedState = started;
        while (!(await answers(`${server.endpoint}/api/version`))) {
            const now = external_node_perf_hooks_.performance.now();
            if (now > deadline)
                throw new Error(`the server did not answer within ${options.readyTimeoutMs} ms`);
            if (now - checkedState > 1000) {
                checkedState = now;
                const stopped = await stoppedEarly();
                if (stopped !== undefined)
                    throw stopped;
            }
            await new Promise((resolve) => setTimeout(resolve, options.pollEveryMs ?? 100));
        }
        server.serverReadyMs = Math.round(external_node_perf_hooks_.performance.now() - started);
        return server;
    }
    catch (error) {
        const logs = await server.logs().catch(() => []);
        await server.remove();
        throw new ContainerError(`${input.image}: ${error.message}`, logs);
    }
}

;// CONCATENATED MODULE: ./src/smoke/load-native.ts
/**
 * Ollama's own durations of a request under load, from the native /api/chat: the OpenAI-compatible API the agent
 * uses reports none. What they mean, from Ollama 0.24.0's source and checked against a real server:
 *
 * - `load_duration` runs from the request's arrival until the scheduler hands it a runner (server/routes.go:
 *   `checkpointLoaded` right after `scheduleRunner`). For a model that is loaded the scheduler answers at once
 *   (server/sched.go `GetRunner` → `useLoadedRunner`), so it stays near zero however many requests queue: it is
 *   the scheduler's wait (a load, an eviction, another model's load ahead of it), not the queue for a slot.
 * - The wait for one of the OLLAMA_NUM_PARALLEL slots comes after it (llm/server.go `Completion`:
 *   `s.sem.Acquire`), and the runner's `prompt_eval_duration` and `eval_duration` start once a slot is held. So
 *   the queue wait is what the total leaves: total − load − prompt evaluation − decoding. That also holds
 *   rendering the template and tokenising (a few ms on an idle server) and, on a busy runner, the wait to join
 *   its next batch: all of it time the caller waits before the model starts on the prompt.
 *
 * Measured on Ollama 0.24.0 (OLLAMA_NUM_PARALLEL=1, two requests at once for a loaded model): load_duration
 * 2 ms and 7 ms, the remainder 13 ms for the first and 6.6 s for the second, which waited for the first's 6.5 s.
 * test/real-ollama/load.real.test.ts checks it on every run: four conversations on two slots queue for seconds
 * while load_duration stays at a few ms.
 */


const ms = (ns) => (ns ?? 0) / 1e6;
function durationsOf(body) {
    const accounted = ms(body.load_duration) + ms(body.prompt_eval_duration) + ms(body.eval_duration);
    return {
        native: timingsOf(body),
        // Each duration is rounded to the nanosecond on its own: a few ns below zero is no wait at all.
        queueWaitMs: roundMs(Math.max(0, ms(body.total_duration) - accounted)),
        loadDurationMs: roundMs(ms(body.load_duration)),
    };
}
/** The same request over the native API, within the client's request time limit; an error says what went wrong. */
async function nativeDurations(client, request) {
    try {
        return durationsOf(await client.nativeChat(request));
    }
    catch (error) {
        throw new Error(`native /api/chat: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/smoke/match.ts
/**
 * Checks one run of a smoke case against its expectation: pure, no I/O. The tool calls are checked as the
 * Berkeley Function-Calling Leaderboard does (tool-calls.ts); the spoken content here.
 */

/**
 * Why one run failed (both lists empty: it passed). `nonStreamRun` is the same request without streaming, for a
 * case that compares the two.
 */
function checkRun(testCase, run, nonStreamRun) {
    if (run.error !== undefined)
        return { tools: [`request failed: ${run.error}`], content: [] };
    const { expect } = testCase;
    const compared = expect.stream_matches_nonstream && nonStreamRun !== undefined;
    return {
        tools: [
            ...toolCallFailures(testCase.tools, expect, run.toolCalls),
            ...(compared ? sameCallsFailures(run.toolCalls, nonStreamRun) : []),
        ],
        content: expect.content === undefined ? [] : checkContent(expect.content, run.content),
    };
}
/** Long answers are cut in messages: the report shows the reason, not the whole answer. */
function quote(text) {
    const limit = 200;
    return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}…` : text);
}
function checkContent(expected, content) {
    // Answers often end in a newline; trimming keeps `equals` and an anchored `regex` about the words.
    const text = content.trim();
    const lowered = text.toLowerCase();
    const failures = [];
    if (expected.equals !== undefined && text !== expected.equals.trim()) {
        failures.push(`content is ${quote(text)}, expected ${quote(expected.equals)}`);
    }
    if (expected.regex !== undefined && !new RegExp(expected.regex).test(text)) {
        failures.push(`content ${quote(text)} does not match /${expected.regex}/`);
    }
    if (expected.one_of !== undefined) {
        const normalized = normalizeForComparison(text);
        if (!expected.one_of.some((option) => normalizeForComparison(option) === normalized)) {
            failures.push(`content ${quote(text)} is not one of ${listValues(expected.one_of)}`);
        }
    }
    for (const needle of expected.contains ?? []) {
        if (!lowered.includes(needle.toLowerCase()))
            failures.push(`content does not contain ${JSON.stringify(needle)}`);
    }
    for (const needle of expected.not_contains ?? []) {
        if (lowered.includes(needle.toLowerCase()))
            failures.push(`content contains ${JSON.stringify(needle)}`);
    }
    if (expected.max_words !== undefined) {
        const words = text === "" ? 0 : text.split(/\s+/).length;
        if (words > expected.max_words)
            failures.push(`content has ${words} words (max ${expected.max_words})`);
    }
    return failures;
}

;// CONCATENATED MODULE: ./src/smoke/metrics.ts
function nearestRank(sorted, quantile) {
    const index = Math.max(0, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.min(index, sorted.length - 1)];
}
const round = (value) => Math.round(value * 100) / 100;
/** The values sorted, and their nearest-rank quantiles rounded to 0.01 (what every figure of the report shows). */
function quantilesOf(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return { sorted, at: (quantile) => round(nearestRank(sorted, quantile)) };
}
function distribution(values) {
    if (values.length === 0)
        return undefined;
    const { sorted, at } = quantilesOf(values);
    return {
        n: sorted.length,
        p50: at(0.5),
        p90: at(0.9),
        // With fewer than 20 samples the 95th percentile is the maximum: reporting it would claim a precision
        // the run does not have.
        ...(sorted.length >= 20 ? { p95: at(0.95) } : {}),
        min: round(sorted[0]),
        max: round(sorted[sorted.length - 1]),
    };
}
/**
 * The per-run value of each metric, undefined where the run did not produce it (no content → no TTFT; a failed
 * request → nothing). tpot_ms is the time per output token after the first: (e2e − first token) / (tokens − 1).
 */
function runMetrics(run) {
    const { observation: o, native } = run;
    if (o.error !== undefined)
        return {};
    return measure(o, native);
}
function measure(o, native) {
    const firstToken = [o.tReasoningMs, o.ttftMs, o.tToolMs].filter((t) => t !== undefined);
    const start = firstToken.length > 0 ? Math.min(...firstToken) : undefined;
    const tokens = o.completionTokens ?? 0;
    const answered = [o.ttftMs, o.tToolMs].filter((t) => t !== undefined);
    const answer = answered.length > 0 ? Math.min(...answered) : undefined;
    return {
        ttft_ms: o.ttftMs,
        ttfc_ms: o.ttfcMs,
        t_tool_ms: o.tToolMs,
        e2e_ms: o.e2eMs,
        tpot_ms: start !== undefined && o.e2eMs !== undefined && tokens > 1 ? round((o.e2eMs - start) / (tokens - 1)) : undefined,
        decode_tps: native?.decodeTps === undefined ? undefined : round(native.decodeTps),
        prefill_ms: native?.prefillMs,
        // The prompt tokens Ollama evaluated: far fewer than the prompt has when its prefix was cached.
        prompt_tokens: native?.promptTokens,
        // What thinking cost before the first word or tool call, whichever came first.
        reasoning_ms: o.tReasoningMs !== undefined && answer !== undefined && o.tReasoningMs < answer
            ? round(answer - o.tReasoningMs)
            : undefined,
    };
}
function samplesOf(slots) {
    const measured = slots.map((run) => (run === undefined ? {} : runMetrics(run)));
    const keys = new Set(measured.flatMap((metrics) => Object.keys(metrics)));
    const samples = {};
    for (const key of keys) {
        if (measured.some((metrics) => metrics[key] !== undefined)) {
            samples[key] = measured.map((metrics) => metrics[key] ?? null);
        }
    }
    return samples;
}
/** The values a sample holds, without its empty slots. */
const valuesOf = (sample) => (sample ?? []).filter((value) => value !== null);
function aggregate(runs) {
    const result = {};
    for (const [name, sample] of Object.entries(samplesOf(runs))) {
        const d = distribution(valuesOf(sample));
        if (d !== undefined)
            result[name] = d;
    }
    return result;
}

;// CONCATENATED MODULE: ./src/smoke/load-conversation.ts



/** The model's reply as the next request's history has it; tool calls get ids the tool messages answer. */
function assistantMessage(observation, turn) {
    return {
        role: "assistant",
        ...(observation.content === "" && observation.toolCalls.length > 0 ? {} : { content: observation.content }),
        ...(observation.toolCalls.length === 0
            ? {}
            : {
                tool_calls: observation.toolCalls.map((call, index) => ({
                    id: `call_${turn}_${index}`,
                    type: "function",
                    function: { name: call.name, arguments: call.arguments },
                })),
            }),
    };
}
const toolMessages = (observation, turn, result) => observation.toolCalls.map((_, index) => ({ role: "tool", content: result, tool_call_id: `call_${turn}_${index}` }));
function figuresOf(observation, durations) {
    const perRequest = runMetrics({ observation, ...(durations === undefined ? {} : { native: durations.native }) });
    const figures = {
        ttft_ms: perRequest.ttft_ms,
        t_tool_ms: perRequest.t_tool_ms,
        e2e_ms: perRequest.e2e_ms,
        decode_tps: perRequest.decode_tps,
        queue_wait_ms: durations?.queueWaitMs,
        load_duration_ms: durations?.loadDurationMs,
    };
    return Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== undefined));
}
/** Runs one conversation to its end, or to its first wrong reply or failed request. */
async function runConversation(client, script) {
    const messages = [...script.messages];
    const figures = [];
    for (const [index, turn] of script.turns.entries()) {
        const where = `turn ${index + 1}`;
        if (turn.user !== undefined)
            messages.push({ role: "user", content: turn.user });
        const request = {
            model: script.model,
            messages: [...messages],
            tools: script.tools,
            request: script.request,
        };
        const observation = await client.chat(request, true);
        const { tools, content } = checkRun(turn.check, observation);
        if (observation.error !== undefined)
            return { script, figures, failure: `${where}: ${tools.join("; ")}` };
        let durations;
        try {
            durations = await nativeDurations(client, request);
        }
        catch (error) {
            figures.push(figuresOf(observation, undefined));
            return { script, figures, failure: `${where}: ${error.message}` };
        }
        figures.push(figuresOf(observation, durations));
        const reasons = [...tools, ...content];
        if (reasons.length > 0)
            return { script, figures, failure: `${where}: ${reasons.join("; ")}` };
        messages.push(assistantMessage(observation, index + 1));
        if (turn.toolResult !== undefined)
            messages.push(...toolMessages(observation, index + 1, turn.toolResult));
    }
    return { script, figures };
}

;// CONCATENATED MODULE: ./src/smoke/load-judge.ts
/**
 * The load's figures and verdict (pure): per model, the quantiles of each metric over every reply under load,
 * the budgets judged against the slow tail (load-report.ts says which), and one failure line per eviction, per
 * kind of failed conversation and per missed budget.
 */



function loadDistribution(values) {
    if (values.length === 0)
        return undefined;
    const { at } = quantilesOf(values);
    return { n: values.length, p5: at(0.05), p50: at(0.5), p95: at(0.95) };
}
const load_judge_withUnit = (value, unit) => `${budgets_formatNumber(value)}${unit === "ms" ? " ms" : ""}`;
/** `ttft_ms p95 912 ms > budget 800 ms under load (+112 ms)`; a budget with nothing measured is missed too. */
function missedLoadBudgets(budgets, metrics) {
    return Object.entries(budgets).flatMap(([key, limit]) => {
        if (limit === undefined)
            return [];
        const measured = metrics[key];
        if (measured === undefined)
            return [`${key}: no request under load measured it, so its budget cannot be met`];
        const { unit, better } = LOAD_METRICS[key];
        const tail = tailOf(key);
        const value = measured[tail];
        if (!missesBudget(better, value, limit))
            return [];
        const subject = `${key} ${tail} ${load_judge_withUnit(value, unit)}`;
        return better === "lower"
            ? [`${subject} > budget ${load_judge_withUnit(limit, unit)} under load (+${load_judge_withUnit(value - limit, unit)})`]
            : [`${subject} < budget ${load_judge_withUnit(limit, unit)} under load (−${load_judge_withUnit(limit - value, unit)})`];
    });
}
/** One model's figures over its conversations, judged against its budgets under load. */
function modelUnderLoad(results, budgets = {}) {
    const figures = results.flatMap((result) => result.figures);
    const metrics = {};
    for (const key of LOAD_METRIC_KEYS) {
        const distribution = loadDistribution(figures.flatMap((f) => (f[key] === undefined ? [] : [f[key]])));
        if (distribution !== undefined)
            metrics[key] = distribution;
    }
    return {
        conversations: results.length,
        conversations_passed: results.filter((result) => result.failure === undefined).length,
        requests: figures.length,
        metrics,
        budgets,
        budget_failures: missedLoadBudgets(budgets, metrics),
    };
}
const evictionLine = (eviction, samples) => `${eviction.model} must stay resident but was not loaded ${eviction.at_ms} ms into the load ` +
    `(/api/ps listed: ${eviction.loaded_then.join(", ") || "nothing"}; missing in ${eviction.missing_samples} of ${samples} samples)`;
/** Failed conversations, one line per script and reason: `conversation transfer (agent) failed 3 of 10 times: turn 2: …`. */
function conversationFailureLines(results) {
    const byScript = Map.groupBy(results, (result) => result.script);
    return [...byScript].flatMap(([script, runs]) => {
        const reasons = Map.groupBy(runs.filter((run) => run.failure !== undefined), (run) => run.failure);
        return [...reasons].map(([reason, failed]) => `conversation ${script.id} (${script.model}) failed ${failed.length} of ${runs.length} times: ${reason}`);
    });
}
/** Every model the load touches, resident ones first, each once. */
const modelsOf = (profile) => [
    ...new Set([...profile.resident, ...profile.scripts.map((script) => script.model)]),
];

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/project/tree.ts
/**
 * A read-only view of the project's files at one point in time: the working tree, or a git commit (for
 * "what did this model hash to on the base branch"). Paths are POSIX, relative to the project root, so the
 * same inputs give the same hashes on every OS.
 */





const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Whether a `path.relative` result leaves its base (`..lora.gguf` does not; `../x` does). */
function leavesBase(relative) {
    return relative === ".." || relative.startsWith(`..${(external_node_path_default()).sep}`) || external_node_path_default().isAbsolute(relative);
}
/** `a/b/../c` → `a/c`; undefined when the path climbs above the root. */
function normaliseRelative(posixPath) {
    const parts = [];
    for (const part of posixPath.split("/")) {
        if (part === "" || part === ".")
            continue;
        if (part === "..") {
            if (parts.length === 0)
                return undefined;
            parts.pop();
        }
        else {
            parts.push(part);
        }
    }
    return parts.join("/");
}
class WorkingTree {
    label;
    root;
    realRoot;
    constructor(root) {
        this.root = external_node_path_default().resolve(root);
        this.label = this.root;
    }
    absolute(file) {
        return external_node_path_default().join(this.root, ...file.split("/"));
    }
    display(file) {
        return this.absolute(file);
    }
    /** Every file below `dir`, and every link below it that leads out of the project. */
    async walk(dir) {
        const files = [];
        const outside = [];
        const walk = async (relative) => {
            const entries = await (0,promises_.readdir)(this.absolute(relative), { withFileTypes: true });
            for (const entry of entries) {
                const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
                if (entry.isDirectory()) {
                    // .git is never part of a commit's tree either: both trees list the same files.
                    if (entry.name !== ".git")
                        await walk(child);
                }
                else if (entry.isFile()) {
                    files.push(child);
                }
                else if (entry.isSymbolicLink()) {
                    const type = await this.entryType(child);
                    if (type === "file")
                        files.push(child);
                    else if (type === "outside")
                        outside.push(child);
                }
            }
        };
        if ((await this.entryType(dir)) === "directory")
            await walk(normaliseRelative(dir) ?? "");
        return { files: files.sort(byCodeUnit), outside: outside.sort(byCodeUnit) };
    }
    async listFiles(dir) {
        return (await this.walk(dir)).files;
    }
    async listLinksOutside(dir) {
        return (await this.walk(dir)).outside;
    }
    async readFile(file) {
        return (0,promises_.readFile)(this.absolute(file));
    }
    async sha256(file) {
        const hash = (0,external_node_crypto_.createHash)("sha256");
        for await (const chunk of (0,external_node_fs_.createReadStream)(this.absolute(file)))
            hash.update(chunk);
        return hash.digest("hex");
    }
    async entryType(file) {
        const absolute = this.absolute(file);
        try {
            await (0,promises_.lstat)(absolute);
        }
        catch {
            return undefined;
        }
        let target;
        try {
            target = await (0,promises_.realpath)(absolute);
        }
        catch {
            return undefined; // a dangling link
        }
        this.realRoot ??= (0,promises_.realpath)(this.root);
        const relative = external_node_path_default().relative(await this.realRoot, target);
        if (leavesBase(relative))
            return "outside";
        return (await (0,promises_.stat)(target)).isDirectory() ? "directory" : "file";
    }
}
/** The tree of one git commit, read with `git ls-tree` and `git cat-file` (nothing is checked out). */
class GitTree {
    run;
    repository;
    revision;
    prefix;
    label;
    entries;
    constructor(run, repository, revision, 
    /** The project root's path inside the repository (`""` when they are the same). */
    prefix) {
        this.run = run;
        this.repository = repository;
        this.revision = revision;
        this.prefix = prefix;
        this.label = `git ${revision}`;
    }
    display(file) {
        return `${this.revision}:${this.prefix === "" ? file : `${this.prefix}/${file}`}`;
    }
    load() {
        this.entries ??= (0,exec/* runChecked */.X4)(this.run, "git", ["ls-tree", "-r", "-z", "--full-tree", this.revision], {
            cwd: this.repository,
        }).then((listing) => {
            const entries = new Map();
            for (const record of listing.split("\0")) {
                const tab = record.indexOf("\t");
                if (tab < 0)
                    continue;
                const [mode = "", , object = ""] = record.slice(0, tab).split(" ");
                const full = record.slice(tab + 1);
                if (this.prefix !== "" && !full.startsWith(`${this.prefix}/`))
                    continue;
                entries.set(this.prefix === "" ? full : full.slice(this.prefix.length + 1), { mode, object });
            }
            return entries;
        });
        return this.entries;
    }
    async listFiles(dir) {
        const base = normaliseRelative(dir) ?? "";
        const files = [];
        for (const [file, entry] of await this.load()) {
            if (entry.mode === "160000")
                continue; // submodule
            if ((base === "" || file.startsWith(`${base}/`)) && (await this.entryType(file)) === "file")
                files.push(file);
        }
        return files.sort(byCodeUnit);
    }
    async listLinksOutside(dir) {
        const base = normaliseRelative(dir) ?? "";
        const links = [];
        for (const [file, entry] of await this.load()) {
            if (entry.mode !== "120000" || !(base === "" || file.startsWith(`${base}/`)))
                continue;
            if ((await this.resolveLinks(file)) === undefined)
                links.push(file);
        }
        return links.sort(byCodeUnit);
    }
    /**
     * `git cat-file --filters` gives the bytes a checkout would: line endings converted and LFS pointers
     * smudged as configured, so the base side hashes what the working tree side does.
     */
    async catFile(file, onStdout) {
        const resolved = await this.resolveLinks(file);
        if (resolved === undefined || !(await this.load()).has(resolved)) {
            throw new Error(`${file} does not exist at ${this.revision}`);
        }
        const full = this.prefix === "" ? resolved : `${this.prefix}/${resolved}`;
        const result = await this.run("git", ["cat-file", "--filters", `${this.revision}:${full}`], {
            cwd: this.repository,
            ...(onStdout === undefined ? {} : { onStdout }),
        });
        if (result.exitCode !== 0)
            throw new Error(`cannot read ${file} at ${this.revision}: ${result.stderr.trim()}`);
        return result.stdout;
    }
    async readFile(file) {
        return this.catFile(file);
    }
    async sha256(file) {
        const hash = (0,external_node_crypto_.createHash)("sha256");
        await this.catFile(file, (chunk) => hash.update(chunk));
        return hash.digest("hex");
    }
    async entryType(file) {
        const resolved = await this.resolveLinks(file);
        if (resolved === undefined)
            return "outside";
        const entries = await this.load();
        if (entries.has(resolved))
            return "file";
        const prefix = resolved === "" ? "" : `${resolved}/`;
        for (const key of entries.keys())
            if (key.startsWith(prefix))
                return "directory";
        return undefined;
    }
    /**
     * Follows symbolic links (stored as blobs holding the target) up to a depth Linux also allows; undefined
     * when a link leads out of the project (or loops).
     */
    async resolveLinks(file) {
        let current = normaliseRelative(file);
        for (let depth = 0; depth < 40 && current !== undefined; depth++) {
            const entry = (await this.load()).get(current);
            if (entry?.mode !== "120000")
                return current;
            const target = Buffer.from((await this.run("git", ["cat-file", "blob", entry.object], { cwd: this.repository })).stdout).toString("utf8");
            if (target.startsWith("/"))
                break;
            current = normaliseRelative(`${external_node_path_default().posix.dirname(current)}/${target}`);
        }
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/project/model-ref.ts
/**
 * Model names as Ollama reads them (`[host/][namespace/]model[:tag]`, tag `latest` when omitted, compared
 * case-insensitively) and what a FROM/ADAPTER/DRAFT value refers to.
 */

const DEFAULT_REGISTRY_HOST = "registry.ollama.ai";
const DEFAULT_NAMESPACE = "library";
function parseModelRef(value) {
    const slash = value.lastIndexOf("/");
    const last = value.slice(slash + 1);
    const colon = last.indexOf(":");
    const model = colon < 0 ? last : last.slice(0, colon);
    const tag = colon < 0 ? undefined : last.slice(colon + 1);
    const scope = slash < 0 ? [] : value.slice(0, slash).split("/");
    const namespace = scope.length > 0 ? scope.pop() : DEFAULT_NAMESPACE;
    const host = scope.length > 0 ? scope.join("/") : DEFAULT_REGISTRY_HOST;
    return { host, namespace, model, tag };
}
/**
 * Ollama's rule for each part of a name (types/model/name.go isValidPart): 1 to 80 characters (a host up to
 * 350), the first a letter, digit or '_', the rest also '-' and '.', but no '.' in a namespace; ':' only in a
 * host (its port). Bytes, not characters: anything outside ASCII is refused.
 */
function isValidPart(kind, part) {
    const max = kind === "host" ? 350 : 80;
    if (part.length < 1 || part.length > max)
        return false;
    const rest = kind === "host" ? "A-Za-z0-9_.:-" : kind === "namespace" ? "A-Za-z0-9_-" : "A-Za-z0-9_.-";
    return new RegExp(`^[A-Za-z0-9_][${rest}]*$`).test(part);
}
/**
 * Whether Ollama accepts `value` as a model name (ParseName, then IsValid): the tag is what follows the last ':'
 * when that comes after the last '/'; a missing host, namespace or tag takes Ollama's default, an empty one
 * (`a//b`, `a:`) is refused, and so is anything with control characters, spaces or other separators.
 */
function isValidOllamaName(value) {
    let rest = value;
    let tag = "latest";
    if (rest.lastIndexOf(":") > rest.lastIndexOf("/")) {
        tag = rest.slice(rest.lastIndexOf(":") + 1);
        rest = rest.slice(0, rest.lastIndexOf(":"));
    }
    const parts = rest.split("/");
    const model = parts.pop();
    const namespace = parts.length > 0 ? parts.pop() : DEFAULT_NAMESPACE;
    // What is left is the host, which may carry a scheme: `https://host`.
    const host = parts.length > 0 ? parts.join("/").replace(/^[^/]*:\/\//, "") : DEFAULT_REGISTRY_HOST;
    return (isValidPart("host", host) &&
        isValidPart("namespace", namespace) &&
        isValidPart("model", model) &&
        isValidPart("tag", tag));
}
/** `qwen3:4b` → `registry.ollama.ai/library/qwen3:4b`: one spelling per model, for hashing and matching. */
function canonicalModelRef(value) {
    const ref = parseModelRef(value);
    return `${ref.host}/${ref.namespace}/${ref.model}:${ref.tag ?? "latest"}`.toLowerCase();
}
/** Library models that think by default (Ollama ≥ 0.12.4), which no Modelfile instruction can switch off. */
const THINKING_MODELS = new Set([
    "qwen3",
    "deepseek-r1",
    "qwq",
    "gpt-oss",
    "magistral",
    "phi4-reasoning",
    "phi4-mini-reasoning",
]);
function isThinkingModel(ref) {
    if (!THINKING_MODELS.has(ref.model.toLowerCase()))
        return false;
    return !(ref.tag ?? "").toLowerCase().includes("instruct");
}
const LOCAL_MODEL_SUFFIXES = [".gguf", ".safetensors", ".bin"];
/** Values Ollama resolves as a path from the Modelfile's directory (absolute, home or relative). */
function looksLikePath(value) {
    return (value.startsWith("./") ||
        value.startsWith("../") ||
        value.startsWith("/") ||
        value.startsWith("\\") ||
        value.startsWith("~") ||
        value === "." ||
        value === ".." ||
        LOCAL_MODEL_SUFFIXES.some((suffix) => value.toLowerCase().endsWith(suffix)));
}
/**
 * Where a FROM/ADAPTER/DRAFT value points, relative to the project root. `modelfileDir` is the Modelfile's
 * directory relative to the root. Paths are read as Ollama reads them on Linux, where images are built: a
 * backslash is part of a file name, but a leading one makes the path absolute (Ollama's expandPath).
 */
function resolveReference(value, modelfileDir) {
    if (value.startsWith("/") || value.startsWith("\\") || value.startsWith("~"))
        return { kind: "escapes" };
    const joined = normaliseRelative(`${modelfileDir}/${value}`);
    return joined === undefined ? { kind: "escapes" } : { kind: "inside", path: joined };
}

;// CONCATENATED MODULE: ./src/smoke/run.ts
/**
 * One case's runs and how they are judged: a streamed request (and its non-streamed twin when the case compares
 * them), the native API's timings for the same request, the case's verdict, and a model's figures and budgets.
 * session.ts puts them in order.
 */




const MIB = 1024 * 1024;
/** Ollama lists `name:latest` for a model created as `name`: compare names as Ollama does. */
const sameModel = (a, b) => canonicalModelRef(a) === canonicalModelRef(b);
/** Why a model cannot be smoked on a server that lists `available` (/api/tags); undefined when it is there. */
function missingModel(available, model) {
    if (available.some((name) => sameModel(name, model)))
        return undefined;
    return `model ${model} is not on the server (it has: ${available.join(", ") || "no models"})`;
}
const requestOf = (testCase) => ({
    model: testCase.model,
    messages: testCase.messages,
    tools: testCase.tools,
    request: testCase.request,
});
/** The first case's request with the caller's words replaced: warms the model and the shared prefix only. */
const warmupRequest = (testCase) => ({
    ...requestOf(testCase),
    messages: [
        ...testCase.messages.filter((m) => m.role === "system"),
        { role: "user", content: "Olá! Só testando a linha, tudo bem?" },
    ],
});
const checksTools = (testCase) => testCase.expect.tool_calls !== undefined || testCase.expect.no_tool_call === true;
const passedRun = (failures) => failures.tools.length === 0 && failures.content.length === 0 && failures.timing.length === 0;
function casePassed(testCase, runs, passes) {
    if (testCase.critical || testCase.pass === "all")
        return passes === runs;
    return passes >= Math.min(testCase.pass.at_least, runs);
}
const percent = (part, whole) => Math.round((part / whole) * 1000) / 10;
/** Samples GPU memory until stopped; resolves to the highest reading. */
function sampleWhile(sampler, everyMs) {
    if (sampler === undefined)
        return async () => undefined;
    let highest;
    let running = true;
    const loop = (async () => {
        while (running) {
            const reading = await sampler().catch(() => undefined);
            if (reading !== undefined)
                highest = Math.max(highest ?? 0, reading);
            await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
    })();
    return async () => {
        running = false;
        await loop;
        return highest;
    };
}
/** One streamed run (and its non-streamed twin when the case compares them); timings come later. */
async function streamedRun(client, entry) {
    const request = requestOf(entry.testCase);
    const observation = await client.chat(request, true);
    const nonStream = entry.testCase.expect.stream_matches_nonstream ? await client.chat(request, false) : undefined;
    entry.runs.push({ observation });
    entry.failures.push({ ...checkRun(entry.testCase, observation, nonStream), timing: [] });
}
/** The native API's durations for the same request, added to the run; a failure fails the run. */
async function addNativeTimings(client, entry) {
    const run = entry.runs.at(-1);
    if (run.observation.error !== undefined)
        return;
    try {
        run.native = await client.nativeTimings(requestOf(entry.testCase));
    }
    catch (error) {
        entry.failures.at(-1).timing.push(`native /api/chat failed: ${error.message}`);
    }
}
function reasonsWithRuns(failures) {
    // One line per distinct reason, naming the runs it happened in (a flaky case shows which).
    const runsByReason = new Map();
    failures.forEach(({ tools, content, timing }, run) => {
        for (const reason of [...tools, ...content, ...timing]) {
            runsByReason.set(reason, [...(runsByReason.get(reason) ?? []), run + 1]);
        }
    });
    return [...runsByReason].map(([reason, runs]) => `${reason} (run${runs.length > 1 ? "s" : ""} ${runs.join(", ")} of ${failures.length})`);
}
function caseReport(entry, budgetFailures) {
    const { testCase, failures } = entry;
    const passes = failures.filter(passedRun).length;
    return {
        id: testCase.id,
        model: testCase.model,
        file: testCase.file,
        critical: testCase.critical,
        passed: casePassed(testCase, failures.length, passes) && budgetFailures.length === 0,
        runs: failures.length,
        passes,
        flaky: passes > 0 && passes < failures.length,
        failures: [...reasonsWithRuns(failures), ...budgetFailures],
    };
}
/** Tool accuracy counts the tool-call checks only: a too-long answer is a content failure, not a wrong call. */
function toolAccuracy(entries) {
    const runs = entries.filter((e) => checksTools(e.testCase)).flatMap((e) => e.failures);
    return runs.length === 0 ? undefined : percent(runs.filter((f) => f.tools.length === 0).length, runs.length);
}
function memoryOf(loaded, gpuUsedMib) {
    if (loaded === undefined && gpuUsedMib === undefined)
        return undefined;
    // A model /api/ps did not list has no size: nothing is recorded rather than a measured-looking zero.
    return {
        ...(loaded === undefined ? {} : { size_bytes: loaded.size, size_vram_bytes: loaded.size_vram }),
        ...(loaded?.context_length === undefined ? {} : { context_length: loaded.context_length }),
        ...(gpuUsedMib === undefined ? {} : { gpu_used_mib: gpuUsedMib }),
    };
}
/** Every case of a model fails with one reason: the model is missing, or it could not be loaded or run. */
function failedModel(model, cases, reason) {
    return {
        report: { metrics: {}, reasoning_runs: 0, budgets: {}, budget_failures: [] },
        cases: cases.map((c) => ({
            id: c.id,
            model,
            file: c.file,
            critical: c.critical,
            passed: false,
            runs: 0,
            passes: 0,
            flaky: false,
            failures: [reason],
        })),
        failures: [reason],
    };
}
/** The budgets' keys a source gave: those must be met by data, where a default only judges what was measured. */
const budgetKeys = (budgets) => Object.keys(budgets);
/** Judges the model and each case against their budgets; `vramMib` is the model's own VRAM, when loaded. */
function judge(model, report, entries, vramMib, suite, options) {
    const own = (record) => record !== undefined && Object.hasOwn(record, model) ? record[model] : undefined;
    const chosen = mergeBudgets(own(suite.modelBudgets), options.budgets?.all, own(options.budgets?.models));
    const onGpu = (report.memory?.size_vram_bytes ?? 0) > 0;
    report.budgets = mergeBudgets(options.defaultBudgets[onGpu ? "gpu" : "cpu"], chosen);
    const subject = {
        metrics: report.metrics,
        tool_accuracy_pct: report.tool_accuracy_pct,
        vram_mib: vramMib,
    };
    report.budget_failures = missedBudgets(report.budgets, subject, budgetKeys(chosen));
    const caseResults = entries.map((entry) => {
        const caseSubject = { metrics: aggregate(entry.runs), tool_accuracy_pct: toolAccuracy([entry]), vram_mib: vramMib };
        const budgetFailures = missedBudgets(entry.testCase.budgets, caseSubject, budgetKeys(entry.testCase.budgets));
        return { report: caseReport(entry, budgetFailures), budgetFailures };
    });
    const failures = [
        ...report.budget_failures.map((f) => `${model}: ${f}`),
        ...caseResults
            .filter(({ report: c, budgetFailures }) => !c.passed && (c.critical || budgetFailures.length > 0))
            .map(({ report: c }) => `${c.critical ? "critical case" : "case"} ${c.id} (${model}) failed: ${c.failures.join("; ")}`),
    ];
    return { report, cases: caseResults.map((c) => c.report), failures };
}
/** A model's figures from its runs, judged against its budgets. */
function modelResult(model, runs, suite, options) {
    const report = { metrics: {}, reasoning_runs: 0, budgets: {}, budget_failures: [] };
    if (runs.loadMs !== undefined)
        report.load_ms = runs.loadMs;
    const allRuns = runs.entries.flatMap((e) => e.runs);
    report.metrics = aggregate(allRuns);
    report.reasoning_runs = allRuns.filter((r) => r.observation.reasoning !== "").length;
    const accuracy = toolAccuracy(runs.entries);
    if (accuracy !== undefined)
        report.tool_accuracy_pct = accuracy;
    const memory = memoryOf(runs.loaded, runs.gpuUsedMib);
    if (memory !== undefined)
        report.memory = memory;
    // The model's own VRAM (Ollama's figure): the host's reading includes every other model still loaded.
    return judge(model, report, runs.entries, runs.loaded && runs.loaded.size_vram / MIB, suite, options);
}

;// CONCATENATED MODULE: ./src/smoke/load-residency.ts
/**
 * Which models stayed loaded during the load: /api/ps is sampled every few hundred ms while the conversations
 * run. A model that must stay resident and is missing from a sample was evicted (Ollama unloads one to make room
 * for another when OLLAMA_MAX_LOADED_MODELS or memory runs out, and a reload costs the caller seconds); the first
 * sample that missed it dates the eviction. The samples also give the memory the models take together.
 */


const listed = (sample, model) => sample.loaded.some((m) => sameModel(m.name, model));
/** What the samples say about the resident models (pure). */
function residencyOf(samples, resident) {
    const evictions = resident.flatMap((model) => {
        const missing = samples.filter((sample) => !listed(sample, model));
        const first = missing[0];
        if (first === undefined)
            return [];
        const loadedThen = first.loaded.map((m) => m.name);
        return [{ model, at_ms: Math.round(first.atMs), missing_samples: missing.length, loaded_then: loadedThen }];
    });
    let residentMemory;
    const sizes = new Map();
    for (const sample of samples) {
        for (const model of sample.loaded)
            sizes.set(model.name, model);
        if (!resident.every((model) => listed(sample, model)))
            continue;
        const size = sample.loaded.reduce((sum, m) => sum + m.size, 0);
        const vram = sample.loaded.reduce((sum, m) => sum + m.size_vram, 0);
        if (residentMemory === undefined || size > residentMemory.size_bytes) {
            residentMemory = { size_bytes: size, size_vram_bytes: vram };
        }
    }
    return { samples: samples.length, evictions, ...(residentMemory === undefined ? {} : { residentMemory }), sizes };
}
/** The resident model's figures, however /api/ps spells its name. */
const sizeOf = (residency, model) => [...residency.sizes].find(([name]) => sameModel(name, model))?.[1];
/**
 * Samples /api/ps from now until stopped (once more at the end, so even a short load has a closing sample);
 * `clock` gives ms since the load started.
 */
function watchResidency(client, resident, everyMs, clock) {
    const samples = [];
    const errors = [];
    const sample = async () => {
        try {
            const loaded = await client.loaded();
            samples.push({ atMs: clock(), loaded });
        }
        catch (error) {
            errors.push(`GET /api/ps failed ${Math.round(clock())} ms into the load: ${error.message}`);
        }
    };
    const stopped = new AbortController();
    const loop = (async () => {
        while (!stopped.signal.aborted) {
            await sample();
            await (0,external_node_timers_promises_.setTimeout)(everyMs, undefined, { signal: stopped.signal }).catch(() => undefined);
        }
    })();
    return {
        async stop() {
            stopped.abort();
            await loop;
            await sample();
            return { ...residencyOf(samples, resident), errors };
        },
    };
}

;// CONCATENATED MODULE: ./src/smoke/load.ts
/**
 * A smoke shaped like production: the case files' `load:` scripts run as concurrent conversations (as many at
 * once as the server serves, OLLAMA_NUM_PARALLEL, unless the files say otherwise), while /api/ps is sampled to
 * prove the models that must stay resident together do. What it measures per model: TTFT and time to a tool call
 * through the same streaming client the agent uses, decode speed and queue wait from each request's native twin
 * (load-native.ts says why the queue wait is not `load_duration`), the memory the models take together, and when
 * a resident model was evicted. Budgets under load bound the slow tail (p95).
 */





/** With no setting and no image to ask: Ollama's usual OLLAMA_NUM_PARALLEL for a voice agent and a classifier. */
const DEFAULT_LOAD_CONCURRENCY = 2;
const DEFAULT_SAMPLE_EVERY_MS = 250;
function concurrencyOf(profile, given) {
    if (profile.concurrency !== undefined)
        return { concurrency: profile.concurrency, from: "case files" };
    if (given !== undefined && given > 0)
        return { concurrency: given, from: "image" };
    return { concurrency: DEFAULT_LOAD_CONCURRENCY, from: "default" };
}
/** The next script to start, the scripts in turn, until the count is reached or the time is up. */
function dispatcher(profile, clock) {
    let started = 0;
    return () => {
        const { extent } = profile;
        const more = "conversations" in extent ? started < extent.conversations : clock() < extent.durationMs;
        if (!more)
            return undefined;
        return profile.scripts[started++ % profile.scripts.length];
    };
}
/** Loads every model the load needs (each once, resident ones first); what fails is a failure line. */
async function loadModels(client, profile, log) {
    const available = await client.models();
    const failures = [];
    for (const model of modelsOf(profile)) {
        const missing = missingModel(available, model);
        if (missing !== undefined) {
            failures.push(missing);
            continue;
        }
        await client.load(model).then(({ loadMs }) => log(`load: ${model} loaded (${loadMs ?? "?"} ms)`), (error) => failures.push(`model ${model} could not be loaded: ${error.message}`));
    }
    return failures;
}
/** Runs the conversations, `concurrency` at a time; each worker starts the next script when its own ends. */
async function converse(client, profile, concurrency, clock, options) {
    const log = options.log ?? (() => { });
    const next = dispatcher(profile, clock);
    const results = [];
    const worker = async () => {
        for (let script = next(); script !== undefined; script = next()) {
            const result = await runConversation(client, script);
            results.push(result);
            const verdict = result.failure === undefined ? "pass" : `FAIL: ${result.failure}`;
            log(`load: ${script.id} (${script.model}) at ${Math.round(clock())} ms: ${verdict}`);
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
}
function report(profile, setting, results, residency, timing) {
    const models = {};
    for (const model of modelsOf(profile)) {
        const own = results.filter((result) => result.script.model === model);
        const size = sizeOf(residency, model);
        models[model] = {
            ...modelUnderLoad(own, profile.budgets[model]),
            ...(size === undefined ? {} : { size_bytes: size.size, size_vram_bytes: size.size_vram }),
        };
    }
    const failures = [
        ...timing.failures,
        ...residency.evictions.map((eviction) => evictionLine(eviction, residency.samples)),
        ...residency.errors,
        ...conversationFailureLines(results),
        ...Object.entries(models).flatMap(([model, figures]) => figures.budget_failures.map((f) => `${model}: ${f}`)),
    ];
    return {
        passed: failures.length === 0,
        failures,
        concurrency: setting.concurrency,
        concurrency_from: setting.from,
        conversations: results.length,
        conversations_passed: results.filter((result) => result.failure === undefined).length,
        duration_ms: Math.round(timing.durationMs),
        resident: profile.resident,
        samples: residency.samples,
        sample_every_ms: timing.sampleEveryMs,
        ...(residency.residentMemory === undefined ? {} : { resident_memory: residency.residentMemory }),
        evictions: residency.evictions,
        models,
    };
}
/** The load profile's run against a server; undefined when the case files have no `load:` section. */
async function runLoadProfile(client, suite, options = {}) {
    const profile = suite.load;
    if (profile === undefined)
        return undefined;
    const log = options.log ?? (() => { });
    const setting = concurrencyOf(profile, options.concurrency);
    const sampleEveryMs = options.sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS;
    const extent = "conversations" in profile.extent
        ? `${profile.extent.conversations} conversations`
        : `${profile.extent.durationMs / 1000} s`;
    log(`load: ${extent}, ${setting.concurrency} at a time (${setting.from}); resident: ${profile.resident.join(", ") || "none"}`);
    const failures = await loadModels(client, profile, log);
    const started = external_node_perf_hooks_.performance.now();
    const clock = () => external_node_perf_hooks_.performance.now() - started;
    const watch = watchResidency(client, profile.resident, sampleEveryMs, clock);
    const results = await converse(client, profile, setting.concurrency, clock, options).catch(async (error) => {
        // The sampler must not keep polling the server after the smoke, whatever happened.
        await watch.stop();
        throw error;
    });
    const durationMs = clock();
    const residency = await watch.stop();
    return report(profile, setting, results, residency, { durationMs, sampleEveryMs, failures });
}
/** Puts the load's report into the smoke report; a load that failed fails the smoke, its reasons marked. */
function attachLoadReport(smoke, load) {
    if (load === undefined)
        return;
    smoke.load = load;
    smoke.failures.push(...load.failures.map((failure) => `under load: ${failure}`));
    smoke.passed = smoke.passed && load.passed;
}

;// CONCATENATED MODULE: ./src/smoke/session.ts


class CaseSession {
    suite;
    options;
    cases;
    runs = new Map();
    failed = new Map();
    sampling = new Map();
    server;
    log;
    constructor(suite, options) {
        this.suite = suite;
        this.options = options;
        this.cases =
            options.repeat === undefined ? suite.cases : suite.cases.map((c) => ({ ...c, repeat: options.repeat }));
        this.log = options.log ?? (() => { });
    }
    /** The suite's models, with their cases, in the order the case files name them. */
    models() {
        return Map.groupBy(this.cases, (c) => c.model);
    }
    /** How many rounds a model's cases take (its longest repeat). */
    rounds(model) {
        return Math.max(...(this.models().get(model) ?? []).map((c) => c.repeat));
    }
    /** Meets a server: the first one is the report's; a model the server lacks fails its cases. */
    async connect(client) {
        this.server ??= { endpoint: client.endpoint, ollama_version: await client.version() };
        const available = await client.models();
        for (const model of this.models().keys()) {
            const missing = missingModel(available, model);
            if (missing !== undefined && !this.failed.has(model))
                this.failed.set(model, missing);
        }
    }
    /** Whether the model is still being smoked (not missing, nothing failed). */
    active(model) {
        return !this.failed.has(model);
    }
    /** One model that cannot be loaded or run (out of memory, a broken blob) must not hide the others' results. */
    fail(model, error) {
        if (!this.failed.has(model))
            this.failed.set(model, `model ${model} could not be smoked: ${error.message}`);
    }
    /** Loads the model cold unless the server has it (timing only the first load), then the warm-ups. */
    async prepare(client, model) {
        const cases = this.models().get(model) ?? [];
        let runs = this.runs.get(model);
        if (runs === undefined) {
            runs = { entries: cases.map((testCase) => ({ testCase, runs: [], failures: [] })) };
            this.runs.set(model, runs);
        }
        if (!(await client.loaded()).some((m) => sameModel(m.name, model))) {
            const { loadMs } = await client.load(model);
            if (runs.loadMs === undefined && loadMs !== undefined)
                runs.loadMs = loadMs;
            this.log(`${model}: loaded in ${loadMs ?? "?"} ms`);
        }
        for (let i = 0; i < this.suite.warmups; i++)
            await client.chat(warmupRequest(cases[0]), true);
        this.sampling.set(model, sampleWhile(this.options.gpuMemory, this.options.sampleEveryMs ?? 500));
    }
    /** How many of the model's cases still repeat in this round: the round's steps. */
    steps(model, round) {
        return this.entriesIn(model, round).length;
    }
    entriesIn(model, round) {
        return (this.runs.get(model)?.entries ?? []).filter((e) => round < e.testCase.repeat);
    }
    /** The round's `step`-th case, streamed: its timed run. */
    async streamed(client, model, round, step) {
        await streamedRun(client, this.entriesIn(model, round)[step]);
    }
    /** The round's `step`-th case, its native timings after the whole round was streamed; then its verdict logged. */
    async native(client, model, round, step) {
        const entry = this.entriesIn(model, round)[step];
        await addNativeTimings(client, entry);
        const failures = entry.failures.at(-1);
        const { observation } = entry.runs.at(-1);
        const first = observation.ttftMs ?? observation.tToolMs;
        const verdict = passedRun(failures)
            ? "pass"
            : `FAIL: ${[...failures.tools, ...failures.content, ...failures.timing].join("; ")}`;
        this.log(`${model}: ${entry.testCase.id} ${round + 1}/${entry.testCase.repeat} ${verdict}${first === undefined ? "" : ` (${first} ms)`}`);
    }
    /** One round: a streamed run of each case still repeating, then their native timings, each logged. */
    async round(client, model, round) {
        const steps = this.steps(model, round);
        for (let step = 0; step < steps; step++)
            await this.streamed(client, model, round, step);
        for (let step = 0; step < steps; step++)
            await this.native(client, model, round, step);
    }
    /** The end of a model's time on a server: what /api/ps lists for it, and the GPU's highest reading. */
    async finish(client, model) {
        const runs = this.runs.get(model);
        const gpu = await this.sampling.get(model)?.();
        if (runs === undefined)
            return;
        if (gpu !== undefined)
            runs.gpuUsedMib = Math.max(runs.gpuUsedMib ?? 0, gpu);
        const loaded = (await client.loaded()).find((m) => sameModel(m.name, model));
        if (loaded !== undefined)
            runs.loaded = loaded;
    }
    /**
     * Runs a share of every model's rounds on one server: `share` is the part of them, `[0, 1]` all of them,
     * `[0, 0.5]` the first half (by each model's own count).
     */
    async run(client, share = [0, 1]) {
        await this.connect(client);
        for (const model of this.models().keys()) {
            if (!this.active(model))
                continue;
            const rounds = this.rounds(model);
            try {
                await this.prepare(client, model);
                for (let round = Math.floor(rounds * share[0]); round < Math.floor(rounds * share[1]); round++) {
                    await this.round(client, model, round);
                }
                await this.finish(client, model);
            }
            catch (error) {
                this.fail(model, error);
            }
        }
    }
    results() {
        const results = new Map();
        for (const [model, cases] of this.models()) {
            const reason = this.failed.get(model);
            const runs = this.runs.get(model);
            results.set(model, reason !== undefined || runs === undefined
                ? failedModel(model, cases, reason ?? `model ${model} was not smoked`)
                : modelResult(model, runs, this.suite, this.options));
        }
        return results;
    }
    report() {
        if (this.server === undefined)
            throw new Error("the smoke never reached a server");
        const report = {
            passed: true,
            failures: [],
            environment: { ...this.options.environment, ...this.server },
            models: {},
            cases: [],
        };
        for (const [model, result] of this.results()) {
            report.models[model] = result.report;
            // A server elsewhere says where it put each model: on a GPU when any of it is in VRAM.
            if ((result.report.memory?.size_vram_bytes ?? 0) > 0)
                report.environment.gpu = true;
            report.cases.push(...result.cases);
            report.failures.push(...result.failures);
        }
        report.passed = report.failures.length === 0;
        return report;
    }
    /**
     * Per model, the per-request values of every metric (what a paired comparison tests), one slot per case and
     * round in a fixed order, so two sessions of one suite line up slot by slot whatever either one failed to run.
     */
    samples() {
        const slots = (runs) => runs.entries.flatMap((e) => Array.from({ length: e.testCase.repeat }, (_, round) => e.runs[round]));
        return Object.fromEntries([...this.runs].map(([model, runs]) => [model, samplesOf(slots(runs))]));
    }
    /** Per model, its resident size (/api/ps) when the server listed it. */
    residentBytes() {
        return Object.fromEntries([...this.runs].map(([model, runs]) => [model, runs.loaded?.size]));
    }
}
/** Runs a case suite against one server and makes the report. */
async function runCases(client, suite, options) {
    const session = new CaseSession(suite, options);
    await session.run(client);
    return session.report();
}

;// CONCATENATED MODULE: ./src/smoke/stage.ts
/** The smoke stage: run the case files against a running server, or boot an image and run them against it. */












const DEFAULT_READY_TIMEOUT_MS = 300_000;
/** The case files in the order given; a folder contributes its YAML files sorted by name. */
async function caseFiles(paths) {
    const files = [];
    for (const given of paths) {
        const info = await (0,promises_.stat)(given).catch(() => {
            throw new Error(`${given}: no such case file or folder`);
        });
        if (!info.isDirectory()) {
            files.push(given);
            continue;
        }
        const names = (await (0,promises_.readdir)(given)).filter((name) => /\.ya?ml$/.test(name)).sort();
        if (names.length === 0)
            throw new Error(`${given}: no case files (*.yaml, *.yml) in this folder`);
        files.push(...names.map((name) => external_node_path_default().join(given, name)));
    }
    return files;
}
async function loadCases(paths, displayRoot) {
    const files = await caseFiles(paths);
    return loadCaseSuite(await Promise.all(files.map(async (file) => ({
        file: external_node_path_default().relative(displayRoot, file).split((external_node_path_default()).sep).join("/"),
        text: await (0,promises_.readFile)(file, "utf8"),
    }))));
}
/**
 * What a smoke's result depends on besides the image: the case files' bytes (in order) and the settings that
 * change what runs or how it is judged. Twelve hex digits of sha256.
 */
async function smokeSettingsDigest(options) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    for (const file of await caseFiles(options.cases)) {
        const relative = external_node_path_default().relative(options.displayRoot, file).split((external_node_path_default()).sep).join("/");
        hash.update(`${relative}\0${(0,external_node_crypto_.createHash)("sha256")
            .update(await (0,promises_.readFile)(file))
            .digest("hex")}\n`);
    }
    // A new version of ollama-build may measure or judge differently: its reports are not reused.
    hash.update(JSON.stringify({ version: version/* VERSION */.x, repeat: options.repeat, gpus: options.gpus, budgets: options.budgets }));
    return hash.digest("hex").slice(0, 12);
}
async function gpusFor(run, mode) {
    if (mode === "none")
        return undefined;
    const detected = await detectGpus(run);
    if (mode === "all" && detected === undefined) {
        throw new Error("gpus: all was asked for, but nvidia-smi finds no GPU on this host");
    }
    return detected;
}
function runnerEnvironment() {
    return {
        os: `${external_node_os_default().type()} ${external_node_os_default().release()}`,
        arch: external_node_os_default().arch(),
        cpus: external_node_os_default().availableParallelism(),
        memory_mib: Math.round(external_node_os_default().totalmem() / 1024 / 1024),
        node: process.version,
    };
}
/**
 * The image's registry digest when the engine knows it (pulled or pushed: RepoDigests), and its local ID.
 * The ID is not the digest a registry serves, so the two are kept apart.
 */
async function imageIdentity(run, image) {
    const result = await run("docker", ["image", "inspect", "--format", "{{json .RepoDigests}} {{.Id}}", image]);
    if (result.exitCode !== 0)
        return {};
    const text = Buffer.from(result.stdout).toString("utf8").trim();
    const [digests, id] = [text.slice(0, text.lastIndexOf(" ")), text.slice(text.lastIndexOf(" ") + 1)];
    const { repository } = splitImageReference(image);
    const digest = JSON.parse(digests)
        ?.find((reference) => reference.startsWith(`${repository}@`))
        ?.slice(repository.length + 1);
    return { ...(digest === undefined ? {} : { image_digest: digest }), ...(id ? { image_id: id } : {}) };
}
async function setUpSmoke(run, options) {
    // Case files are checked before anything boots: a typo should cost a second, not a container start.
    const suite = await loadCases(options.cases, options.displayRoot);
    const caseModels = new Set(suite.cases.map((c) => c.model));
    for (const model of Object.keys(options.budgets?.models ?? {})) {
        if (!caseModels.has(model)) {
            throw new Error(`budgets for ${model}: no case runs that model (cases run ${[...caseModels].join(", ")})`);
        }
    }
    // The GPUs are this host's: they matter when it boots the image, not for a server elsewhere.
    const gpus = "image" in options.target ? await gpusFor(run, options.gpus) : undefined;
    const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    return {
        suite,
        gpus,
        environment: {
            gpu: gpus !== undefined,
            ...(gpus === undefined ? {} : { gpu_names: gpus.names }),
            runner: runnerEnvironment(),
            started_at: new Date().toISOString(),
        },
        readyTimeoutMs,
        // A cold load of a large model from a slow disk may take as long as the server's start; a server given by
        // its endpoint has the ready timeout to answer /api/version, as a booted one has.
        timeouts: options.timeouts ?? {
            ...DEFAULT_TIMEOUTS,
            loadMs: Math.max(DEFAULT_TIMEOUTS.loadMs, readyTimeoutMs),
            apiMs: options.readyTimeoutMs ?? DEFAULT_TIMEOUTS.apiMs,
        },
    };
}
/** The options of the case runs themselves. */
function sessionOptions(run, options, setup, environment) {
    return {
        environment,
        defaultBudgets: DEFAULT_BUDGETS,
        ...(options.budgets === undefined ? {} : { budgets: options.budgets }),
        ...(options.repeat === undefined ? {} : { repeat: options.repeat }),
        ...(setup.gpus === undefined ? {} : { gpuMemory: () => gpuMemoryUsedMib(run) }),
        log: options.log,
    };
}
/** The image's configured OLLAMA_NUM_PARALLEL (its `ENV`), which the load profile runs as many conversations as. */
async function imageNumParallel(run, image) {
    const result = await run("docker", ["image", "inspect", "--format", "{{json .Config.Env}}", image]);
    if (result.exitCode !== 0)
        return undefined;
    const env = JSON.parse(Buffer.from(result.stdout).toString("utf8").trim() || "null");
    const value = env?.findLast((entry) => entry.startsWith("OLLAMA_NUM_PARALLEL="))?.split("=")[1];
    const parallel = Number(value);
    return Number.isInteger(parallel) && parallel > 0 ? parallel : undefined;
}
/**
 * The case files' load profile, after the cases, on the same server (load.ts); undefined when the case files have
 * no `load:` section. attachLoadReport puts it into the smoke's report, where a failed load fails the smoke.
 */
async function smokeUnderLoad(run, client, setup, image, log) {
    if (setup.suite.load === undefined)
        return undefined;
    const concurrency = image === undefined ? undefined : await imageNumParallel(run, image);
    return runLoadProfile(client, setup.suite, {
        ...(concurrency === undefined ? {} : { concurrency }),
        log,
    });
}
async function bootForSmoke(run, image, name, setup, log) {
    const { gpus } = setup;
    log(`booting ${image}${gpus === undefined ? " (CPU)" : ` with ${gpus.names.join(", ")}`}`);
    const server = await bootImage(run, 
    // The smoke loads each model itself so that it can time every cold load.
    { image, name, gpus: gpus !== undefined, env: [["OLLAMA_BUILD_WARMUP", ""]] }, { readyTimeoutMs: setup.readyTimeoutMs });
    log(`server answered after ${server.serverReadyMs} ms at ${server.endpoint}`);
    return {
        server,
        environment: { image, server_ready_ms: server.serverReadyMs, ...(await imageIdentity(run, image)) },
    };
}
/** A container name of this run's own: `docker ps` filters and a cancelled job's clean-up find it. */
const smokeContainerName = (suffix = "") => `ollama-build-smoke-${process.pid}-${Date.now()}${suffix}`;
async function runSmokeStage(run, options) {
    const setup = await setUpSmoke(run, options);
    const name = smokeContainerName();
    let booted;
    // From before `docker run`: a cancelled job must not leave a container holding GPU memory, even mid-boot.
    const stopListening = "image" in options.target ? removeOnSignal(() => run("docker", ["rm", "--force", "--volumes", name])) : () => { };
    try {
        if ("image" in options.target)
            booted = await bootForSmoke(run, options.target.image, name, setup, options.log);
        const endpoint = booted?.server.endpoint ?? options.target.endpoint;
        const environment = { ...setup.environment, ...booted?.environment };
        const client = ollamaClient(endpoint, setup.timeouts);
        const report = await runCases(client, setup.suite, sessionOptions(run, options, setup, environment));
        const image = "image" in options.target ? options.target.image : undefined;
        attachLoadReport(report, await smokeUnderLoad(run, client, setup, image, options.log));
        if (!report.passed && booted !== undefined)
            report.logs = await booted.server.logs();
        return report;
    }
    catch (error) {
        if (booted === undefined)
            throw error;
        throw new ContainerError(error.message, await booted.server.logs().catch(() => []));
    }
    finally {
        stopListening();
        await booted?.server.remove();
    }
}
/**
 * Ctrl-C, or a cancelled workflow job (SIGINT, then SIGTERM): the container goes, and its GPU memory with it.
 * Returns what stops listening.
 */
function removeOnSignal(remove) {
    const removeAndExit = (signal) => {
        void remove().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", removeAndExit);
    process.once("SIGTERM", removeAndExit);
    return () => {
        process.removeListener("SIGINT", removeAndExit);
        process.removeListener("SIGTERM", removeAndExit);
    };
}

;// CONCATENATED MODULE: ./src/project/lockfile.ts
/**
 * `ollama.lock`: every library base model pinned to the manifest it resolved to. Ollama's registry has no
 * pull-by-digest, so the lock keeps the manifest's bytes: fetching writes them back verbatim, and the blobs
 * they list are fetched by digest. The file is committed; its digests are part of the model hashes.
 */





const LOCK_FILE = "ollama.lock";
const LOCK_VERSION = 1;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const LayerSchema = schemas/* object */.Ikc({
    mediaType: schemas/* string */.YjP(),
    digest: schemas/* string */.YjP().regex(DIGEST),
    size: schemas/* number */.aig().int().nonnegative(),
});
/** The part of an Ollama manifest the store needs (Docker image manifest v2, schema 2). */
const OllamaManifestSchema = schemas/* object */.Ikc({
    schemaVersion: schemas/* literal */.euz(2),
    mediaType: schemas/* string */.YjP().optional(),
    config: LayerSchema,
    layers: schemas/* array */.YOg(LayerSchema),
});
const LockEntrySchema = schemas/* strictObject */.rej({
    /** The registry host as Ollama names it (`registry.ollama.ai`). */
    registry: schemas/* string */.YjP().min(1),
    /** `<namespace>/<model>`. */
    repository: schemas/* string */.YjP().min(1),
    tag: schemas/* string */.YjP().min(1),
    /** sha256 of the manifest's bytes: Ollama's model ID. */
    digest: schemas/* string */.YjP().regex(DIGEST),
    /** The manifest exactly as the registry served it. */
    manifest: schemas/* string */.YjP().min(1),
});
const LockSchema = schemas/* strictObject */.rej({
    version: schemas/* literal */.euz(LOCK_VERSION),
    /** Keyed by canonical reference, `registry.ollama.ai/library/qwen3:4b`. */
    models: schemas/* record */.g1P(schemas/* string */.YjP(), LockEntrySchema),
});
/** A lock that cannot be used; `line` is where in the file the problem is, when it is known. */
class LockError extends Error {
    line;
    constructor(message, line) {
        super(message);
        this.line = line;
        this.name = "LockError";
    }
}
const emptyLock = () => ({ version: LOCK_VERSION, models: {} });
function sha256Digest(bytes) {
    return `sha256:${(0,external_node_crypto_.createHash)("sha256").update(bytes).digest("hex")}`;
}
/**
 * The line of a JSON path in the lock's text: `["models", ref, "tag"]` finds `"tag":` inside that entry; as
 * far as the path is found, else the first line (the object that lacks it).
 */
function lineOfPath(text, path) {
    let from = 0;
    let found = 0;
    for (const key of path) {
        if (typeof key !== "string")
            continue;
        const index = text.indexOf(`${JSON.stringify(key)}:`, from);
        if (index < 0)
            break;
        found = index;
        from = index + 1;
    }
    return lineAt(text, found);
}
const lineAt = (text, offset) => text.slice(0, offset).split("\n").length;
/** The line of a JSON.parse error: V8 names the line, or the position, or (at the end of the text) neither. */
function lineOfJsonError(text, message) {
    const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
    if (line !== undefined)
        return Number(line);
    const position = /at position (\d+)/.exec(message)?.[1];
    return lineAt(text, position === undefined ? text.length : Number(position));
}
const lockfile_at = (label, line) => `${label}:${line}: `;
/**
 * An entry must be for the model its key names: the key a canonical, valid Ollama name
 * (`registry.ollama.ai/library/qwen3:4b`), and its registry, repository and tag that name's parts. These become
 * paths in the model store, so nothing else may reach them.
 */
function checkEntryName(ref, entry) {
    if (!isValidOllamaName(ref) || canonicalModelRef(ref) !== ref || ref.split("/").length !== 3) {
        return { field: "", message: "not a model name ollama-build writes (host/namespace/model:tag, lower case)" };
    }
    const name = parseModelRef(ref);
    const expected = { registry: name.host, repository: `${name.namespace}/${name.model}`, tag: name.tag ?? "latest" };
    for (const field of ["registry", "repository", "tag"]) {
        if (entry[field] !== expected[field]) {
            return {
                field,
                message: `${field} ${JSON.stringify(entry[field])} is not the key's ${JSON.stringify(expected[field])}`,
            };
        }
    }
    return undefined;
}
/**
 * Parses and verifies: each entry names its key's model, and each manifest hashes to its digest and is a
 * manifest Ollama can use. Errors say `label:line: where: what`.
 */
function parseLock(text, label = LOCK_FILE) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch (error) {
        const message = error.message;
        const line = lineOfJsonError(text, message);
        // V8 quotes the text around the error, line breaks and all: one line, escaped.
        throw new LockError(`${lockfile_at(label, line)}not JSON: ${neutraliseControlCharacters(message)}`, line);
    }
    const result = LockSchema.safeParse(raw);
    if (!result.success) {
        const lines = result.error.issues.map((issue) => lineOfPath(text, issue.path));
        const message = result.error.issues
            .map((issue, i) => describeIssues(new errors/* ZodError */.G([issue]), lockfile_at(label, lines[i])))
            .join("\n");
        throw new LockError(message, lines[0]);
    }
    for (const [ref, entry] of Object.entries(result.data.models)) {
        // The key is the file's: shown with its control characters escaped, so the message stays one line.
        const shown = neutraliseControlCharacters(ref);
        const misnamed = checkEntryName(ref, entry);
        if (misnamed !== undefined) {
            const line = lineOfPath(text, ["models", ref, ...(misnamed.field === "" ? [] : [misnamed.field])]);
            throw new LockError(`${lockfile_at(label, line)}${shown}: ${neutraliseControlCharacters(misnamed.message)}`, line);
        }
        const actual = sha256Digest(entry.manifest);
        if (actual !== entry.digest) {
            const line = lineOfPath(text, ["models", ref, "digest"]);
            throw new LockError(`${lockfile_at(label, line)}${shown}: the manifest hashes to ${actual}, not to the recorded ${entry.digest}`, line);
        }
        const line = lineOfPath(text, ["models", ref, "manifest"]);
        manifestOf(entry, `${label}:${line}: ${shown}`, line);
    }
    return result.data;
}
function manifestOf(entry, label, line) {
    let raw;
    try {
        raw = JSON.parse(entry.manifest);
    }
    catch {
        throw new LockError(`${label}: the manifest is not JSON`, line);
    }
    const result = OllamaManifestSchema.safeParse(raw);
    if (!result.success)
        throw new LockError(describeIssues(result.error, `${label}: manifest `), line);
    return result.data;
}
/** Keys sorted, two-space indent, final newline: stable diffs. */
function serializeLock(lock) {
    const models = Object.fromEntries(Object.entries(lock.models).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `${JSON.stringify({ version: lock.version, models }, null, 2)}\n`;
}
/** Every blob a locked model needs: its config and its layers. */
function blobsOf(entry) {
    const manifest = manifestOf(entry, `${entry.registry}/${entry.repository}:${entry.tag}`);
    return [manifest.config, ...manifest.layers];
}
function checkLock(lock, usedRefs) {
    const used = new Set(usedRefs);
    return {
        missing: [...used].filter((ref) => lock.models[ref] === undefined).sort(),
        unused: Object.keys(lock.models)
            .filter((ref) => !used.has(ref))
            .sort(),
    };
}
/** The line of `"<ref>":` in the lock file's text, for diagnostics. */
const lineOfEntry = (text, ref) => lineOfPath(text, ["models", ref]);
/** Reads `ollama.lock` at the project root, if there is one; a broken lock is reported, not thrown. */
async function loadLock(tree) {
    if ((await tree.entryType(LOCK_FILE)) !== "file")
        return { status: "absent" };
    const text = Buffer.from(await tree.readFile(LOCK_FILE)).toString("utf8");
    try {
        return { status: "ok", text, lock: parseLock(text) };
    }
    catch (error) {
        if (error instanceof LockError) {
            return {
                status: "invalid",
                text,
                error: error.message,
                ...(error.line === undefined ? {} : { line: error.line }),
            };
        }
        throw error;
    }
}
/** Manifest digest per canonical reference, the form the model hash takes. */
function lockedDigests(state) {
    if (state.status !== "ok")
        return new Map();
    return new Map(Object.entries(state.lock.models).map(([ref, entry]) => [ref, entry.digest]));
}

;// CONCATENATED MODULE: ./src/fetch/store.ts
/**
 * The model store, laid out exactly like Ollama's OLLAMA_MODELS directory:
 *   manifests/<registry>/<namespace>/<model>/<tag>   the manifest's bytes
 *   blobs/sha256-<hex>                               every config and layer blob
 * Downloads in progress live beside it (never inside it), so the store only ever holds verified files.
 */



function storeLayout(root) {
    return { models: external_node_path_default().join(root, "models"), partial: external_node_path_default().join(root, "partial") };
}
class StorePathError extends Error {
}
function blobFileName(digest) {
    if (!DIGEST.test(digest))
        throw new StorePathError(`${JSON.stringify(digest)} is not a sha256 digest`);
    return digest.replace(":", "-");
}
function blobPath(models, digest) {
    return external_node_path_default().join(models, "blobs", blobFileName(digest));
}
/**
 * `manifests/<registry>/<namespace>/<model>/<tag>`. The parts come from ollama.lock, which the lock's checks
 * tie to valid model names; a part that would still move the path elsewhere (empty, `.`, `..`, a separator, a
 * control character) is refused here too, so no lock can make the store write outside itself.
 */
function manifestRelativePath(registry, repository, tag) {
    const parts = [registry, ...repository.split("/"), tag];
    for (const part of parts) {
        if (part === "" || part === "." || part === ".." || /[\\/]/.test(part) || hasControlCharacter(part)) {
            throw new StorePathError(`${JSON.stringify([registry, repository, tag].join(" "))} cannot name a path in the store`);
        }
    }
    return ["manifests", ...parts].join("/");
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/plan/image-spec.ts
/**
 * Everything besides the models that decides the image's content: the Ollama image, the serving settings
 * baked in as ENV (the warm-up order among them) and the entrypoint script. The plan reads it once, hashes it
 * into the content-addressed tag, and hands the same object to the build, which writes exactly these bytes
 * and settings: the tag cannot name an image the build did not make.
 */




/** Where the image keeps its models; Ollama's default for root, so `ollama` finds them without settings. */
const MODELS_DIR = "/root/.ollama/models";
/**
 * ollama/entrypoint.sh of this repository. The bundles (dist/action, dist/cli) and the sources (src/plan)
 * all sit two directories below the repository root, where GitHub checks the action out whole.
 */
const ENTRYPOINT_SOURCE = external_node_path_default().resolve(external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(import.meta.url)), "../../ollama/entrypoint.sh");
/** The image's ENV, in the order the recipe writes it. */
function environment(runtime) {
    return [
        ["OLLAMA_MODELS", MODELS_DIR],
        ["OLLAMA_HOST", "0.0.0.0:11434"],
        ["OLLAMA_KEEP_ALIVE", runtime.keepAlive],
        ["OLLAMA_NUM_PARALLEL", String(runtime.numParallel)],
        ["OLLAMA_MAX_LOADED_MODELS", String(runtime.maxLoadedModels)],
        ["OLLAMA_FLASH_ATTENTION", runtime.flashAttention ? "1" : "0"],
        // The image holds exactly the models it was built with: never prune them.
        ["OLLAMA_NOPRUNE", "1"],
        ["OLLAMA_BUILD_WARMUP", runtime.warmup.join(" ")],
    ];
}
/** The spec for `config`; without a configured warm-up list, every custom model warms up in build order. */
function imageSpec(config, buildOrder, entrypoint) {
    const runtime = config.runtime;
    return {
        ollamaImage: config["ollama-image"],
        runtime: {
            keepAlive: runtime["keep-alive"],
            numParallel: runtime["num-parallel"],
            maxLoadedModels: runtime["max-loaded-models"],
            flashAttention: runtime["flash-attention"],
            warmup: runtime.warmup ?? [...buildOrder],
        },
        entrypoint: { bytes: entrypoint, sha256: (0,external_node_crypto_.createHash)("sha256").update(entrypoint).digest("hex") },
    };
}
const readEntrypoint = () => (0,promises_.readFile)(ENTRYPOINT_SOURCE);

;// CONCATENATED MODULE: ./src/plan/tags.ts
/** Image references for a build: one content-addressed tag plus human tags for the commit, PR and branch. */
const CONTENT_TAG_PREFIX = "m-";
/** Docker tags: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`; anything else becomes `-`, as docker/metadata-action does. */
function sanitiseTag(text) {
    const tag = text
        .replace(/[^A-Za-z0-9_.-]+/g, "-")
        .replace(/^[.-]+/, "")
        .slice(0, 128);
    return tag === "" ? undefined : tag;
}
function contentTag(imageHash) {
    return `${CONTENT_TAG_PREFIX}${imageHash.slice(0, 12)}`;
}
function imageTags(imageHash, source) {
    const tags = [contentTag(imageHash)];
    if (source.sha !== undefined)
        tags.push(`sha-${source.sha.slice(0, 7)}`);
    if (source.pullRequest !== undefined)
        tags.push(`pr-${source.pullRequest}`);
    else if (source.branch !== undefined) {
        const branch = sanitiseTag(source.branch);
        if (branch !== undefined && !tags.includes(branch))
            tags.push(branch);
    }
    return tags;
}
/** `ghcr.io/Theo/Models` → `ghcr.io/theo/models`: repositories must be lower case. */
function normaliseImageRepository(image) {
    return image.toLowerCase();
}

;// CONCATENATED MODULE: ./src/registry/client.ts
/**
 * A client for the OCI distribution API, used both for Ollama's model registry (manifests and blobs by
 * digest) and for the image registry the build pushes to (does a tag exist, copy a manifest to new tags).
 * All HTTP goes through one `fetch` seam. Credentials go only to the registry's own origin and to the token
 * service it names; they never appear in errors or logs.
 */



class RegistryError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = "RegistryError";
    }
}
class AuthenticationError extends RegistryError {
}
const MANIFEST_MEDIA_TYPES = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
const isTransient = (status) => status === 429 || status === 408 || status >= 500;
/** `Bearer realm="https://auth",service="registry",scope="repository:x:pull"` → scheme and params. */
function parseChallenge(header) {
    const match = /^\s*(\w+)\s*(.*)$/.exec(header);
    if (match === null)
        return undefined;
    const params = {};
    for (const param of (match[2] ?? "").matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
        params[param[1].toLowerCase()] = (param[2] ?? param[3] ?? "").replace(/\\(.)/g, "$1");
    }
    return { scheme: match[1].toLowerCase(), params };
}
class RegistryClient {
    options;
    /** The registry's origin: scheme, host and port. */
    baseUrl;
    fetchImpl;
    attempts;
    backoffMs;
    timeoutMs;
    log;
    /** The Authorization header value (Basic, or a Bearer token) per token scope. */
    authorizations = new Map();
    constructor(options) {
        this.options = options;
        const url = new URL(options.baseUrl);
        this.baseUrl = url.origin;
        this.fetchImpl = options.fetch ?? globalThis.fetch;
        this.attempts = options.attempts ?? 5;
        this.backoffMs = options.backoffMs ?? 500;
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.log = options.log ?? (() => { });
    }
    url(path) {
        return `${this.baseUrl}/v2/${path}`;
    }
    /**
     * One request with authentication, manual redirects (credentials stay on the registry's origin) and
     * retries on transient failures. Returns the final response; callers check its status.
     */
    async request(method, path, init = { scope: "" }) {
        let lastError;
        for (let attempt = 1; attempt <= this.attempts; attempt++) {
            if (attempt > 1) {
                const delay = this.backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() / 2);
                this.log(`retrying ${method} ${this.url(path)} in ${Math.round(delay)} ms (attempt ${attempt} of ${this.attempts})`);
                await (0,external_node_timers_promises_.setTimeout)(delay);
            }
            try {
                const response = await this.send(method, this.url(path), init);
                if (!isTransient(response.status) || attempt === this.attempts)
                    return response;
                lastError = new RegistryError(`${method} ${this.url(path)}: HTTP ${response.status}`, response.status);
                await response.body?.cancel();
            }
            catch (error) {
                if (error instanceof AuthenticationError)
                    throw error;
                if (init.signal?.aborted)
                    throw error;
                lastError = error;
            }
        }
        if (lastError instanceof RegistryError)
            throw lastError;
        const timedOut = lastError?.name === "TimeoutError";
        throw new RegistryError(`${method} ${this.url(path)} failed: ${timedOut ? `no answer within ${this.timeoutMs} ms` : describe(lastError)}`);
    }
    async send(method, url, init) {
        let target = url;
        let authorized = false;
        for (let hop = 0; hop < 10; hop++) {
            const sameOrigin = new URL(target).origin === this.baseUrl;
            const headers = { ...init.headers };
            const authorization = this.authorizations.get(init.scope);
            if (sameOrigin && authorization !== undefined)
                headers.authorization = authorization;
            const timeout = AbortSignal.timeout(this.timeoutMs);
            const response = await this.fetchImpl(target, {
                method,
                headers,
                ...(init.body === undefined ? {} : { body: init.body }),
                redirect: "manual",
                signal: init.signal === undefined ? timeout : AbortSignal.any([timeout, init.signal]),
            });
            if (response.status === 401 && sameOrigin && !authorized) {
                await response.body?.cancel();
                await this.authenticate(response.headers.get("www-authenticate"), init.scope);
                authorized = true;
                continue;
            }
            if (response.status === 401 || response.status === 403) {
                await response.body?.cancel();
                const who = this.options.credentials ? ` as ${this.options.credentials.username}` : " (no credentials given)";
                throw new AuthenticationError(`${this.baseUrl} refused ${method} ${new URL(target).pathname}${who}: HTTP ${response.status}`, response.status);
            }
            const location = response.headers.get("location");
            if (response.status >= 300 && response.status < 400 && location !== null) {
                await response.body?.cancel();
                target = new URL(location, target).toString();
                continue;
            }
            return response;
        }
        throw new RegistryError(`too many redirects from ${url}`);
    }
    /** The URL of a blob on this registry. */
    blobUrl(repository, digest) {
        return new URL(this.url(`${repository}/blobs/${digest}`));
    }
    /** The Authorization header value obtained for a scope, if any (for requests made outside `fetch`). */
    authorizationFor(scope) {
        return this.authorizations.get(scope);
    }
    /** Answers a 401's challenge (Basic, or a Bearer token from the realm) for a scope. */
    async authenticate(header, scope) {
        const challenge = header === null ? undefined : parseChallenge(header);
        const credentials = this.options.credentials;
        const basic = credentials
            ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`
            : undefined;
        if (challenge?.scheme === "basic") {
            if (basic === undefined)
                throw new AuthenticationError(`${this.baseUrl} needs credentials (HTTP 401)`, 401);
            this.authorizations.set(scope, basic);
            return;
        }
        if (challenge?.scheme !== "bearer" || challenge.params.realm === undefined) {
            throw new AuthenticationError(`${this.baseUrl} answered 401 without a usable challenge`, 401);
        }
        const realm = new URL(challenge.params.realm);
        if (challenge.params.service)
            realm.searchParams.set("service", challenge.params.service);
        const wanted = scope || challenge.params.scope;
        if (wanted)
            realm.searchParams.set("scope", wanted);
        // The credentials were given for this registry: its token service gets them only when it is the registry's
        // own origin, or another host of the registry's domain over https (auth.docker.io for registry-1.docker.io).
        const trusted = sameSite(realm, new URL(this.baseUrl));
        const response = await this.fetchImpl(realm, {
            headers: basic === undefined || !trusted ? {} : { authorization: basic },
            signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!response.ok) {
            await response.body?.cancel();
            const who = credentials ? ` as ${credentials.username}` : "";
            throw new AuthenticationError(`the token service of ${this.baseUrl} refused${who}: HTTP ${response.status}`, response.status);
        }
        let body;
        try {
            body = JSON.parse(await readCappedText(response, MAX_JSON_BYTES, `the token service of ${this.baseUrl}`));
        }
        catch (error) {
            throw new AuthenticationError(`the token service of ${this.baseUrl} answered badly: ${error.message}`);
        }
        const token = body?.token ?? body?.access_token;
        if (typeof token !== "string" || token === "" || /[\r\n]/.test(token)) {
            throw new AuthenticationError(`the token service of ${this.baseUrl} returned no token`);
        }
        this.authorizations.set(scope, `Bearer ${token}`);
    }
    async getManifest(repository, reference, accept = MANIFEST_MEDIA_TYPES) {
        const response = await this.request("GET", `${repository}/manifests/${reference}`, {
            headers: { accept: accept.join(", ") },
            scope: `repository:${repository}:pull`,
        });
        if (response.status === 404) {
            await response.body?.cancel();
            throw new RegistryError(`${this.baseUrl}: ${repository}:${reference} not found`, 404);
        }
        if (!response.ok)
            throw await statusError(response, `GET ${repository}/manifests/${reference}`);
        const bytes = await readCappedBytes(response, MAX_JSON_BYTES, `GET ${this.baseUrl} ${repository}:${reference}`);
        const digest = `sha256:${await sha256Hex(bytes)}`;
        const announced = response.headers.get("docker-content-digest");
        if (announced !== null && announced !== digest && !reference.startsWith("sha256:")) {
            throw new RegistryError(`${this.baseUrl}: ${repository}:${reference} announced ${announced} but its bytes hash to ${digest}`);
        }
        return { bytes, digest, mediaType: response.headers.get("content-type")?.split(";")[0] ?? "" };
    }
    /** The manifest's digest, or undefined when the reference does not exist. */
    async headManifest(repository, reference) {
        const response = await this.request("HEAD", `${repository}/manifests/${reference}`, {
            headers: { accept: MANIFEST_MEDIA_TYPES.join(", ") },
            scope: `repository:${repository}:pull`,
        });
        if (response.status === 404)
            return undefined;
        if (!response.ok)
            throw await statusError(response, `HEAD ${repository}/manifests/${reference}`);
        return response.headers.get("docker-content-digest") ?? (await this.getManifest(repository, reference)).digest;
    }
    async putManifest(repository, reference, bytes, mediaType) {
        const response = await this.request("PUT", `${repository}/manifests/${reference}`, {
            headers: { "content-type": mediaType },
            body: bytes,
            scope: `repository:${repository}:pull,push`,
        });
        if (!response.ok)
            throw await statusError(response, `PUT ${repository}/manifests/${reference}`);
        await response.body?.cancel();
    }
    /** The blob's size, or undefined when the registry does not have it. */
    async headBlob(repository, digest) {
        const response = await this.request("HEAD", `${repository}/blobs/${digest}`, {
            scope: `repository:${repository}:pull`,
        });
        if (response.status === 404)
            return undefined;
        if (!response.ok)
            throw await statusError(response, `HEAD ${repository}/blobs/${digest}`);
        return Number(response.headers.get("content-length") ?? "0");
    }
    /** Starts a blob download at byte `from` (206 when the registry honours the range, 200 when it restarts). */
    async getBlob(repository, digest, from, signal) {
        const response = await this.request("GET", `${repository}/blobs/${digest}`, {
            headers: from > 0 ? { range: `bytes=${from}-` } : {},
            scope: `repository:${repository}:pull`,
            ...(signal === undefined ? {} : { signal }),
        });
        if (!response.ok)
            throw await statusError(response, `GET ${repository}/blobs/${digest}`);
        return response;
    }
    /** Monolithic upload (POST then PUT), for small blobs and for seeding test registries. */
    async putBlob(repository, digest, bytes) {
        const scope = `repository:${repository}:pull,push`;
        if ((await this.headBlob(repository, digest)) !== undefined)
            return;
        const started = await this.request("POST", `${repository}/blobs/uploads/`, { scope });
        if (started.status !== 202)
            throw await statusError(started, `POST ${repository}/blobs/uploads/`);
        await started.body?.cancel();
        const location = new URL(started.headers.get("location") ?? "", this.baseUrl);
        location.searchParams.set("digest", digest);
        const path = location.toString().slice(`${this.baseUrl}/v2/`.length);
        const finished = await this.request("PUT", path, {
            headers: { "content-type": "application/octet-stream" },
            body: bytes,
            scope,
        });
        if (finished.status !== 201)
            throw await statusError(finished, `PUT ${repository}/blobs/${digest}`);
        await finished.body?.cancel();
    }
}
async function statusError(response, what) {
    const text = await errorText(response);
    return new RegistryError(`${what}: HTTP ${response.status}${text === "" ? "" : ` ${text}`}`, response.status);
}
/**
 * Whether a token service is the registry's own: the same origin, or https on a host of the same domain (the
 * last two labels; an IP address or a single label only as itself).
 */
function sameSite(realm, registry) {
    if (realm.origin === registry.origin)
        return true;
    if (realm.protocol !== "https:" || registry.protocol !== "https:")
        return false;
    const domain = (host) => (/^[\d.]+$|^\[|^[^.]+$/.test(host) ? host : host.split(".").slice(-2).join("."));
    return domain(realm.hostname) === domain(registry.hostname);
}
/** The root cause: a code such as ECONNRESET, or its message. */
function describe(error) {
    return causeChain(error).at(-1) ?? String(error);
}
async function sha256Hex(bytes) {
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    return Buffer.from(digest).toString("hex");
}

;// CONCATENATED MODULE: ./src/registry/pushed.ts
/**
 * What a push of an image puts into a registry, read back through the registry API: its manifests and the
 * blobs they reference. Comparing two images says what the second's push had to upload where the first was.
 */

/** Everything a push of `repository:reference` put into the registry: manifests and the blobs they reference. */
async function pushedImage(client, repository, reference) {
    const result = { manifests: [], blobs: [] };
    const visit = async (ref) => {
        const manifest = await client.getManifest(repository, ref, MANIFEST_MEDIA_TYPES);
        result.manifests.push({ digest: manifest.digest, bytes: manifest.bytes.length });
        const parsed = JSON.parse(Buffer.from(manifest.bytes).toString("utf8"));
        for (const child of parsed.manifests ?? [])
            await visit(child.digest);
        if (parsed.config !== undefined)
            result.blobs.push(parsed.config);
        result.blobs.push(...(parsed.layers ?? []));
    };
    await visit(reference);
    return result;
}
/**
 * The bytes the push of `second` had to upload into a repository that already held `first`: the registry
 * skips every blob it has (all of the first image's config and layers), so this is the size of each
 * second-image blob the first did not have, plus the second image's manifest(s).
 */
function pushBytes(first, second) {
    const known = new Set(first.blobs.map((b) => b.digest));
    const seen = new Set();
    const newBlobs = second.blobs.filter((b) => {
        if (known.has(b.digest) || seen.has(b.digest))
            return false;
        seen.add(b.digest);
        return true;
    });
    const knownManifests = new Set(first.manifests.map((m) => m.digest));
    const manifestBytes = second.manifests.filter((m) => !knownManifests.has(m.digest)).reduce((n, m) => n + m.bytes, 0);
    return { bytes: newBlobs.reduce((n, b) => n + b.size, 0) + manifestBytes, newBlobs, manifestBytes };
}

;// CONCATENATED MODULE: ./src/registry/tags.ts
/** Copies `from`'s manifest to every tag in `tags` (skipping `from` itself). */
async function addTags(client, repository, from, tags) {
    const manifest = await client.getManifest(repository, from);
    for (const tag of tags) {
        if (tag !== from)
            await client.putManifest(repository, tag, manifest.bytes, manifest.mediaType);
    }
}

;// CONCATENATED MODULE: ./src/build/buildx.ts
/** `docker buildx build` and friends, as argv built by pure functions (table-tested). */
function buildxArgv(input) {
    return [
        "buildx",
        "build",
        "--file",
        input.recipeFile,
        "--progress",
        "plain",
        // Attestations carry timestamps and are not part of what we promise; keep the image reproducible.
        "--provenance=false",
        "--sbom=false",
        // Reproducible image config: history and creation times from a fixed epoch.
        "--build-arg",
        "SOURCE_DATE_EPOCH=0",
        "--metadata-file",
        input.metadataFile,
        ...input.namedContexts.flatMap(([name, dir]) => ["--build-context", `${name}=${dir}`]),
        ...input.tags.flatMap((tag) => ["--tag", tag]),
        ...(input.cacheFrom === undefined ? [] : ["--cache-from", input.cacheFrom]),
        ...(input.cacheTo === undefined ? [] : ["--cache-to", input.cacheTo]),
        input.output === "push" ? "--push" : "--load",
        input.context,
    ];
}

;// CONCATENATED MODULE: ./src/build/contexts.ts
/**
 * One directory per image layer, given to BuildKit as a named build context. Files are hard-linked from the
 * store (no multi-gigabyte copies) and every file and directory gets the same mtime, mode and owner, so that
 * identical content always makes an identical layer. Each context holds the whole path from `/` (copied with
 * `COPY --link --from=<context> / /`): directories that COPY would create itself get the build's wall-clock
 * time, and the docker exporter cannot rewrite timestamps, so none may be left for COPY to create.
 */


/** 1970-01-01T00:00:00Z: the mtime of every file and directory in a layer. */
const LAYER_EPOCH = new Date(0);
/** Hard links when both paths share a file system (no multi-gigabyte copies), copies otherwise. */
async function linkOrCopy(from, to) {
    try {
        await (0,promises_.link)(from, to);
    }
    catch (error) {
        if (error.code !== "EXDEV")
            throw error;
        await (0,promises_.copyFile)(from, to);
    }
}
/** Image paths whose mode differs from the default (0755 directories, 0644 files). */
const SPECIAL_MODES = { root: 0o700 };
/**
 * Every file and directory below `dir` gets the fixed mtime and its mode: 0755 for directories, 0644 for
 * files, 0755 for the `executable` paths (relative to `dir`), and SPECIAL_MODES.
 */
async function normaliseTree(dir, executable = new Set(), relative = "") {
    for (const entry of await (0,promises_.readdir)(external_node_path_default().join(dir, relative), { withFileTypes: true })) {
        const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
        const full = external_node_path_default().join(dir, child);
        if (entry.isDirectory()) {
            await normaliseTree(dir, executable, child);
        }
        else {
            await (0,promises_.chmod)(full, executable.has(child) ? 0o755 : 0o644);
            await (0,promises_.utimes)(full, LAYER_EPOCH, LAYER_EPOCH);
        }
    }
    const self = external_node_path_default().join(dir, relative);
    await (0,promises_.chmod)(self, SPECIAL_MODES[relative] ?? 0o755);
    await (0,promises_.utimes)(self, LAYER_EPOCH, LAYER_EPOCH);
}
/**
 * `sourceOf` maps a store path (`blobs/…`, `manifests/…`) to the file holding it; `modelsDir` is where the
 * image keeps its models. Returns the build-context arguments, `[name, directory]`, in layer order.
 */
async function materialiseContexts(layers, sourceOf, modelsDir, workDir) {
    const contexts = [];
    for (const layer of layers) {
        const dir = external_node_path_default().join(workDir, "contexts", layer.context);
        await (0,promises_.rm)(dir, { recursive: true, force: true });
        for (const file of layer.files) {
            const target = external_node_path_default().join(dir, modelsDir, file.path);
            await (0,promises_.mkdir)(external_node_path_default().dirname(target), { recursive: true });
            const source = sourceOf(file.path);
            const stats = await (0,promises_.lstat)(source);
            if (stats.size !== file.size) {
                throw new Error(`${source} has ${stats.size} bytes, but the manifest says ${file.size}: the store is damaged`);
            }
            await linkOrCopy(source, target);
        }
        await normaliseTree(dir);
        contexts.push([layer.context, dir]);
    }
    return contexts;
}

;// CONCATENATED MODULE: ./src/build/create.ts
/**
 * Custom models are made by the real `ollama create`, inside the pinned Ollama image, with no network: the
 * server is started and polled in the same container, and every model is created in dependency order. The
 * container gets a scratch OLLAMA_MODELS holding the base models' manifests and hard links to their blobs
 * (Ollama touches base blobs' mtimes, so they cannot be read-only); afterwards exactly what `create` added
 * — each new manifest and the blobs no base model has — is collected. HOME is a throwaway directory inside
 * the container, so the key `ollama serve` generates never leaves it.
 */






/** POSIX sh run in the Ollama image; model names and paths arrive as arguments, never inside the script. */
const CREATE_SCRIPT = `set -u
ollama serve >/tmp/ollama-serve.log 2>&1 &
tries=0
until ollama list >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then echo "ollama-build: the server did not start" >&2; cat /tmp/ollama-serve.log >&2; exit 90; fi
  sleep 0.5
done
while [ "$#" -ge 2 ]; do
  echo "ollama-build: creating $1 from $2"
  if ! ollama create "$1" -f "$2" 2>/tmp/ollama-create.err; then
    cat /tmp/ollama-create.err >&2
    echo "ollama-build: failed: $1" >&2
    exit 91
  fi
  shift 2
done
`;
const CONTAINER_MODELS = "/ollama-build/models";
const CONTAINER_PROJECT = "/ollama-build/project";
/** The `docker run` argv: no network, scratch store read-write, project read-only, nothing else shared. */
function createArgv(run) {
    return [
        "run",
        "--rm",
        "--network",
        "none",
        "--user",
        run.user,
        "--env",
        "OLLAMA_NOPRUNE=1",
        "--env",
        `OLLAMA_MODELS=${CONTAINER_MODELS}`,
        "--env",
        "OLLAMA_HOST=127.0.0.1:11434",
        "--env",
        "HOME=/tmp/ollama-build-home",
        "--volume",
        `${run.scratch}:${CONTAINER_MODELS}`,
        "--volume",
        `${run.projectRoot}:${CONTAINER_PROJECT}:ro`,
        "--workdir",
        CONTAINER_PROJECT,
        "--entrypoint",
        "/bin/sh",
        run.ollamaImage,
        "-c",
        CREATE_SCRIPT,
        "ollama-build-create",
        ...run.jobs.flatMap((job) => [job.name, `${CONTAINER_PROJECT}/${job.file}`]),
    ];
}
class CreateError extends Error {
}
/** Turns the container's output into an error naming the Modelfile and quoting Ollama. */
function describeCreateFailure(jobs, exitCode, stderr) {
    const failed = /ollama-build: failed: (.+)$/m.exec(stderr)?.[1];
    const job = jobs.find((j) => j.name === failed);
    const ollamaError = stderr
        .split("\n")
        .filter((line) => line.startsWith("Error:"))
        .at(-1)
        ?.slice("Error:".length)
        .trim();
    if (job !== undefined) {
        return `ollama create ${job.name} failed for ${job.file}: ${ollamaError ?? stderr.trim()}`;
    }
    return `ollama create could not run (exit ${exitCode}): ${stderr.trim().split("\n").slice(-20).join("\n")}`;
}
async function prepareScratch(scratch, storeModels, bases) {
    await (0,promises_.rm)(scratch, { recursive: true, force: true });
    await (0,promises_.mkdir)(external_node_path_default().join(scratch, "blobs"), { recursive: true });
    for (const base of bases) {
        const manifest = external_node_path_default().join(scratch, base.manifest.path);
        await (0,promises_.mkdir)(external_node_path_default().dirname(manifest), { recursive: true });
        await (0,promises_.copyFile)(external_node_path_default().join(storeModels, base.manifest.path), manifest);
        for (const blob of base.blobs) {
            const target = external_node_path_default().join(scratch, blob.path);
            await (0,promises_.rm)(target, { force: true });
            await linkOrCopy(external_node_path_default().join(storeModels, blob.path), target);
        }
    }
}
/** Reads an Ollama manifest file and lists it with its blobs as store files. */
async function modelFilesFromStore(models, manifestPath, name, kind) {
    const bytes = await (0,promises_.readFile)(external_node_path_default().join(models, manifestPath));
    const manifest = OllamaManifestSchema.parse(JSON.parse(bytes.toString("utf8")));
    const blobs = [manifest.config, ...manifest.layers].map((layer) => ({
        path: `blobs/${blobFileName(layer.digest)}`,
        size: layer.size,
    }));
    const unique = [...new Map(blobs.map((b) => [b.path, b])).values()];
    const digest = `sha256:${(0,external_node_crypto_.createHash)("sha256").update(bytes).digest("hex")}`;
    return { name, kind, manifest: { path: manifestPath, size: bytes.length, digest }, blobs: unique };
}
function customManifestPath(name) {
    return `manifests/registry.ollama.ai/library/${name}/latest`;
}
async function runCreate(runner, run) {
    if (run.jobs.length === 0)
        return;
    const result = await runner("docker", createArgv(run));
    if (result.exitCode !== 0)
        throw new CreateError(describeCreateFailure(run.jobs, result.exitCode, result.stderr));
}
/** Blob files in the scratch store that no base model brought: what `create` wrote. */
async function newBlobs(scratch, bases) {
    const baseBlobs = new Set(bases.flatMap((b) => b.blobs.map((blob) => blob.path)));
    const all = await (0,promises_.readdir)(external_node_path_default().join(scratch, "blobs"));
    return new Set(all.map((name) => `blobs/${name}`).filter((p) => !baseBlobs.has(p)));
}

;// CONCATENATED MODULE: ./src/build/layers.ts
/**
 * Which files go into which image layer. Every model gets its own layer: base models first, largest and
 * most stable first (name breaks ties), each blob in exactly one layer; then one small layer per custom
 * model holding its manifest and the blobs `ollama create` added. Editing a system prompt therefore changes
 * one layer of a few kilobytes, and the registry already has every other one.
 */

/** `registry.ollama.ai/library/qwen3:4b` + files → `base-qwen3-4b-<digest10>`. */
function contextName(name, kind, files) {
    const short = kind === "base" ? name.replace(/^registry\.ollama\.ai\/library\//, "") : name;
    const slug = short
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    const content = (0,external_node_crypto_.createHash)("sha256")
        .update(JSON.stringify(files.map((f) => [f.path, f.size, f.digest ?? null])))
        .digest("hex")
        .slice(0, 10);
    return `${kind === "base" ? "base" : "model"}-${slug}-${content}`;
}
const totalSize = (model) => model.blobs.reduce((sum, b) => sum + b.size, 0);
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
/**
 * `customOrder` is the build order of the custom models (dependencies first). A blob shared by several
 * models goes into the first layer that needs it.
 */
function assignLayers(models, customOrder) {
    const bases = models.filter((m) => m.kind === "base").sort((a, b) => totalSize(b) - totalSize(a) || byName(a, b));
    const customs = customOrder.map((name) => {
        const model = models.find((m) => m.kind === "custom" && m.name === name);
        if (model === undefined)
            throw new Error(`custom model ${name} has no files`);
        return model;
    });
    const placed = new Set();
    return [...bases, ...customs].map((model) => {
        const files = [model.manifest];
        for (const blob of model.blobs) {
            if (placed.has(blob.path))
                continue;
            placed.add(blob.path);
            files.push(blob);
        }
        files.sort((a, b) => (a.path < b.path ? -1 : 1));
        return {
            name: model.name,
            kind: model.kind,
            context: contextName(model.name, model.kind, files),
            files,
            bytes: files.reduce((sum, f) => sum + f.size, 0),
        };
    });
}

;// CONCATENATED MODULE: ./src/build/recipe.ts
/**
 * The image recipe (a Dockerfile), generated from the plan and the layer assignment: readable, written to
 * the job log and shown by `build --dry-run`. Every model layer is a `COPY --link` from its own named build
 * context holding the files at their image paths, so a layer's digest depends only on its files (whose
 * times, modes and owners are normalised, directories included).
 */



const ENTRYPOINT_PATH = "/usr/local/bin/ollama-build-entrypoint";
/** Content-addressed, like the model contexts (see ImageLayer.context): BuildKit reuses a context by name. */
const runtimeContextName = (entrypointSha256) => `ollama-build-runtime-${entrypointSha256.slice(0, 10)}`;
/** Dockerfile string literal: JSON is a valid exec-form/ENV value. */
const recipe_quote = (value) => JSON.stringify(value);
/** A comment line's text: one line, whatever a name holds (a newline would start an instruction). */
const comment = (text) => `# ${neutraliseControlCharacters(text)}`;
class RecipeError extends Error {
}
function renderRecipe(input) {
    // Validated where it was read; checked again here, where it becomes an instruction.
    if (!isImageReference(input.ollamaImage)) {
        throw new RecipeError(`${JSON.stringify(input.ollamaImage)} is not an image reference: it cannot be a FROM`);
    }
    const lines = [
        "# Generated by ollama-build: one layer per model, base models first (largest first), then custom models.",
        `FROM ${input.ollamaImage}`,
        "",
        `ENV ${environment(input.runtime)
            .map(([k, v]) => `${k}=${recipe_quote(v)}`)
            .join(" \\\n    ")}`,
        "",
        "# The entrypoint starts the server, warms the models up, then waits on the server (signals reach it).",
        `COPY --link --from=${input.runtimeContext} / /`,
        "",
    ];
    for (const layer of input.layers) {
        lines.push(comment(`${layer.kind} model ${layer.name}: ${layer.files.length} files, ${layer.bytes} bytes`));
        lines.push(`COPY --link --from=${layer.context} / /`);
    }
    lines.push("", "# Healthy once the models are warm and `ollama list` answers (the image has no curl or wget).", `HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 CMD [${recipe_quote(ENTRYPOINT_PATH)}, "--health"]`, "");
    const labels = Object.entries(input.labels).sort(([a], [b]) => (a < b ? -1 : 1));
    if (labels.length > 0)
        lines.push(`LABEL ${labels.map(([k, v]) => `${recipe_quote(k)}=${recipe_quote(v)}`).join(" \\\n      ")}`, "");
    lines.push("EXPOSE 11434", `ENTRYPOINT [${recipe_quote(ENTRYPOINT_PATH)}]`, "CMD []", "");
    return lines.join("\n");
}

;// CONCATENATED MODULE: ./src/build/report.ts
/** Full references of every tag the plan gives the image. */
const references = (plan) => plan.tags.map((tag) => `${plan.image}:${tag}`);

;// CONCATENATED MODULE: ./src/build/stage.ts
/**
 * `build`, in the order the pipeline runs it: is the content-addressed image already there (then only tags are
 * added) → the recipe (all `--dry-run` shows) → after the fetch: `ollama create` the custom models → one build
 * context per model → `docker buildx build` → push (or load into the local engine when no registry is given).
 */















class BuildError extends Error {
}
const contentTagOf = (planned) => planned.plan.tags.find((t) => t.startsWith(CONTENT_TAG_PREFIX));
/**
 * The content-addressed image, when it already exists where this build would put it: then its other tags are
 * added (through the registry API, or `docker tag`) and nothing is built. Undefined when it does not exist.
 */
async function tagExistingImage(run, planned, target, log) {
    const { plan } = planned;
    const repository = image_ref_parseImageRepository(plan.image).path;
    let digest;
    if (target.registry !== undefined) {
        digest = await target.registry.headManifest(repository, contentTagOf(planned));
        if (digest === undefined)
            return undefined;
        await addTags(target.registry, repository, contentTagOf(planned), plan.tags);
    }
    else {
        const inspect = await run("docker", ["image", "inspect", "--format", "{{.Id}}", plan.imageTag]);
        if (inspect.exitCode !== 0)
            return undefined;
        for (const reference of references(plan))
            await run("docker", ["tag", plan.imageTag, reference]);
    }
    log(`${plan.imageTag} exists: nothing to build; tagged ${plan.tags.join(", ")}`);
    return {
        plan,
        skipped: `${plan.imageTag} already exists`,
        ...(digest === undefined ? {} : { digest }),
        references: references(plan),
        layers: [],
        milliseconds: { fetch: 0, create: 0, build: 0, total: 0 },
    };
}
/** Base model files as the lock describes them (sizes known before anything is fetched). */
function baseModelFiles(lock, refs) {
    return refs.map((ref) => {
        const entry = lock.models[ref];
        if (entry === undefined)
            throw new BuildError(`${ref} is not in ollama.lock`);
        return {
            name: ref,
            kind: "base",
            manifest: {
                path: manifestRelativePath(entry.registry, entry.repository, entry.tag),
                size: Buffer.byteLength(entry.manifest),
                digest: entry.digest,
            },
            blobs: blobsOf(entry).map((layer) => ({ path: `blobs/${blobFileName(layer.digest)}`, size: layer.size })),
        };
    });
}
function imageLabels({ planned, revision, repositoryUrl }) {
    const { plan, spec } = planned;
    const labels = {
        "org.opencontainers.image.title": external_node_path_default().basename(plan.image),
        "org.opencontainers.image.base.name": spec.ollamaImage,
        "dev.ollama-build.image-hash": plan.imageHash,
    };
    if (revision !== undefined)
        labels["org.opencontainers.image.revision"] = revision;
    if (repositoryUrl !== undefined)
        labels["org.opencontainers.image.source"] = repositoryUrl;
    for (const model of plan.models)
        labels[`dev.ollama-build.model.${model.name}`] = model.hash;
    return labels;
}
/** The recipe for these layers: the plan's spec (the bytes and settings its tag was hashed from), nothing else. */
function recipeFor(context, layers) {
    const { spec } = context.planned;
    return renderRecipe({
        ollamaImage: spec.ollamaImage,
        layers,
        runtime: spec.runtime,
        runtimeContext: runtimeContextName(spec.entrypoint.sha256),
        labels: imageLabels(context),
    });
}
const customOrder = (planned) => planned.plan.models.map((m) => m.name);
/** `--dry-run`: the recipe with placeholder custom layers (nothing is fetched, created or built). */
function dryRunReport(context, bases) {
    const placeholders = customOrder(context.planned).map((name) => ({
        name,
        kind: "custom",
        manifest: { path: customManifestPath(name), size: 0 },
        blobs: [],
    }));
    const layers = assignLayers([...bases, ...placeholders], customOrder(context.planned));
    const { plan } = context.planned;
    return {
        plan,
        recipe: recipeFor(context, layers),
        references: references(plan),
        layers: describeLayers(layers),
        milliseconds: { fetch: 0, create: 0, build: 0, total: 0 },
    };
}
/** `ollama create` for the custom models, in a scratch store beside the base models; their files. */
async function createCustomModels(run, build, scratch) {
    const { plan, spec } = build.planned;
    await prepareScratch(scratch, build.store.models, build.bases);
    await runCreate(run, {
        ollamaImage: spec.ollamaImage,
        scratch,
        projectRoot: build.projectRoot,
        jobs: plan.models.map((m) => ({ name: m.name, file: m.file })),
        user: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    });
    const customs = [];
    for (const name of customOrder(build.planned)) {
        customs.push(await modelFilesFromStore(scratch, customManifestPath(name), name, "custom"));
    }
    return customs;
}
/** The entrypoint's context: the spec's bytes, written here (not copied from disk again). */
async function writeRuntimeContext(build) {
    const { entrypoint } = build.planned.spec;
    const name = runtimeContextName(entrypoint.sha256);
    const dir = external_node_path_default().join(build.workDir, name);
    const file = ENTRYPOINT_PATH.slice(1);
    await (0,promises_.mkdir)(external_node_path_default().dirname(external_node_path_default().join(dir, file)), { recursive: true });
    await (0,promises_.writeFile)(external_node_path_default().join(dir, file), entrypoint.bytes);
    await normaliseTree(dir, new Set([file]));
    return { name, dir };
}
/** Creates the custom models, writes one context per layer and the recipe, and runs BuildKit. */
async function buildImage(run, build) {
    const milliseconds = { fetch: 0, create: 0, build: 0, total: 0 };
    let phase = Date.now();
    const scratch = external_node_path_default().join(build.workDir, "create-store");
    const customs = await createCustomModels(run, build, scratch);
    const created = await newBlobs(scratch, build.bases);
    milliseconds.create = Date.now() - phase;
    phase = Date.now();
    const layers = assignLayers([...build.bases, ...customs], customOrder(build.planned));
    // What `create` wrote is in the scratch store; the base models are in the model store.
    const fromCreate = new Set([...created, ...customs.map((c) => c.manifest.path)]);
    const sourceOf = (storePath) => external_node_path_default().join(fromCreate.has(storePath) ? scratch : build.store.models, storePath);
    const contexts = await materialiseContexts(layers, sourceOf, MODELS_DIR, build.workDir);
    const runtime = await writeRuntimeContext(build);
    const recipe = recipeFor(build, layers);
    build.log(`recipe:\n${recipe}`);
    const recipeFile = external_node_path_default().join(build.workDir, "Dockerfile");
    await (0,promises_.writeFile)(recipeFile, recipe);
    const metadataFile = external_node_path_default().join(build.workDir, "metadata.json");
    const { plan } = build.planned;
    const argv = buildxArgv({
        recipeFile,
        context: runtime.dir,
        namedContexts: [...contexts, [runtime.name, runtime.dir]],
        tags: references(plan),
        output: build.target.push ? "push" : "load",
        metadataFile,
        ...(build.layerCache
            ? {
                cacheFrom: `type=registry,ref=${plan.image}:buildcache`,
                cacheTo: `type=registry,ref=${plan.image}:buildcache,mode=max`,
            }
            : {}),
    });
    build.log(`docker ${argv.join(" ")}`);
    const result = await run("docker", argv);
    if (result.exitCode !== 0) {
        throw new BuildError(`docker buildx build failed (exit ${result.exitCode}):\n${result.stderr.trim().split("\n").slice(-30).join("\n")}`);
    }
    const metadata = JSON.parse(await (0,promises_.readFile)(metadataFile, "utf8"));
    milliseconds.build = Date.now() - phase;
    const digest = metadata["containerimage.digest"];
    const pushedAgainstBase = build.target.registry === undefined ? undefined : await againstBase(build.target.registry, build.planned);
    return {
        plan,
        ...(digest === undefined ? {} : { digest }),
        output: build.target.push ? "push" : "load",
        ...(pushedAgainstBase === undefined ? {} : { pushedAgainstBase }),
        recipe,
        references: references(plan),
        layers: describeLayers(layers),
        milliseconds,
    };
}
/** Compares the pushed image with the base commit's, when the registry has that one. */
async function againstBase(client, planned) {
    const { plan } = planned;
    const repository = image_ref_parseImageRepository(plan.image).path;
    const contentTag = contentTagOf(planned);
    const baseTag = plan.baseImageTag === undefined ? undefined : splitImageReference(plan.baseImageTag).tag;
    if (baseTag === undefined || baseTag === contentTag)
        return undefined;
    if ((await client.headManifest(repository, baseTag)) === undefined)
        return undefined;
    const transfer = pushBytes(await pushedImage(client, repository, baseTag), await pushedImage(client, repository, contentTag));
    return { image: plan.baseImageTag, bytes: transfer.bytes, blobs: transfer.newBlobs.length };
}
function describeLayers(layers) {
    return layers.map((l) => ({ name: l.name, kind: l.kind, files: l.files.length, bytes: l.bytes }));
}

;// CONCATENATED MODULE: ./src/statistics/normal.ts
/**
 * The standard normal tail, accurate to about 1e-14 relative over the whole range that does not underflow, so that
 * p-values from normal approximations agree with SciPy's (Cephes `ndtr`) to far better than the 1e-9 the comparison
 * tests promise. `1 - cdf(z)` would lose every digit in the upper tail; everything here is computed from the tail
 * side directly.
 */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Past this, erfc(x) < 2^-1074 (the smallest subnormal double), so it is 0 in double precision. */
const ERFC_UNDERFLOW = 27.3;
/**
 * Below this, erfc(x) > 0.157, so `1 - erf(x)` loses less than one decimal digit; above it the continued fraction
 * converges in at most about 230 terms (measured against mpmath: worst relative error 3.4e-15 on [0, 26.5]).
 */
const SERIES_LIMIT = 1;
/** erf(x) for 0 <= x < SERIES_LIMIT by Abramowitz & Stegun 7.1.6, whose terms are all positive (no cancellation). */
function erfBySeries(x) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; term > sum * 1e-17; n++) {
        term *= (2 * x2) / (2 * n + 1);
        sum += term;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}
/**
 * erfc(x) for x >= SERIES_LIMIT from the continued fraction (A&S 7.1.14)
 *   erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
 * evaluated by the modified Lentz algorithm, which needs no preset number of terms.
 */
function erfcByContinuedFraction(x) {
    const tiny = 1e-300;
    let fraction = x;
    let c = x;
    let d = 0;
    for (let n = 1; n < 10_000; n++) {
        const a = n / 2;
        d = x + a * d;
        c = x + a / c;
        if (d === 0)
            d = tiny;
        if (c === 0)
            c = tiny;
        d = 1 / d;
        const delta = c * d;
        fraction *= delta;
        if (Math.abs(delta - 1) < 1e-16)
            break;
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
}
/** The complementary error function, relative error about 1e-14 wherever the result is a normal double. */
function erfc(x) {
    if (Number.isNaN(x))
        return Number.NaN;
    if (x < 0)
        return 2 - erfc(-x);
    if (x < SERIES_LIMIT)
        return 1 - erfBySeries(x);
    if (x > ERFC_UNDERFLOW)
        return 0;
    return erfcByContinuedFraction(x);
}
/** P(Z > z) for a standard normal Z (SciPy's `norm.sf`). */
function normalSf(z) {
    return 0.5 * erfc(z / Math.SQRT2);
}
/**
 * The z with P(Z > z) = tail, for 0 < tail < 1, by bisection on `normalSf`: used once per confidence interval, so
 * exactness (it is as precise as normalSf itself) matters more than speed, and it needs no second approximation.
 */
function normalUpperQuantile(tail) {
    if (!(tail > 0 && tail < 1))
        throw new RangeError(`tail probability must be in (0, 1), got ${tail}`);
    let low = -40;
    let high = 40;
    while (true) {
        const mid = (low + high) / 2;
        if (mid === low || mid === high)
            return mid;
        if (normalSf(mid) > tail)
            low = mid;
        else
            high = mid;
    }
}

;// CONCATENATED MODULE: ./src/statistics/null-distributions.ts
/**
 * Exact null distributions for the rank tests and Fisher's test, by dynamic programming. Counts are kept as counts
 * (not probabilities) and only ever added, so nothing cancels: Mann–Whitney counts are exact integers while they stay
 * below 2^53 and within a few ulps after, signed-rank counts (at most 2^50 for the n <= 50 SciPy uses them for) are
 * exact, and the hypergeometric counts are BigInts, so Fisher's test can decide ties between tables exactly (a table
 * of 4 000 observations takes about 10 ms, one of 100 000 about 1.5 s).
 */
/**
 * counts[u] = the number of the C(m+n, m) orderings of m x's and n y's in which exactly u of the (x, y) pairs have
 * the x above the y, for u = 0 … m·n (the Mann–Whitney U of x). Built from f(i, j, u) = f(i−1, j, u−j) + f(i, j−1, u):
 * the largest of i + j values is either an x (above all j y's) or a y (above none). Cost about m²n²/4 additions;
 * pass the smaller sample size as m.
 */
function mannWhitneyCounts(m, n) {
    // rows[i] holds f(i, j, ·) for the current j; rows[0] is 1 at u = 0 for every j.
    const rows = Array.from({ length: m + 1 }, (_, i) => new Float64Array(i * n + 1));
    for (const row of rows)
        row[0] = 1;
    for (let j = 1; j <= n; j++) {
        for (let i = 1; i <= m; i++) {
            const current = rows[i];
            const withXOnTop = rows[i - 1]; // already f(i−1, j, ·)
            // f(i, j−1, u) is zero for u > i(j−1), and f(i−1, j, u−j) for u−j > (i−1)j, so u stops at i·j.
            for (let u = j; u <= i * j; u++)
                current[u] = current[u] + withXOnTop[u - j];
        }
    }
    return rows[m];
}
/**
 * counts[r] = the number of the 2^n sign patterns on ranks 1 … n whose positive ranks sum to r, r = 0 … n(n+1)/2
 * (the distribution of the signed-rank statistic R+). Adding rank k either leaves r or raises it by k.
 */
function signedRankCounts(n) {
    const counts = new Float64Array((n * (n + 1)) / 2 + 1);
    counts[0] = 1;
    for (let k = 1; k <= n; k++) {
        for (let r = (k * (k + 1)) / 2; r >= k; r--)
            counts[r] = counts[r] + counts[r - k];
    }
    return counts;
}
function binomial(n, k) {
    let result = 1n;
    for (let i = 0; i < k; i++)
        result = (result * BigInt(n - i)) / BigInt(i + 1);
    return result;
}
/**
 * The hypergeometric law of the top-left cell of a 2×2 table with row sums row1, row2 and first column sum column1:
 * weights[x − low] = C(row1, x) · C(row2, column1 − x) for x = low … high, the support; they add up to
 * C(row1 + row2, column1). Each weight follows from the previous by an exact BigInt division:
 *   w(x+1) = w(x) · (row1 − x)(column1 − x) / ((x + 1)(row2 − column1 + x + 1)).
 */
function hypergeometricWeights(row1, row2, column1) {
    const low = Math.max(0, column1 - row2);
    const high = Math.min(column1, row1);
    const weights = [binomial(row1, low) * binomial(row2, column1 - low)];
    for (let x = low; x < high; x++) {
        const previous = weights[weights.length - 1];
        weights.push((previous * BigInt(row1 - x) * BigInt(column1 - x)) / (BigInt(x + 1) * BigInt(row2 - column1 + x + 1)));
    }
    return { low, high, weights };
}
const null_distributions_bitLength = (value) => value.toString(2).length;
/**
 * numerator / denominator as the nearest double, for 0 <= numerator <= denominator (a probability). A 64-bit
 * quotient is formed in BigInt, so only its final rounding to 53 bits loses anything, however large the operands.
 */
function bigRatio(numerator, denominator) {
    if (numerator === 0n)
        return 0;
    const scale = null_distributions_bitLength(denominator) - null_distributions_bitLength(numerator);
    const quotient = (numerator << BigInt(scale + 64)) / denominator;
    return (Number(quotient) / 2 ** 64) * 2 ** -scale;
}

;// CONCATENATED MODULE: ./src/statistics/statistics.ts
/**
 * The tests a base-vs-head comparison may call a regression with, each matching SciPy 1.10.1 (`scipy.stats`) to
 * 1e-9 relative with its default options (checked case by case against SciPy's own results in
 * test/fixtures/stats-reference.json), plus the Hodges–Lehmann shift and its distribution-free interval.
 *
 * SciPy conventions kept on purpose, because they decide which p-value is reported:
 * - Mann–Whitney `method="auto"` is exact when either sample has at most 8 values and nothing ties, not only when
 *   both are small (`_mwu_choose_method`: asymptotic only if both exceed 8, or on ties).
 * - Wilcoxon `method="auto"` is exact whenever n <= 50 and no difference is zero, even with tied |d|: the tied
 *   (fractional) R+ is truncated to an integer and looked up in the no-ties distribution. With a zero difference it
 *   switches to the normal approximation and drops the zeros (`zero_method="wilcox"`).
 * - Fisher's two-sided p adds every table whose probability is at most the observed one's times (1 + 1e-14), so
 *   tables that tie the observed one exactly (mirror images) count even when rounding would split them.
 */


/** SciPy's Mann–Whitney uses the exact distribution only while the smaller sample has at most this many values. */
const EXACT_MANN_WHITNEY_MAX_SMALLER_SAMPLE = 8;
/** SciPy's Wilcoxon uses the exact distribution up to this many differences. */
const EXACT_WILCOXON_MAX_SIZE = 50;
/**
 * SciPy's `fisher_exact` counts a table as no more likely than the observed one while its probability is at most
 * (1 + 1e-14) times the observed one's; written as (10^14 + 1) / 10^14 the comparison stays in exact BigInts.
 */
const FISHER_TIE_SCALE = 10n ** 14n;
function assertSample(name, values) {
    if (values.length === 0)
        throw new RangeError(`${name} is empty`);
    if (!values.every(Number.isFinite))
        throw new RangeError(`${name} holds a value that is not a finite number`);
}
/** Average ranks (1-based; tied values share the mean of their positions, as SciPy's `rankdata`) and Σ(t³ − t). */
function averageRanks(values) {
    const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
    const ranks = new Float64Array(values.length);
    let tieTerm = 0;
    for (let start = 0; start < order.length;) {
        let end = start + 1;
        while (end < order.length && values[order[end]] === values[order[start]])
            end++;
        for (let k = start; k < end; k++)
            ranks[order[k]] = (start + 1 + end) / 2;
        const size = end - start;
        tieTerm += size ** 3 - size;
        start = end;
    }
    return { ranks, tieTerm };
}
const tieTermOf = (values) => averageRanks(values).tieTerm;
/**
 * Fisher's exact test on [[a, b], [c, d]], conditioning on both margins (a is hypergeometric). "less" is P(A <= a),
 * "greater" is P(A >= a), "two-sided" adds every table no more likely than the observed one (see the file comment).
 * All probabilities are exact BigInt ratios rounded once.
 */
function fisherExact(table, alternative = "two-sided") {
    const [[a, b], [c, d]] = table;
    for (const cell of [a, b, c, d]) {
        if (!Number.isSafeInteger(cell) || cell < 0)
            throw new RangeError(`table cells must be counts, got ${cell}`);
    }
    const { low, weights } = hypergeometricWeights(a + b, c + d, a + c);
    const observed = weights[a - low];
    const counts = (x, weight) => {
        if (alternative === "less")
            return x <= a;
        if (alternative === "greater")
            return x >= a;
        return weight * FISHER_TIE_SCALE <= observed * (FISHER_TIE_SCALE + 1n);
    };
    let selected = 0n;
    let total = 0n;
    weights.forEach((weight, i) => {
        total += weight;
        if (counts(low + i, weight))
            selected += weight;
    });
    return Math.min(1, bigRatio(selected, total));
}
/** The standard deviation of U under the null, with SciPy's tie correction (tieTerm = Σ(t³ − t) over tie groups). */
function mannWhitneySigma(m, n, tieTerm) {
    const size = m + n;
    return Math.sqrt(((m * n) / 12) * (size + 1 - tieTerm / (size * (size - 1))));
}
/** P(U >= u) under the null, exactly: by symmetry, P(U <= m·n − u). */
function mannWhitneyExactUpperTail(u, m, n) {
    const counts = mannWhitneyCounts(Math.min(m, n), Math.max(m, n));
    let tail = 0;
    let total = 0;
    counts.forEach((count, k) => {
        total += count;
        if (k <= m * n - u)
            tail += count;
    });
    return tail / total;
}
/**
 * Two-sided Mann–Whitney U test of x against y (SciPy `mannwhitneyu(x, y)`): exact when the smaller sample has at
 * most 8 values and there are no ties; otherwise the normal approximation with tie-corrected variance and a
 * continuity correction of 0.5 towards the mean.
 */
function mannWhitneyU(x, y) {
    assertSample("x", x);
    assertSample("y", y);
    const m = x.length;
    const n = y.length;
    const { ranks, tieTerm } = averageRanks([...x, ...y]);
    const rankSumX = ranks.subarray(0, m).reduce((sum, rank) => sum + rank, 0);
    const uX = rankSumX - (m * (m + 1)) / 2;
    // SciPy takes the upper tail of the larger of U_x and U_y and doubles it.
    const uLarger = Math.max(uX, m * n - uX);
    const method = Math.min(m, n) <= EXACT_MANN_WHITNEY_MAX_SMALLER_SAMPLE && tieTerm === 0 ? "exact" : "asymptotic";
    const upperTail = method === "exact"
        ? mannWhitneyExactUpperTail(uLarger, m, n)
        : normalSf((uLarger - (m * n) / 2 - 0.5) / mannWhitneySigma(m, n, tieTerm));
    return { uX, p: Math.min(1, 2 * upperTail), method };
}
/** SciPy's exact two-sided signed-rank p for R+ = rankSumPositive among n differences. */
function signedRankExactP(rankSumPositive, n) {
    const counts = signedRankCounts(n);
    // SciPy truncates: with tied |d| R+ can be a half-integer, and int() drops the half.
    const r = Math.trunc(rankSumPositive);
    if (r === Math.floor((counts.length - 1) / 2))
        return 1;
    let atMost = 0;
    let atLeast = 0;
    counts.forEach((count, k) => {
        if (k <= r)
            atMost += count;
        if (k >= r)
            atLeast += count;
    });
    return Math.min(1, (2 * Math.min(atMost, atLeast)) / 2 ** n);
}
/**
 * Two-sided Wilcoxon signed-rank test on paired differences d (SciPy `wilcoxon(d)` with its defaults: exact for
 * n <= 50 without zeros, else the normal approximation with tie correction and no continuity correction; zeros are
 * dropped). Throws when every difference is zero, where the test says nothing.
 */
function wilcoxonSignedRank(d) {
    assertSample("d", d);
    const nonZero = d.filter((value) => value !== 0);
    if (nonZero.length === 0)
        throw new RangeError("every difference is zero: the signed-rank test is undefined");
    const method = d.length <= EXACT_WILCOXON_MAX_SIZE && nonZero.length === d.length ? "exact" : "approx";
    const n = nonZero.length;
    const { ranks, tieTerm } = averageRanks(nonZero.map(Math.abs));
    let rankSumPositive = 0;
    let rankSumNegative = 0;
    nonZero.forEach((value, i) => {
        if (value > 0)
            rankSumPositive += ranks[i];
        else
            rankSumNegative += ranks[i];
    });
    const statistic = Math.min(rankSumPositive, rankSumNegative);
    if (method === "exact")
        return { statistic, p: signedRankExactP(rankSumPositive, n), method };
    const mean = n * (n + 1) * 0.25;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1) - 0.5 * tieTerm) / 24);
    return { statistic, p: 2 * normalSf(Math.abs((statistic - mean) / sd)), method };
}
/** The largest k whose lower tail P(T <= k − 1) of an exact null distribution (counts of `total`) is <= `tail`. */
function exactDepth(counts, total, tail) {
    // The slack lets a tail of exactly 2.5 % count although 1 − 0.95 is not exactly 0.05 in binary.
    const allowed = tail * total * (1 + 1e-12);
    let k = 0;
    let below = 0;
    while (below + counts[k] <= allowed)
        below += counts[k++];
    return k;
}
function assertConfidence(confidence) {
    if (!(confidence > 0 && confidence < 1))
        throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}
/** The median: the middle value, or the mean of the two middle ones. */
function median(values) {
    const sorted = Float64Array.from(values).sort();
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1
        ? sorted[middle]
        : (sorted[middle - 1] + sorted[middle]) / 2;
}
/**
 * How deep into the sorted differences the interval's ends sit (k), for a two-sided interval at `confidence`.
 * Exact: the largest k with P(U <= k − 1) <= (1 − confidence)/2 under the null, so the coverage
 * 1 − 2·P(U <= k − 1) is at least the confidence asked (R's `wilcox.test` picks the same k, except that it
 * takes k = 1 where none qualifies and one less where a tail is exactly (1 − confidence)/2). Normal: the same
 * condition with the continuity-corrected normal approximation, k = ⌊mn/2 + 1/2 − z·σ⌋ (Hollander & Wolfe's
 * C_α rounded to the nearest integer).
 *
 * Ties: only ties within x or within y matter. Shifting y by a candidate Δ moves every coincidence between an x and a
 * y away, so the tests the interval inverts see the within-sample ties and no others.
 */
function intervalDepth(x, y, confidence) {
    const m = x.length;
    const n = y.length;
    const tail = (1 - confidence) / 2;
    const tieTerm = tieTermOf(x) + tieTermOf(y);
    if (Math.min(m, n) <= EXACT_MANN_WHITNEY_MAX_SMALLER_SAMPLE && tieTerm === 0) {
        const counts = mannWhitneyCounts(Math.min(m, n), Math.max(m, n));
        return {
            k: exactDepth(counts, counts.reduce((sum, count) => sum + count, 0), tail),
            exact: true,
        };
    }
    const z = normalUpperQuantile(tail);
    return { k: Math.max(0, Math.floor((m * n) / 2 + 0.5 - z * mannWhitneySigma(m, n, tieTerm))), exact: false };
}
/**
 * Hodges–Lehmann estimate of the location shift of y relative to x (positive when y tends to be larger) with the
 * distribution-free confidence interval that inverts the two-sided Mann–Whitney test: [D(k), D(mn + 1 − k)] over
 * the sorted differences D = y_j − x_i, k as in `intervalDepth`. When no k >= 1 exists (e.g. 3 against 3 at 95 %:
 * even the most extreme ordering has probability 1/20 > 2.5 %), the data cannot bound the shift and the interval is
 * (−∞, +∞) rather than a narrower one with less coverage than asked.
 */
function hodgesLehmannShift(x, y, confidence = 0.95) {
    assertSample("x", x);
    assertSample("y", y);
    assertConfidence(confidence);
    const differences = new Float64Array(x.length * y.length);
    x.forEach((xi, i) => {
        y.forEach((yj, j) => {
            differences[i * y.length + j] = yj - xi;
        });
    });
    return estimateFrom(differences, intervalDepth(x, y, confidence));
}
/** The median of the candidate values and the interval [v(k), v(count + 1 − k)] (open when k < 1); sorts them. */
function estimateFrom(values, depth) {
    values.sort();
    const count = values.length;
    const shift = median(values);
    const { k, exact } = depth;
    if (k < 1)
        return { shift, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, exact };
    return { shift, lower: values[k - 1], upper: values[count - k], exact };
}
/**
 * How deep into the sorted Walsh averages the paired interval's ends sit (k): the signed-rank counterpart of
 * `intervalDepth`. Exact (n <= 50, no repeated difference): the largest k with P(R+ <= k − 1) <= (1 − confidence)/2.
 * Normal: k = ⌊N/2 + 1/2 − z·σ⌋ with N = n(n + 1)/2 and σ² = n(n + 1)(2n + 1)/24 − Σ(t³ − t)/48.
 *
 * Ties: shifting every difference by a candidate Δ keeps equal differences equal (they tie in |d − Δ|) and moves
 * every other coincidence away (|d_i| = |d_j| of opposite signs, a zero), so only repeated values of d count.
 */
function pairedIntervalDepth(d, confidence) {
    const n = d.length;
    const tail = (1 - confidence) / 2;
    const tieTerm = tieTermOf(d);
    if (n <= EXACT_WILCOXON_MAX_SIZE && tieTerm === 0) {
        return { k: exactDepth(signedRankCounts(n), 2 ** n, tail), exact: true };
    }
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
    const walsh = (n * (n + 1)) / 2;
    return { k: Math.max(0, Math.floor(walsh / 2 + 0.5 - normalUpperQuantile(tail) * sigma)), exact: false };
}
/**
 * Hodges–Lehmann estimate of the centre of paired differences d (head − base, one per matched pair): the median of
 * the n(n + 1)/2 Walsh averages (d_i + d_j)/2, i <= j, with the distribution-free interval that inverts the
 * two-sided signed-rank test, [W(k), W(N + 1 − k)] (k as in `pairedIntervalDepth`). A drift common to both members
 * of a pair cancels in its difference, which the two-sample shift cannot do. Open (±∞) when no k >= 1 exists.
 */
function hodgesLehmannPairedShift(d, confidence = 0.95) {
    assertSample("d", d);
    assertConfidence(confidence);
    const n = d.length;
    const averages = new Float64Array((n * (n + 1)) / 2);
    let next = 0;
    for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++)
            averages[next++] = (d[i] + d[j]) / 2;
    }
    return estimateFrom(averages, pairedIntervalDepth(d, confidence));
}

;// CONCATENATED MODULE: ./src/compare/paired.ts
/**
 * Base against head, measured together on one runner: per case, did the head pass less often (Fisher's exact
 * test); per metric, by how much did it move (the Hodges–Lehmann shift with its distribution-free interval, and a
 * p-value: Wilcoxon's signed-rank test on matched pairs when both servers were up, else Mann–Whitney's). A shift earns an arrow only when its interval excludes zero and it is larger than the
 * minimum effect: a 4B model's sampled tool calls and a shared runner's jitter make smaller moves noise.
 */



const DEFAULT_PAIRED_SETTINGS = { alpha: 0.05, confidence: 0.95, minEffect: 0.05 };
const PAIRED_METRICS = REQUEST_METRICS.filter((metric) => "paired" in metric && metric.paired === true);
const finite = (value) => (Number.isFinite(value) ? value : null);
/** ▲/▼ only when the interval excludes zero and the shift is larger than the minimum effect. */
function verdictOf(metric, estimate, baseMedian, settings) {
    const { shift, lower, upper } = estimate;
    if (!(lower > 0 || upper < 0) || Math.abs(shift) <= settings.minEffect * Math.abs(baseMedian))
        return "unchanged";
    return (metric.better === "lower") === shift > 0 ? "worse" : "better";
}
function comparison(metric, samples, estimate, test, settings) {
    const baseMedian = median(samples.base);
    return {
        metric: metric.key,
        unit: metric.unit,
        better: metric.better,
        base: { n: samples.base.length, median: baseMedian },
        head: { n: samples.head.length, median: median(samples.head) },
        shift: estimate.shift,
        lower: finite(estimate.lower),
        upper: finite(estimate.upper),
        ...test,
        verdict: verdictOf(metric, estimate, baseMedian, settings),
    };
}
/**
 * One metric, two independent samples (the images measured in blocks, or a saved report): the two-sample
 * Hodges–Lehmann shift and the Mann–Whitney (rank-sum) p.
 */
function compareSamples(metric, base, head, settings) {
    const estimate = hodgesLehmannShift(base, head, settings.confidence);
    return comparison(metric, { base, head }, estimate, { test: "rank-sum", p: mannWhitneyU(base, head).p }, settings);
}
/**
 * One metric, matched pairs (both servers up: slot i of each image is the same request in the same round, a
 * few requests apart): the paired Hodges–Lehmann shift of the differences head − base and the Wilcoxon
 * signed-rank p. Whatever slowed the runner down for both members of a pair cancels in its difference. Slots
 * where either image has no value are left out; with no pair at all, the samples are compared as independent.
 */
function comparePairs(metric, base, head, settings) {
    const pairs = base.flatMap((b, i) => (b === null || head[i] == null ? [] : [[b, head[i]]]));
    if (pairs.length === 0)
        return compareSamples(metric, valuesOf(base), valuesOf(head), settings);
    const differences = pairs.map(([b, h]) => h - b);
    const estimate = hodgesLehmannPairedShift(differences, settings.confidence);
    // Every pair equal: the signed-rank test says nothing, and nothing moved.
    const p = differences.every((d) => d === 0) ? 1 : wilcoxonSignedRank(differences).p;
    const samples = { base: pairs.map(([b]) => b), head: pairs.map(([, h]) => h) };
    return comparison(metric, samples, estimate, { test: "signed-rank", p, pairs: pairs.length }, settings);
}
/** One case: pass counts, pass^k on each image, and whether the head passes significantly less often. */
function compareCase(base, head, settings) {
    const arm = (c) => ({ runs: c.runs, passes: c.passes, all_passed: c.runs > 0 && c.passes === c.runs });
    const p = fisherExact([
        [head.passes, head.runs - head.passes],
        [base.passes, base.runs - base.passes],
    ], "less");
    return { id: head.id, model: head.model, base: arm(base), head: arm(head), p, regression: p < settings.alpha };
}
const caseKey = (c) => `${c.model}\0${c.id}`;
function comparePaired(base, head, context, settings = DEFAULT_PAIRED_SETTINGS) {
    const baseCases = new Map(base.cases.map((c) => [caseKey(c), c]));
    const cases = head.cases.flatMap((c) => {
        const other = baseCases.get(caseKey(c));
        return other === undefined || other.runs === 0 || c.runs === 0 ? [] : [compareCase(other, c, settings)];
    });
    const models = {};
    for (const [model, samples] of Object.entries(head.samples)) {
        const baseSamples = base.samples[model] ?? {};
        const metrics = PAIRED_METRICS.flatMap((metric) => {
            const [b, h] = [baseSamples[metric.key] ?? [], samples[metric.key] ?? []];
            if (valuesOf(b).length === 0 || valuesOf(h).length === 0)
                return [];
            // In blocks the same slot on the two images ran minutes apart: nothing pairs them.
            return context.mode === "interleaved"
                ? [comparePairs(metric, b, h, settings)]
                : [compareSamples(metric, valuesOf(b), valuesOf(h), settings)];
        });
        const [baseMemory, headMemory] = [base.memory[model], head.memory[model]];
        models[model] = {
            metrics,
            memory: {
                ...(baseMemory === undefined ? {} : { base: baseMemory }),
                ...(headMemory === undefined ? {} : { head: headMemory }),
            },
        };
    }
    return {
        base_image: context.baseImage,
        mode: context.mode,
        mode_reason: context.modeReason,
        alpha: settings.alpha,
        confidence: settings.confidence,
        min_effect: settings.minEffect,
        cases_tested: cases.length,
        cases,
        models,
    };
}

;// CONCATENATED MODULE: ./src/fetch/cache.ts
/**
 * The model store survives between workflow runs in GitHub's cache. The key is derived from the locked
 * manifests the build needs, so it changes exactly when a base model does; any earlier store is a useful
 * partial hit (blobs are content-addressed and re-verified by fetch). Only base models are cached: what
 * `ollama create` makes is kilobytes and is made again.
 */

const CACHE_KEY_PREFIX = "ollama-build-models-v1-";
function modelCacheKey(lock, refs) {
    const pinned = [...refs].sort().map((ref) => `${ref}@${lock.models[ref]?.digest ?? "unlocked"}`);
    return `${CACHE_KEY_PREFIX}${(0,external_node_crypto_.createHash)("sha256").update(pinned.join("\n")).digest("hex")}`;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
var external_node_net_default = /*#__PURE__*/__webpack_require__.n(external_node_net_);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
;// CONCATENATED MODULE: ./src/fetch/raw-http.ts
/**
 * A minimal HTTP/1.1 GET for blob bodies. Multi-gigabyte downloads through `fetch` allocate a fresh buffer for
 * every socket read, and the garbage they make costs more than the download itself (bench:fetch: 0.4× curl).
 * Here the socket reads into one reused buffer (`onread`), and the caller hashes and writes each piece before
 * the next read. Only the simple case is handled: a response with a Content-Length. Everything else (a
 * redirect, an error, a chunked body) comes back unread, for the caller to follow or to hand to `fetch`.
 */



const READ_BUFFER_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 64 * 1024;
class PrematureCloseError extends Error {
}
/** The server means to send another number of bytes than the lock records: nothing of it is written. */
class UnexpectedLengthError extends Error {
}
function parseHead(text) {
    const [statusLine = "", ...lines] = text.split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (match === null)
        throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const headers = new Map();
    for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0)
            headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return { status: Number(match[1]), headers };
}
function rawGet(url, options) {
    return new Promise((resolve, reject) => {
        new RawGet(url, options, resolve, reject);
    });
}
/**
 * One GET on a connection of its own, sent when it is constructed; it settles the promise once. The socket
 * reads into one buffer: each read goes to the response's head until that is complete, then piece by piece
 * to `onBody` until the Content-Length is reached.
 */
class RawGet {
    url;
    options;
    resolve;
    reject;
    socket;
    /** The head read so far; undefined once it is complete. */
    head = Buffer.alloc(0);
    response;
    /** The body's bytes still to come. */
    remaining = 0;
    settled = false;
    onAbort = () => {
        const reason = this.options.signal?.reason;
        this.finish(reason instanceof Error ? reason : new Error("aborted"));
    };
    constructor(url, options, resolve, reject) {
        this.url = url;
        this.options = options;
        this.resolve = resolve;
        this.reject = reject;
        const secure = url.protocol === "https:";
        const port = Number(url.port || (secure ? 443 : 80));
        const onread = {
            buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
            callback: (length, chunk) => this.read(chunk.subarray(0, length)),
        };
        const connection = { host: url.hostname, port, onread };
        this.socket = secure ? external_node_tls_default().connect({ ...connection, servername: url.hostname }) : external_node_net_default().connect(connection);
        this.socket.once(secure ? "secureConnect" : "connect", () => this.socket.write(this.request()));
        this.socket.setTimeout(options.idleTimeoutMs, () => this.finish(new Error(`no data for ${options.idleTimeoutMs} ms`)));
        this.socket.on("error", (error) => this.finish(error));
        this.socket.on("close", () => {
            this.finish(new PrematureCloseError(this.response === undefined
                ? `${url.origin} closed the connection before answering`
                : `${url.origin} closed the connection with ${this.remaining} bytes to go`));
        });
        if (options.signal?.aborted)
            this.onAbort();
        else
            options.signal?.addEventListener("abort", this.onAbort, { once: true });
    }
    request() {
        return [
            `GET ${this.url.pathname}${this.url.search} HTTP/1.1`,
            `Host: ${this.url.host}`,
            "Connection: close",
            "Accept-Encoding: identity",
            ...Object.entries(this.options.headers).map(([name, value]) => `${name}: ${value}`),
            "",
            "",
        ].join("\r\n");
    }
    finish(error, response) {
        if (this.settled)
            return;
        this.settled = true;
        this.socket.destroy();
        this.options.signal?.removeEventListener("abort", this.onAbort);
        if (error === undefined)
            this.resolve(response);
        else
            this.reject(error);
    }
    /** What the socket read; false stops reading. */
    read(piece) {
        if (this.settled)
            return false;
        if (this.head === undefined)
            return this.readBody(piece);
        const joined = Buffer.concat([this.head, piece]);
        const end = joined.indexOf("\r\n\r\n");
        if (end < 0) {
            if (joined.length > MAX_HEADER_BYTES)
                this.finish(new Error(`${this.url.origin}: response headers too large`));
            this.head = joined;
            return true;
        }
        this.head = undefined;
        return this.readHead(joined.subarray(0, end)) && this.readBody(joined.subarray(end + 4));
    }
    /** The complete head: whether the body follows for `onBody` (otherwise the answer is settled). */
    readHead(head) {
        try {
            const parsed = parseHead(head.toString("latin1"));
            const length = parsed.headers.get("content-length");
            const simple = parsed.status >= 200 && parsed.status < 300 && length !== undefined && !parsed.headers.has("transfer-encoding");
            this.response = { ...parsed, bodyRead: simple };
            if (!simple) {
                this.finish(undefined, this.response);
                return false;
            }
            const due = this.options.expectedLength(parsed.status);
            if (contentLength(parsed.headers) !== due) {
                this.finish(new UnexpectedLengthError(`${this.url.origin} announced ${JSON.stringify(length)} bytes where ${due} are due`));
                return false;
            }
            this.remaining = Number(length);
            this.options.onHead(parsed.status);
            return true;
        }
        catch (error) {
            this.finish(error);
            return false;
        }
    }
    readBody(received) {
        const piece = received.length > this.remaining ? received.subarray(0, this.remaining) : received;
        if (piece.length > 0) {
            try {
                this.options.onBody(piece);
            }
            catch (error) {
                this.finish(error);
                return false;
            }
            this.remaining -= piece.length;
        }
        if (this.remaining === 0 && this.response !== undefined)
            this.finish(undefined, this.response);
        return true;
    }
}

;// CONCATENATED MODULE: ./src/fetch/blob-transfer.ts
/**
 * One attempt at the rest of a blob over the network: from the registry (its credentials go to its own origin
 * only) or wherever it redirects, read by the raw reader when the answer has a Content-Length and through
 * `fetch` otherwise. The bytes go into the partial file, and through the hash, as they arrive.
 */






/**
 * Downloads the rest of a blob into the partial file and returns the hash of the whole file. A 206 appends
 * to what is there; a 200 (the server ignored the range) starts over with a fresh hash.
 */
async function downloadRest(attempt) {
    const { client, repository, layer, partial, from, hash, idleTimeoutMs, onBytes } = attempt;
    const scope = `repository:${repository}:pull`;
    // A 200 to a range request restarts the blob: its whole size is then due.
    const due = (status) => (from > 0 && status === 206 ? layer.size - from : layer.size);
    let url = client.blobUrl(repository, layer.digest);
    let authenticated = false;
    for (let hop = 0; hop < 10; hop++) {
        const sameOrigin = url.origin === client.baseUrl;
        const headers = {};
        if (from > 0)
            headers.range = `bytes=${from}-`;
        const authorization = sameOrigin ? client.authorizationFor(scope) : undefined;
        if (authorization !== undefined)
            headers.authorization = authorization;
        let target;
        let response;
        try {
            response = await rawGet(url, {
                headers,
                idleTimeoutMs,
                expectedLength: due,
                signal: attempt.deadline,
                onHead: (status) => {
                    const append = from > 0 && status === 206;
                    target = { hash: append ? hash : (0,external_node_crypto_.createHash)("sha256"), fd: (0,external_node_fs_.openSync)(partial, append ? "a" : "w") };
                },
                onBody: (piece) => {
                    const sink = target;
                    sink.hash.update(piece);
                    (0,external_node_fs_.writeSync)(sink.fd, piece);
                    onBytes(piece.length);
                },
            });
        }
        finally {
            if (target !== undefined)
                (0,external_node_fs_.closeSync)(target.fd);
        }
        if (response.bodyRead)
            return target.hash;
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location !== undefined) {
            // Credentials stay with the registry's origin; a CDN gets a signed URL instead.
            url = new URL(location, url);
            continue;
        }
        if (response.status === 401 && sameOrigin && !authenticated) {
            await client.authenticate(response.headers.get("www-authenticate") ?? null, scope);
            authenticated = true;
            continue;
        }
        if (response.status === 401 || response.status === 403) {
            throw new AuthenticationError(`${url.origin} refused the download of ${layer.digest}: HTTP ${response.status}`, response.status);
        }
        if (response.status >= 200 && response.status < 300) {
            return streamThroughFetch(attempt);
        }
        throw new RegistryError(`GET ${url.origin}${url.pathname}: HTTP ${response.status}`, response.status);
    }
    throw new RegistryError(`too many redirects for ${layer.digest}`);
}
/** The general path, for responses the raw reader leaves alone (a body without a Content-Length). */
async function streamThroughFetch(attempt) {
    const { client, repository, layer, partial, from, hash, idleTimeoutMs, onBytes, deadline } = attempt;
    const controller = new AbortController();
    const abortAtDeadline = () => controller.abort(deadline.reason);
    deadline.addEventListener("abort", abortAtDeadline, { once: true });
    let idle;
    const armIdleTimer = () => {
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(new Error(`no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
    };
    armIdleTimer();
    try {
        const response = await client.getBlob(repository, layer.digest, from, controller.signal);
        if (response.body === null)
            throw new Error("empty response");
        const append = from > 0 && response.status === 206;
        const effectiveHash = append ? hash : (0,external_node_crypto_.createHash)("sha256");
        const due = append ? layer.size - from : layer.size;
        let received = 0;
        const hashing = new external_node_stream_.Transform({
            transform(chunk, _encoding, callback) {
                armIdleTimer();
                received += chunk.length;
                if (received > due) {
                    callback(new UnexpectedLengthError(`${client.baseUrl} sent more than the ${due} bytes due for ${layer.digest}`));
                    return;
                }
                effectiveHash.update(chunk);
                onBytes(chunk.length);
                callback(null, chunk);
            },
        });
        await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.fromWeb(response.body), hashing, (0,external_node_fs_.createWriteStream)(partial, { flags: append ? "a" : "w", highWaterMark: 1024 * 1024 }), { signal: controller.signal });
        return effectiveHash;
    }
    finally {
        clearTimeout(idle);
        deadline.removeEventListener("abort", abortAtDeadline);
    }
}

;// CONCATENATED MODULE: ./src/fetch/fetch.ts
/**
 * Fetching locked base models into the store: every blob by digest, verified while it streams, written to a
 * partial file that is renamed into the store only when its sha256 matches. Interrupted downloads resume
 * with a Range request; transient failures are retried with backoff; downloads run in parallel. Here: what to
 * fetch, the store's locks, and each blob's attempts; one attempt's HTTP is blob-transfer.ts's.
 */











class DigestMismatchError extends Error {
    digest;
    constructor(digest, actual, bytes, model) {
        super(`blob ${digest} of ${model} is corrupt: its ${bytes} bytes hash to ${actual}; it was not stored`);
        this.digest = digest;
        this.name = "DigestMismatchError";
    }
}
/** Hashes what is already on disk (a partial download, or a blob restored from a cache). */
async function hashFile(file, hash) {
    let bytes = 0;
    for await (const chunk of (0,external_node_fs_.createReadStream)(file, { highWaterMark: 1024 * 1024 })) {
        hash.update(chunk);
        bytes += chunk.length;
    }
    return bytes;
}
async function fetch_sizeOf(file) {
    try {
        return (await (0,promises_.stat)(file)).size;
    }
    catch {
        return undefined;
    }
}
class Progress {
    total;
    log;
    intervalMs;
    received = 0;
    lastReport = Date.now();
    started = Date.now();
    constructor(total, log, intervalMs) {
        this.total = total;
        this.log = log;
        this.intervalMs = intervalMs;
    }
    add(bytes) {
        this.received += bytes;
        if (Date.now() - this.lastReport >= this.intervalMs)
            this.report();
    }
    report() {
        this.lastReport = Date.now();
        const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
        const percent = this.total === 0 ? 100 : Math.floor((this.received / this.total) * 100);
        this.log(`fetch: ${units_formatBytes(this.received)} of ${units_formatBytes(this.total)} (${percent}%), ${units_formatBytes(this.received / seconds)}/s`);
    }
    get bytes() {
        return this.received;
    }
}
/** The digest of a file's bytes as they are on disk now, and how many there are. */
async function digestOfFile(file) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    const bytes = await hashFile(file, hash);
    return { digest: `sha256:${hash.digest("hex")}`, bytes };
}
/** Whether the store holds the blob, verified by hashing what is on disk; a wrong file is removed. */
async function presentAndVerified(target, layer, log) {
    if ((await fetch_sizeOf(target)) === undefined)
        return false;
    const found = await digestOfFile(target);
    if (found.digest === layer.digest && found.bytes === layer.size)
        return true;
    log(`fetch: ${target} does not match ${layer.digest}: removing it and downloading again`);
    await (0,promises_.rm)(target, { force: true });
    return false;
}
const processAlive = (pid) => {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === "EPERM";
    }
};
/**
 * Runs `work` holding the blob's lock file in the partial directory, so that two fetches into one store (two
 * processes, or two calls in one) never write the same partial file; the lock of a process that died is taken
 * over (its partial file is resumed). Returns undefined, without running `work`, when another fetch put the blob
 * into the store meanwhile.
 */
async function withBlobLock(lockFile, isStored, work) {
    for (;;) {
        try {
            await (0,promises_.writeFile)(lockFile, `${process.pid}\n`, { flag: "wx" });
        }
        catch (error) {
            if (error.code !== "EEXIST")
                throw error;
            const owner = Number((await (0,promises_.readFile)(lockFile, "utf8").catch(() => "")).trim());
            // A lock this process holds is another fetch of this process, which is alive by definition.
            if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || processAlive(owner))) {
                await (0,external_node_timers_promises_.setTimeout)(200);
                if (await isStored())
                    return undefined;
            }
            else {
                await (0,promises_.rm)(lockFile, { force: true });
            }
            continue;
        }
        try {
            return await work();
        }
        finally {
            await (0,promises_.rm)(lockFile, { force: true });
        }
    }
}
async function downloadBlob(job, options, progress) {
    const { layer } = job;
    const target = blobPath(options.store.models, layer.digest);
    if (await presentAndVerified(target, layer, options.log))
        return "present";
    const lockFile = external_node_path_default().join(options.store.partial, `${blobFileName(layer.digest)}.lock`);
    const status = await withBlobLock(lockFile, async () => (await fetch_sizeOf(target)) !== undefined, async () => (await presentAndVerified(target, layer, options.log))
        ? "present"
        : downloadLocked(job, options, progress));
    return (status ??
        ((await presentAndVerified(target, layer, options.log)) ? "present" : downloadBlob(job, options, progress)));
}
/** The download itself, with the blob's lock held: resume, retry, verify, rename into the store. */
async function downloadLocked(job, options, progress) {
    const { layer, entry, ref } = job;
    const target = blobPath(options.store.models, layer.digest);
    const partial = external_node_path_default().join(options.store.partial, blobFileName(layer.digest));
    const client = options.clientFor(entry.registry);
    let resumed = false;
    for (let attempt = 1;; attempt++) {
        let hash = (0,external_node_crypto_.createHash)("sha256");
        let have = (await fetch_sizeOf(partial)) ?? 0;
        if (have > layer.size) {
            await (0,promises_.rm)(partial);
            have = 0;
        }
        if (have > 0) {
            await hashFile(partial, hash);
            resumed = true;
        }
        try {
            if (have < layer.size) {
                // However slowly the bytes come (a byte every 59 s never trips the idle timeout), an attempt ends once
                // the rest of the blob should have arrived at the slowest rate allowed.
                const deadlineMs = Math.ceil(options.idleTimeoutMs + ((layer.size - have) / options.minBytesPerSecond) * 1000);
                const deadline = AbortSignal.timeout(deadlineMs);
                hash = await downloadRest({
                    deadline,
                    client,
                    repository: entry.repository,
                    layer,
                    partial,
                    from: have,
                    hash,
                    idleTimeoutMs: options.idleTimeoutMs,
                    onBytes: (bytes) => progress.add(bytes),
                }).catch((error) => {
                    throw deadline.aborted ? new Error(`not done after ${Math.round(deadlineMs / 1000)} s (too slow)`) : error;
                });
            }
            const size = (await fetch_sizeOf(partial)) ?? 0;
            const streamed = `sha256:${hash.digest("hex")}`;
            // What streamed past was right; what goes into the store is the file, so the file is hashed again.
            const onDisk = streamed === layer.digest && size === layer.size ? (await digestOfFile(partial)).digest : streamed;
            if (onDisk !== layer.digest || size !== layer.size) {
                await (0,promises_.rm)(partial, { force: true });
                throw new DigestMismatchError(layer.digest, onDisk, size, ref);
            }
            await (0,promises_.rename)(partial, target);
            return resumed ? "resumed" : "downloaded";
        }
        catch (error) {
            const final = error instanceof DigestMismatchError || error instanceof AuthenticationError;
            if (final || attempt >= options.attempts)
                throw error;
            const delay = options.backoffMs * 2 ** (attempt - 1);
            options.log(`fetch: ${layer.digest} of ${ref} broke off (${error.message}); resuming in ${delay} ms`);
            await (0,external_node_timers_promises_.setTimeout)(delay);
        }
    }
}
async function runPool(items, concurrency, work) {
    let next = 0;
    const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
        while (next < items.length) {
            const item = items[next++];
            await work(item);
        }
    });
    await Promise.all(workers);
}
async function fetchModels(options) {
    const settings = {
        concurrency: 4,
        attempts: 5,
        backoffMs: 500,
        idleTimeoutMs: 60_000,
        minBytesPerSecond: 256 * 1024,
        log: () => { },
        progressIntervalMs: 5_000,
        ...options,
    };
    const started = Date.now();
    const refs = options.refs ?? Object.keys(options.lock.models);
    const jobs = new Map();
    for (const ref of refs) {
        const entry = options.lock.models[ref];
        if (entry === undefined)
            throw new Error(`${ref} is not in ollama.lock: run \`ollama-build lock\``);
        for (const layer of blobsOf(entry))
            if (!jobs.has(layer.digest))
                jobs.set(layer.digest, { layer, entry, ref });
    }
    await (0,promises_.mkdir)(external_node_path_default().join(options.store.models, "blobs"), { recursive: true });
    await (0,promises_.mkdir)(options.store.partial, { recursive: true });
    const total = [...jobs.values()].reduce((sum, job) => sum + job.layer.size, 0);
    const progress = new Progress(total, settings.log, settings.progressIntervalMs);
    const blobs = [];
    await runPool([...jobs.values()], settings.concurrency, async (job) => {
        const status = await downloadBlob(job, settings, progress);
        blobs.push({ digest: job.layer.digest, size: job.layer.size, status });
    });
    // Manifests last: a model is in the store only once all its blobs are.
    for (const ref of refs) {
        const entry = options.lock.models[ref];
        const file = external_node_path_default().join(options.store.models, manifestRelativePath(entry.registry, entry.repository, entry.tag));
        await writeFileAtomically(file, entry.manifest);
    }
    if (progress.bytes > 0)
        progress.report();
    return {
        blobs: blobs.sort((a, b) => (a.digest < b.digest ? -1 : 1)),
        bytesDownloaded: progress.bytes,
        milliseconds: Date.now() - started,
    };
}

;// CONCATENATED MODULE: ./src/github/context.ts
/**
 * What the workflow run is building, read from the runner's environment and event payload: the commit, the
 * branch or pull request, and the commit to compare with.
 */

const ZERO_SHA = /^0+$/;
function runContextFrom(env, payload) {
    const context = { source: {} };
    if (env.GITHUB_SHA)
        context.source.sha = env.GITHUB_SHA;
    if (env.GITHUB_REPOSITORY)
        context.repository = env.GITHUB_REPOSITORY;
    const pullRequest = payload.pull_request;
    if (pullRequest?.number !== undefined) {
        context.source.pullRequest = pullRequest.number;
        if (pullRequest.base?.sha)
            context.baseRef = pullRequest.base.sha;
    }
    else if (env.GITHUB_REF?.startsWith("refs/heads/") && !env.GITHUB_REF.startsWith("refs/heads/gh-readonly-queue/")) {
        // A merge queue's temporary branch is not worth a tag.
        context.source.branch = env.GITHUB_REF.slice("refs/heads/".length);
    }
    if (context.baseRef === undefined && payload.merge_group?.base_sha)
        context.baseRef = payload.merge_group.base_sha;
    if (context.baseRef === undefined && payload.before && !ZERO_SHA.test(payload.before))
        context.baseRef = payload.before;
    return context;
}
async function readRunContext(env) {
    let payload = {};
    if (env.GITHUB_EVENT_PATH) {
        try {
            payload = JSON.parse(await (0,promises_.readFile)(env.GITHUB_EVENT_PATH, "utf8"));
        }
        catch (error) {
            throw new Error(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${error.message}`);
        }
    }
    return runContextFrom(env, payload);
}
/** `ghcr.io/<owner>/<repo>` for the repository the workflow runs in; a local name elsewhere. */
function defaultImageFor(repository, projectDirName) {
    return repository ? `ghcr.io/${repository}` : `ollama-build/${projectDirName}`;
}

;// CONCATENATED MODULE: ./src/modelfile/ollama-versions.ts
/**
 * What differs between the Ollama versions a project may pin (its `ollama-image`), as far as a Modelfile is
 * concerned: instructions a version does not know yet, and the template functions it defines. Each boundary was
 * read from Ollama's source at the releases on either side of it (the Go module proxy serves them).
 */
/** The release an image tag names (`ollama/ollama:0.11.4`, `…:0.11.4-rocm`, `…:v0.24.0`), when it names one. */
function ollamaVersionOfImage(image) {
    const tag = /:([^/@:]+)(?:@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
    return /^v?(\d+\.\d+\.\d+)(?:-[0-9A-Za-z.-]+)?$/.exec(tag ?? "")?.[1];
}
/** -1, 0 or 1 as a is older than, the same as, or newer than b (`MAJOR.MINOR.PATCH`). */
function compareVersions(a, b) {
    const [pa, pb] = [a, b].map((v) => v.split(".").map(Number));
    for (let i = 0; i < 3; i++) {
        const d = (pa?.[i] ?? 0) - (pb?.[i] ?? 0);
        if (d !== 0)
            return Math.sign(d);
    }
    return 0;
}
const atLeast = (version, since) => compareVersions(version, since) >= 0;
/** The instructions a version's parser knows, as its error lists them. */
function knownInstructions(version) {
    const known = ["from", "license", "template", "system", "adapter"];
    if (atLeast(version, "0.23.2"))
        known.push("draft");
    if (atLeast(version, "0.12.0"))
        known.push("renderer", "parser");
    known.push("parameter", "message");
    if (atLeast(version, "0.14.0"))
        known.push("requires");
    return known;
}
/** parser.go's error for an instruction it does not know, listing those it does. */
function notAnInstruction(version) {
    const quoted = knownInstructions(version).map((name) => `"${name}"`);
    return `command must be one of ${quoted.slice(0, -1).join(", ")}, or ${quoted.at(-1)}`;
}
/** When each instruction became something `ollama create` accepts (FROM, PARAMETER and the rest always were). */
const INSTRUCTION_SINCE = {
    renderer: "0.12.0",
    parser: "0.12.0",
    requires: "0.14.0",
    // 0.23.2 parses DRAFT, but its create request refuses it without --experimental, as 0.24 does; 0.30.0 is
    // the first release checked that accepts it (0.25 to 0.29 could not be read).
    draft: "0.30.0",
};
/**
 * Why `ollama create` of that version refuses an instruction, or undefined when it accepts it. `instruction` is
 * the lower-case keyword (`draft`), not a parameter name.
 */
function unsupportedInstruction(instruction, version) {
    const since = INSTRUCTION_SINCE[instruction];
    if (since === undefined || atLeast(version, since))
        return undefined;
    const ollama = knownInstructions(version).includes(instruction)
        ? "DRAFT requires --experimental"
        : notAnInstruction(version);
    return `${instruction.toUpperCase()} needs Ollama ${since} or newer; the ollama-image is ${version} (its ollama create: "${ollama}")`;
}
/**
 * Whether the version's server trims white space around a FROM model name before reading it (0.18.0 on,
 * internal/modelref); 0.17 and earlier refuse `FROM " qwen3:4b"` as an invalid model name.
 */
const trimsModelNames = (version) => version === undefined || atLeast(version, "0.18.0");
/** Go's strings.TrimSpace: Unicode white space (unicode.IsSpace), at both ends. */
const goTrimSpace = (text) => text.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, "");
/** The functions a version's templates may call besides Go's builtins (template/template.go `funcs`). */
function templateFunctions(version) {
    const names = ["json", "currentDate", "toTypeScriptType"];
    if (version === undefined || atLeast(version, "0.13.3"))
        names.push("yesterdayDate");
    return new Set(names);
}

;// CONCATENATED MODULE: ./src/project/load.ts
/**
 * Reads a project through a FileTree: finds the Modelfiles, parses them, and resolves what every FROM,
 * ADAPTER and DRAFT refers to (a project model, a library model, or a local file with its digest). All I/O
 * of the Modelfile stage happens here; lint, hash and plan are pure functions of the result.
 */





/** The configured folder and model names, as a selection. */
function configuredSelection(config) {
    return {
        paths: [config.modelfiles],
        names: Object.fromEntries(Object.entries(config.models).map(([file, { name }]) => [file, name])),
    };
}
function isModelfileName(file) {
    const base = external_node_path_default().posix.basename(file);
    return base === "Modelfile" || /\.modelfile$/i.test(base);
}
/** `theo-voice-agent.modelfile` → `theo-voice-agent`; `agents/theo/Modelfile` → `theo`. */
function modelNameFromFile(file) {
    const base = external_node_path_default().posix.basename(file);
    // A Modelfile at the root has no folder name to lend: lint asks for a name in ollama-build.yml.
    if (base === "Modelfile")
        return external_node_path_default().posix.dirname(file) === "." ? "" : external_node_path_default().posix.basename(external_node_path_default().posix.dirname(file));
    return base.replace(/\.modelfile$/i, "");
}
/** The Modelfiles to read, and Modelfile-named links that lead out of the project (never read). */
async function findModelfiles(tree, paths) {
    const found = new Set();
    const outside = new Set();
    for (const given of paths) {
        const type = await tree.entryType(given);
        if (type === "directory") {
            for (const file of await tree.listFiles(given))
                if (isModelfileName(file))
                    found.add(file);
            for (const link of await tree.listLinksOutside(given))
                if (isModelfileName(link))
                    outside.add(link);
        }
        else if (type === "file") {
            found.add(external_node_path_default().posix.normalize(given));
        }
        else if (type === "outside") {
            outside.add(external_node_path_default().posix.normalize(given));
        }
        else {
            throw new Error(`${given}: no such file or directory in ${tree.label}`);
        }
    }
    return { files: [...found].sort(), outside: [...outside].sort() };
}
/**
 * The largest Modelfile read (its text becomes a string in memory several times over); a bigger one is
 * reported, not read. Real ones are kilobytes.
 */
const MAX_MODELFILE_BYTES = 32 * 1024 * 1024;
/** sha256 of a directory: over its sorted `relative-path NUL sha256 LF` lines. */
async function directorySha256(tree, dir) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    for (const file of await tree.listFiles(dir)) {
        hash.update(`${file.slice(dir.length + 1)}\0${await tree.sha256(file)}\n`);
    }
    return hash.digest("hex");
}
const REFERENCE_COMMANDS = new Set(["model", "adapter", "draft"]);
/** The weight files Ollama's filesForModel looks for in a directory. */
const MODEL_WEIGHTS = /^(model.*\.safetensors|consolidated.*\.safetensors|pytorch_model.*\.bin|consolidated.*\.pth|.*\.gguf|.*\.bin)$/;
/** Ollama's rule for the model part of a name (types/model/name.go isValidPart). */
function isValidModelName(name) {
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/.test(name);
}
async function resolveTarget(tree, command, modelfileDir, projectModels) {
    const resolution = resolveReference(command.args, modelfileDir);
    if (resolution.kind === "escapes")
        return { kind: "escapes" };
    const entry = await tree.entryType(resolution.path);
    if (entry === "outside")
        return { kind: "escapes" };
    if (entry === "file")
        return { kind: "local", path: resolution.path, entry, sha256: await tree.sha256(resolution.path) };
    if (entry === "directory") {
        // A link in it that leads out of the project would bring that file into the build.
        if ((await tree.listLinksOutside(resolution.path)).length > 0)
            return { kind: "escapes" };
        const files = await tree.listFiles(resolution.path);
        const topLevel = files.map((f) => f.slice(resolution.path.length + 1)).filter((f) => !f.includes("/"));
        return {
            kind: "local",
            path: resolution.path,
            entry,
            sha256: await directorySha256(tree, resolution.path),
            weights: topLevel.some((f) => MODEL_WEIGHTS.test(f)),
        };
    }
    // Ollama takes a FROM that names no existing file as a model name (white space around it trimmed, since
    // 0.18; lint refuses it for older versions); ADAPTER and DRAFT must be files.
    if (command.name === "model" && !looksLikePath(command.args)) {
        const ref = goTrimSpace(command.args);
        const dependency = projectModels.get(canonicalModelRef(ref));
        return dependency === undefined ? { kind: "model", ref } : { kind: "model", ref, dependency };
    }
    return { kind: "missing", path: resolution.path };
}
async function loadProject(tree, selection) {
    const { files, outside } = await findModelfiles(tree, selection.paths);
    const entry = (file) => ({
        name: selection.names?.[file] ?? modelNameFromFile(file),
        file,
        references: [],
    });
    const models = [...files.map(entry), ...outside.map((file) => ({ ...entry(file), outside: true }))].sort((a, b) => (a.file < b.file ? -1 : 1));
    const projectModels = new Map(models.map((m) => [canonicalModelRef(m.name), m.name]));
    for (const model of models) {
        if (model.outside)
            continue;
        const bytes = await tree.readFile(model.file);
        if (bytes.length > MAX_MODELFILE_BYTES) {
            model.bytes = bytes.length;
            continue;
        }
        try {
            model.parsed = parseModelfile(bytes);
        }
        catch (error) {
            if (!(error instanceof ModelfileParseError))
                throw error;
            model.parseError = error;
            continue;
        }
        const dir = external_node_path_default().posix.dirname(model.file);
        for (const command of model.parsed.commands) {
            // By name, as Ollama does: `PARAMETER model x` acts as `FROM x`.
            if (!REFERENCE_COMMANDS.has(command.name))
                continue;
            model.references.push({
                command,
                target: await resolveTarget(tree, command, dir === "." ? "" : dir, projectModels),
            });
        }
    }
    return { models };
}
/** The project models a model builds FROM. */
function dependenciesOf(model) {
    const names = new Set();
    for (const { target } of model.references) {
        if (target.kind === "model" && target.dependency !== undefined)
            names.add(target.dependency);
    }
    return [...names];
}
/** The library references a project's models build FROM, canonical. */
function libraryRefs(project) {
    const refs = new Set();
    for (const model of project.models) {
        for (const { command, target } of model.references) {
            if (command.name === "model" && target.kind === "model" && target.dependency === undefined) {
                refs.add(canonicalModelRef(target.ref));
            }
        }
    }
    return [...refs].sort();
}

;// CONCATENATED MODULE: ./src/modelfile/go-template-literals.ts
/**
 * The literal checks Go's template parser makes through `strconv` and `fmt`: `strconv.Unquote` on strings,
 * `strconv.UnquoteChar` on character constants, and `newNumber` (node.go), which tries `ParseUint`, `ParseInt`
 * and `ParseFloat` in turn, and `fmt.Sscan` for complex constants. Each function returns the error text Go
 * would report, or undefined when Go accepts the literal. Only validity is computed, never the values, except
 * where a value decides validity (integer range, float64 overflow).
 *
 * The inputs are tokens from go-template-lex.ts, so some of Go's paths cannot be reached and are left out:
 * a number token never spells `inf` or `nan` (strconv's special values), and `p` appears in a complex part
 * only after `0x` (fmt's own decimal-with-binary-exponent path).
 */

const SYNTAX = "invalid syntax";
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;
/**
 * `strconv.Unquote` of a string token: its value as a byte string (one character per byte, as Go's strings are
 * bytes: "\xc3\xa9" and "é" are the same name), or undefined where Go reports invalid syntax.
 */
function unquote(quoted) {
    if (quoted.startsWith("`"))
        return utf8Bytes(quoted.slice(1, -1).replaceAll("\r", ""));
    let value = "";
    // The lexer guarantees the closing quote is the last character and the only unescaped one.
    for (let i = 1; i < quoted.length - 1;) {
        const char = unquoteChar(quoted, i, '"');
        if (char === undefined)
            return undefined;
        value += char.bytes;
        i = char.end;
    }
    return value;
}
/** newNumber's check of a character constant such as `'a'` or `'\n'`. */
function charConstantError(text) {
    const char = unquoteChar(text, 1, "'");
    if (char === undefined)
        return SYNTAX;
    return text.slice(char.end) === "'" ? undefined : `malformed character constant: ${text}`;
}
const SIMPLE_ESCAPES = {
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
};
/**
 * `strconv.UnquoteChar(s[i:], quote)`: where the character ends and its bytes (`\x` and octal escapes give one
 * byte, anything else the UTF-8 of a rune), or undefined for ErrSyntax.
 */
function unquoteChar(s, i, quote) {
    const c = s[i];
    if (c === undefined || c === quote)
        return undefined;
    if (c !== "\\") {
        const end = i + (s.codePointAt(i) > 0xffff ? 2 : 1);
        return { end, bytes: utf8Bytes(s.slice(i, end)) };
    }
    const escaped = s[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[escaped];
    if (simple !== undefined)
        return { end: i + 2, bytes: simple };
    if (escaped === "'" || escaped === '"')
        return escaped === quote ? { end: i + 2, bytes: escaped } : undefined;
    const hexLength = { x: 2, u: 4, U: 8 }[escaped];
    if (hexLength !== undefined) {
        const digits = s.slice(i + 2, i + 2 + hexLength);
        if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits))
            return undefined;
        const value = Number.parseInt(digits, 16);
        const end = i + 2 + hexLength;
        if (escaped === "x")
            return { end, bytes: String.fromCharCode(value) };
        // \u and \U must be valid runes.
        if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
            return undefined;
        return { end, bytes: utf8Bytes(String.fromCodePoint(value)) };
    }
    const octal = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(octal) || Number.parseInt(octal, 8) > 255)
        return undefined;
    return { end: i + 4, bytes: String.fromCharCode(Number.parseInt(octal, 8)) };
}
function utf8Bytes(s) {
    return Buffer.from(s, "utf8").toString("latin1");
}
/** newNumber (node.go): the error for a number, complex or character-constant token. */
function numberError(text, type) {
    if (type === "charConstant")
        return charConstantError(text);
    if (type === "complex")
        return complexError(text);
    // Imaginary constants; then integers (so that 0x123 is one); then floats.
    if (text.endsWith("i") && parseFloat64(text.slice(0, -1)) === "ok")
        return undefined;
    if (parseUint64(text) !== undefined || isInt64(text))
        return undefined;
    if (parseFloat64(text) !== "ok")
        return `illegal number syntax: ${goQuote(text)}`;
    // A float that looks like an integer is an integer too large for 64 bits (or "089").
    return /[.eEpP]/.test(text) ? undefined : `integer overflow: ${goQuote(text)}`;
}
/** `strconv.ParseUint(s, 0, 64)`: the value, or undefined for any error. */
function parseUint64(s) {
    if (s === "")
        return undefined;
    let base = 10n;
    let digits = s;
    if (s[0] === "0") {
        const prefix = s.length >= 3 ? { b: 2n, o: 8n, x: 16n }[s[1].toLowerCase()] : undefined;
        base = prefix ?? 8n;
        digits = s.slice(prefix === undefined ? 1 : 2);
    }
    let value = 0n;
    for (const c of digits) {
        if (c === "_")
            continue;
        const digit = Number.parseInt(c, 36);
        if (Number.isNaN(digit) || BigInt(digit) >= base)
            return undefined;
        value = value * base + BigInt(digit);
        if (value > MAX_UINT64)
            return undefined;
    }
    return digits.includes("_") && !go_template_literals_underscoreOK(s) ? undefined : value;
}
/** `strconv.ParseInt(s, 0, 64) == nil`. */
function isInt64(s) {
    const negative = s[0] === "-";
    const unsigned = parseUint64(s[0] === "+" || negative ? s.slice(1) : s);
    return unsigned !== undefined && unsigned <= (negative ? MAX_INT64 + 1n : MAX_INT64);
}
/** strconv's `underscoreOK`: underscores only between digits, or between a base prefix and a digit. */
function go_template_literals_underscoreOK(number) {
    let s = number;
    if (s[0] === "+" || s[0] === "-")
        s = s.slice(1);
    let saw = "^";
    let i = 0;
    let hex = false;
    if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1])) {
        i = 2;
        saw = "0"; // the base prefix counts as a digit
        hex = s[1] === "x" || s[1] === "X";
    }
    for (; i < s.length; i++) {
        const c = s[i];
        if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c)))
            saw = "0";
        else if (c === "_") {
            if (saw !== "0")
                return false;
            saw = "_";
        }
        else {
            if (saw === "_")
                return false;
            saw = "!";
        }
    }
    return saw !== "_";
}
/** `strconv.ParseFloat(s, 64)`: ok, invalid syntax, or out of range (beyond the largest float64). */
function parseFloat64(s) {
    const literal = go_template_literals_readFloat(s);
    if (literal === undefined || literal.end !== s.length)
        return "syntax";
    if (/^0*$/.test(literal.digits))
        return "ok";
    return (literal.hex ? hexOverflows(literal) : decimalOverflows(literal)) ? "range" : "ok";
}
/** strconv's `readFloat`: the longest float literal at the start of s, as Go reads it (exponents capped). */
function go_template_literals_readFloat(s) {
    let i = s[0] === "+" || s[0] === "-" ? 1 : 0;
    const hex = i + 2 < s.length && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X");
    if (hex)
        i += 2;
    const isDigit = hex ? (c) => /[0-9a-fA-F]/.test(c) : (c) => c >= "0" && c <= "9";
    let underscores = false;
    let sawDot = false;
    let sawDigits = false;
    let digits = "";
    let point = 0;
    for (; i < s.length; i++) {
        const c = s[i];
        if (c === "_")
            underscores = true;
        else if (c === ".") {
            if (sawDot)
                break;
            sawDot = true;
            point = digits.length;
        }
        else if (isDigit(c)) {
            sawDigits = true;
            if (c === "0" && digits === "")
                point--; // a leading zero
            else
                digits += c;
        }
        else
            break;
    }
    if (!sawDigits)
        return undefined;
    if (!sawDot)
        point = digits.length;
    if (hex)
        point *= 4;
    const expChar = hex ? "p" : "e";
    if (s[i]?.toLowerCase() === expChar) {
        const exponent = /^([+-]?)([0-9][0-9_]*)/.exec(s.slice(i + 1));
        if (exponent === null)
            return undefined;
        const [whole, sign, expDigits] = exponent;
        if (expDigits.includes("_"))
            underscores = true;
        point += (sign === "-" ? -1 : 1) * cappedExponent(expDigits);
        i += 1 + whole.length;
    }
    else if (hex) {
        return undefined; // a hex mantissa requires a 'p' exponent
    }
    if (underscores && !go_template_literals_underscoreOK(s.slice(0, i)))
        return undefined;
    return { hex, digits, point, end: i };
}
/** Go stops accumulating exponent digits once the exponent reaches 10000. */
function cappedExponent(digits) {
    let e = 0;
    for (const c of digits)
        if (c !== "_" && e < 10000)
            e = e * 10 + Number(c);
    return e;
}
function decimalOverflows({ digits, point }) {
    // JavaScript's parse rounds to nearest as Go's does, so both overflow on the same inputs.
    return !Number.isFinite(Number(`0.${digits}e${point}`));
}
/** Whether 0x0.digits × 2^point, rounded to 53 bits (half to even), reaches 2^1024. */
function hexOverflows({ digits, point }) {
    let mantissa = BigInt(`0x${digits}`);
    const bits = mantissa.toString(2).length;
    let top = bits - 1 + point - 4 * digits.length; // the exponent of the leading bit
    if (bits > 53) {
        const shift = BigInt(bits - 53);
        const rest = mantissa & ((1n << shift) - 1n);
        const half = 1n << (shift - 1n);
        mantissa >>= shift;
        if (rest > half || (rest === half && (mantissa & 1n) === 1n))
            mantissa++;
        if (mantissa === 1n << 53n)
            top++;
    }
    return top > 1023;
}
const ERR_COMPLEX = "syntax error scanning complex number";
/**
 * `fmt.Sscan(text, &complex128)`: fmt's own scan of the two parts (`complexTokens`, `floatToken`), then
 * `strconv.ParseFloat` on each. Text after the closing `i` would be ignored, but the lexer leaves none.
 */
function complexError(text) {
    const scanner = { text, pos: 0 };
    const real = floatToken(scanner);
    if (!accept(scanner, "+-"))
        return ERR_COMPLEX;
    const imaginary = text[scanner.pos - 1] + floatToken(scanner);
    if (!accept(scanner, "i"))
        return ERR_COMPLEX;
    return convertFloatError(real) ?? convertFloatError(imaginary);
}
function accept(scanner, valid) {
    const c = scanner.text[scanner.pos];
    if (c === undefined || !valid.includes(c))
        return false;
    scanner.pos++;
    return true;
}
/** fmt's `floatToken`: the characters it accepts, including a stray `i` from a failed "inf". */
function floatToken(scanner) {
    const start = scanner.pos;
    const token = () => scanner.text.slice(start, scanner.pos);
    if (accept(scanner, "nN") && accept(scanner, "aA") && accept(scanner, "nN"))
        return token();
    accept(scanner, "+-");
    if (accept(scanner, "iI") && accept(scanner, "nN") && accept(scanner, "fF"))
        return token();
    let digits = "0123456789_";
    let exponent = "eEpP";
    if (accept(scanner, "0") && accept(scanner, "xX")) {
        digits = "0123456789aAbBcCdDeEfF_";
        exponent = "pP";
    }
    while (accept(scanner, digits)) { }
    if (accept(scanner, "."))
        while (accept(scanner, digits)) { }
    if (accept(scanner, exponent)) {
        accept(scanner, "+-");
        while (accept(scanner, "0123456789_")) { }
    }
    return token();
}
function convertFloatError(part) {
    const status = parseFloat64(part);
    if (status === "ok")
        return undefined;
    return `strconv.ParseFloat: parsing ${goQuote(part)}: ${status === "syntax" ? SYNTAX : "value out of range"}`;
}
/** Go's `%#U`: `U+0022 '"'`, the character itself only when it is printable. */
function formatUnicode(r) {
    const hex = `U+${r.toString(16).toUpperCase().padStart(4, "0")}`;
    return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}
/** Go's `strconv.Quote` (and so `%q`) of a JavaScript string, as Go sees it: in UTF-8. */
function goQuote(s) {
    return goQuoteBytes(Buffer.from(s, "utf8").toString("latin1"));
}
/** `strconv.Quote` of a byte string (one character per byte): printable runes as they are, others escaped. */
function goQuoteBytes(bytes) {
    let out = '"';
    for (let i = 0; i < bytes.length;) {
        const rune = decodeRune(bytes, i);
        out += rune === undefined ? `\\x${bytes.charCodeAt(i).toString(16).padStart(2, "0")}` : quoteRune(rune);
        i += rune === undefined ? 1 : utf8Length(rune);
    }
    return `${out}"`;
}
/** The rune whose UTF-8 starts at bytes[i], or undefined where Go's DecodeRune gives (RuneError, 1). */
function decodeRune(bytes, i) {
    const lead = bytes.charCodeAt(i);
    if (lead < 0x80)
        return lead;
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    const encoded = Buffer.from(bytes.slice(i, i + length), "latin1");
    const decoded = encoded.toString("utf8");
    // Node's decoder turns overlong forms, surrogates and truncated sequences into U+FFFD, which re-encodes
    // differently; a valid sequence survives the round trip.
    if (length === 0 || !Buffer.from(decoded, "utf8").equals(encoded))
        return undefined;
    return decoded.codePointAt(0);
}
function utf8Length(rune) {
    return rune < 0x80 ? 1 : rune < 0x800 ? 2 : rune < 0x10000 ? 3 : 4;
}
const SHORT_ESCAPES = new Map([
    [0x07, "\\a"],
    [0x08, "\\b"],
    [0x0c, "\\f"],
    [0x0a, "\\n"],
    [0x0d, "\\r"],
    [0x09, "\\t"],
    [0x0b, "\\v"],
]);
function quoteRune(r) {
    if (r === 0x22 || r === 0x5c)
        return `\\${String.fromCodePoint(r)}`;
    if (isPrint(r))
        return String.fromCodePoint(r);
    const short = SHORT_ESCAPES.get(r);
    if (short !== undefined)
        return short;
    if (r < 0x20 || r === 0x7f)
        return `\\x${r.toString(16).padStart(2, "0")}`;
    if (r < 0x10000)
        return `\\u${r.toString(16).padStart(4, "0")}`;
    return `\\U${r.toString(16).padStart(8, "0")}`;
}
function go_template_literals_isSpace(r) {
    return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}
const LETTER = /^\p{L}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
/**
 * Go's `isAlphaNumeric`: `_`, `unicode.IsLetter` or `unicode.IsDigit`, by Go's Unicode 15.0 tables. This
 * engine's tables are newer, so a letter or digit must also be printable by the 15.0 table (letters and
 * digits assigned later are not).
 */
function isAlphaNumeric(r) {
    if (r < 0x80)
        return r === 0x5f || (r >= 0x30 && r <= 0x39) || ((r | 0x20) >= 0x61 && (r | 0x20) <= 0x7a);
    const ch = String.fromCodePoint(r);
    return (LETTER.test(ch) || DECIMAL_DIGIT.test(ch)) && isPrint(r);
}

;// CONCATENATED MODULE: ./src/modelfile/go-template-tokens.ts

/** Keywords; Go orders them after `itemKeyword`, and errors print them as `<val>`. */
const KEYWORDS = [
    "block",
    "break",
    "continue",
    "define",
    "else",
    "end",
    "if",
    "nil",
    "range",
    "template",
    "with",
];
const PRINTED_AS_KEYWORD = new Set(["dot", ...KEYWORDS]);
/** Go's `item.String()`, which is how errors name a token. */
function describeItem(item) {
    if (item.type === "eof")
        return "EOF";
    if (item.type === "error")
        return item.val;
    if (PRINTED_AS_KEYWORD.has(item.type))
        return `<${item.val}>`;
    // Go measures the value in bytes, then prints `%.10q`: the first 10 runes, quoted.
    if (Buffer.byteLength(item.val, "utf8") > 10)
        return `${goQuote([...item.val].slice(0, 10).join(""))}...`;
    return goQuote(item.val);
}
/** The parser's view of the lexer, with Go's look-ahead: each tree has its own, all share one lexer. */
class TokenReader {
    lexer;
    /** Go's `token [3]item`; `token[0]` is always the item read last, whose line Go's errors report. */
    token = [NO_ITEM, NO_ITEM, NO_ITEM];
    peekCount = 0;
    constructor(lexer) {
        this.lexer = lexer;
    }
    /** The line of the item read last, whatever has been backed up since. */
    get lastLine() {
        return this.slot(0).line;
    }
    slot(i) {
        return this.token[i];
    }
    next() {
        if (this.peekCount > 0)
            this.peekCount--;
        else
            this.token[0] = this.lexer.nextItem();
        return this.slot(this.peekCount);
    }
    backup() {
        this.peekCount++;
    }
    /** Backs up two tokens: `t1`, and the one read last. */
    backup2(t1) {
        this.token[1] = t1;
        this.peekCount = 2;
    }
    /** Backs up three tokens, in reverse order: `t2`, `t1`, and the one read last. */
    backup3(t2, t1) {
        this.token[1] = t1;
        this.token[2] = t2;
        this.peekCount = 3;
    }
    peek() {
        if (this.peekCount > 0)
            return this.slot(this.peekCount - 1);
        this.peekCount = 1;
        this.token[0] = this.lexer.nextItem();
        return this.slot(0);
    }
    nextNonSpace() {
        let token = this.next();
        while (token.type === "space")
            token = this.next();
        return token;
    }
    peekNonSpace() {
        const token = this.nextNonSpace();
        this.backup();
        return token;
    }
}
const NO_ITEM = { type: "eof", val: "", line: 0 };

;// CONCATENATED MODULE: ./src/modelfile/go-template-lex-states.ts
/**
 * The state functions of Go's template lexer (`lex.go`): text and comments between actions, and the items
 * inside an action. Each reads from the Lexer (go-template-lex.ts) and either returns the next state or emits
 * an item.
 */



const EOF = -1;
const LEFT_DELIM = "{{";
const RIGHT_DELIM = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
/** A trim marker is `-` plus the ASCII space that must separate it from the delimiter's contents. */
const TRIM_MARKER_LENGTH = 2;
const NEWLINE = 0x0a;
function lexText(l) {
    const x = l.input.indexOf(LEFT_DELIM, l.pos);
    if (x < 0) {
        l.pos = l.input.length;
        if (l.pos > l.start) {
            l.line += countNewlines(l.input.slice(l.start, l.pos));
            return l.emit("text");
        }
        return l.emit("eof");
    }
    if (x > l.pos) {
        l.pos = x;
        // A `{{- ` trims the spaces before it, which are skipped rather than emitted.
        const trimLength = hasLeftTrimMarker(l.input, l.pos + LEFT_DELIM.length)
            ? rightTrimLength(l.input.slice(l.start, l.pos))
            : 0;
        l.pos -= trimLength;
        l.line += countNewlines(l.input.slice(l.start, l.pos));
        const item = l.thisItem("text");
        l.pos += trimLength;
        l.ignore();
        if (item.val.length > 0)
            return l.emitItem(item);
    }
    return lexLeftDelim;
}
function lexLeftDelim(l) {
    l.pos += LEFT_DELIM.length;
    const afterMarker = hasLeftTrimMarker(l.input, l.pos) ? TRIM_MARKER_LENGTH : 0;
    if (l.at(LEFT_COMMENT, l.pos + afterMarker)) {
        l.pos += afterMarker;
        l.ignore();
        return lexComment;
    }
    const item = l.thisItem("leftDelim");
    l.insideAction = true;
    l.pos += afterMarker;
    l.ignore();
    l.parenDepth = 0;
    return l.emitItem(item);
}
function lexComment(l) {
    l.pos += LEFT_COMMENT.length;
    const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
    if (x < 0)
        return l.errorf("unclosed comment");
    l.pos = x + RIGHT_COMMENT.length;
    const { delim, trimSpaces } = l.atRightDelim();
    if (!delim)
        return l.errorf("comment ends before closing delimiter");
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    l.thisItem("comment"); // text/template never asks for comments, so the item is dropped
    if (trimSpaces)
        l.pos += TRIM_MARKER_LENGTH;
    l.pos += RIGHT_DELIM.length;
    if (trimSpaces)
        l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
    return lexText;
}
function lexRightDelim(l) {
    const { trimSpaces } = l.atRightDelim();
    if (trimSpaces) {
        l.pos += TRIM_MARKER_LENGTH;
        l.ignore();
    }
    l.pos += RIGHT_DELIM.length;
    const item = l.thisItem("rightDelim");
    if (trimSpaces) {
        l.pos += leftTrimLength(l.input, l.pos);
        l.ignore();
    }
    l.insideAction = false;
    return l.emitItem(item);
}
function lexInsideAction(l) {
    if (l.atRightDelim().delim) {
        return l.parenDepth === 0 ? lexRightDelim : l.errorf("unclosed left paren");
    }
    const r = l.next();
    if (r === EOF)
        return l.errorf("unclosed action");
    if (go_template_literals_isSpace(r)) {
        l.backup(); // put the space back, in case it starts " -}}"
        return lexSpace;
    }
    const single = SINGLE_RUNE_STATES.get(r);
    if (single !== undefined)
        return single(l);
    if (r === 0x2e /* . */) {
        // ".field", unless a digit follows: then the dot starts a number.
        const following = l.input.charCodeAt(l.pos);
        if (l.pos < l.input.length && !(following >= 0x30 && following <= 0x39))
            return lexField;
    }
    if (r === 0x2e || r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
        l.backup();
        return lexNumber;
    }
    if (isAlphaNumeric(r)) {
        l.backup();
        return lexIdentifier;
    }
    if (r === 0x28 /* ( */) {
        l.parenDepth++;
        return l.emit("leftParen");
    }
    if (r === 0x29 /* ) */) {
        l.parenDepth--;
        return l.parenDepth < 0 ? l.errorf("unexpected right paren") : l.emit("rightParen");
    }
    if (r < 0x80 && isPrint(r))
        return l.emit("char");
    return l.errorf(`unrecognized character in action: ${formatUnicode(r)}`);
}
/** The runes of lexInsideAction's switch that decide the item on their own. */
const SINGLE_RUNE_STATES = new Map([
    [0x3d /* = */, (l) => l.emit("assign")],
    [0x3a /* : */, (l) => (l.next() === 0x3d ? l.emit("declare") : l.errorf("expected :="))],
    [0x7c /* | */, (l) => l.emit("pipe")],
    [0x22 /* " */, (l) => lexQuote(l, "string", "unterminated quoted string")],
    [0x60 /* ` */, lexRawQuote],
    [0x24 /* $ */, lexVariable],
    [0x27 /* ' */, (l) => lexQuote(l, "charConstant", "unterminated character constant")],
]);
/** A run of spaces; the first is known to be there. A single space before `-}}` belongs to the delimiter. */
function lexSpace(l) {
    let spaces = 0;
    while (go_template_literals_isSpace(l.peek())) {
        l.next();
        spaces++;
    }
    if (hasRightTrimMarker(l.input, l.pos - 1) && l.at(RIGHT_DELIM, l.pos - 1 + TRIM_MARKER_LENGTH)) {
        l.backup(); // before the space
        if (spaces === 1)
            return lexRightDelim;
    }
    return l.emit("space");
}
function lexIdentifier(l) {
    let r = l.next();
    while (isAlphaNumeric(r))
        r = l.next();
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator())
        return l.errorf(`bad character ${formatUnicode(r)}`);
    if (KEYWORDS.includes(word)) {
        const keyword = word;
        const disabled = (keyword === "break" && !l.options.breakOK) || (keyword === "continue" && !l.options.continueOK);
        return l.emit(disabled ? "identifier" : keyword);
    }
    if (word.startsWith("."))
        return l.emit("field");
    if (word === "true" || word === "false")
        return l.emit("bool");
    return l.emit("identifier");
}
function lexField(l) {
    return lexFieldOrVariable(l, "field");
}
function lexVariable(l) {
    if (l.atTerminator())
        return l.emit("variable"); // just "$"
    return lexFieldOrVariable(l, "variable");
}
function lexFieldOrVariable(l, type) {
    if (l.atTerminator())
        return l.emit(type === "variable" ? "variable" : "dot");
    let r = l.next();
    while (isAlphaNumeric(r))
        r = l.next();
    l.backup();
    if (!l.atTerminator())
        return l.errorf(`bad character ${formatUnicode(r)}`);
    return l.emit(type);
}
function lexNumber(l) {
    if (!l.scanNumber())
        return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    const sign = l.peek();
    if (sign === 0x2b || sign === 0x2d) {
        // Complex, as in 1+2i: no spaces, and it must end in 'i'.
        if (!l.scanNumber() || l.input[l.pos - 1] !== "i") {
            return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
        }
        return l.emit("complex");
    }
    return l.emit("number");
}
/** A quoted string or character constant; the parser checks the escapes (strconv). */
function lexQuote(l, type, unterminated) {
    const quote = type === "string" ? 0x22 : 0x27;
    for (;;) {
        let r = l.next();
        if (r === 0x5c /* \ */) {
            r = l.next();
            if (r === EOF || r === NEWLINE)
                return l.errorf(unterminated);
        }
        else if (r === EOF || r === NEWLINE) {
            return l.errorf(unterminated);
        }
        else if (r === quote) {
            return l.emit(type);
        }
    }
}
function lexRawQuote(l) {
    const end = l.input.indexOf("`", l.pos);
    if (end < 0) {
        l.pos = l.input.length;
        l.line += countNewlines(l.input.slice(l.start, l.pos)); // as Go's next() would have counted them
        l.atEOF = true;
        return l.errorf("unterminated raw quoted string");
    }
    l.pos = end + 1;
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    return l.emit("rawString");
}
/** `-` and a space: `{{- ` trims the spaces before the action. */
function hasLeftTrimMarker(s, at) {
    return s[at] === "-" && go_template_literals_isSpace(s.charCodeAt(at + 1));
}
/** A space and `-`: ` -}}` trims the spaces after the action. */
function hasRightTrimMarker(s, at) {
    return go_template_literals_isSpace(s.charCodeAt(at)) && s[at + 1] === "-";
}
function rightTrimLength(s) {
    let end = s.length;
    while (end > 0 && go_template_literals_isSpace(s.charCodeAt(end - 1)))
        end--;
    return s.length - end;
}
function leftTrimLength(s, from) {
    let end = from;
    while (end < s.length && go_template_literals_isSpace(s.charCodeAt(end)))
        end++;
    return end - from;
}
function countNewlines(s) {
    let count = 0;
    for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1))
        count++;
    return count;
}
function isOneOf(r, valid) {
    return r !== EOF && valid.includes(String.fromCodePoint(r));
}

;// CONCATENATED MODULE: ./src/modelfile/go-template-lex.ts
/**
 * A port of the lexer of Go's `text/template/parse` (`lex.go`, Go 1.26): the same state functions, the same
 * tokens and the same line counting, so that the parser in go-template.ts sees exactly the items Go's parser
 * sees. Only the default delimiters `{{` `}}` are supported, and comments are never emitted (text/template
 * parses without `ParseComments`). This module is Go's `lexer` type, the input and the items it emits; its
 * state functions are in go-template-lex-states.ts.
 *
 * Go works on bytes, this works on UTF-16 code units; the two agree wherever it matters, since every byte Go
 * compares against is ASCII. A lone surrogate reads as U+FFFD, which is what Go sees once the text is UTF-8.
 */


class Lexer {
    options;
    input;
    pos = 0;
    start = 0;
    atEOF = false;
    parenDepth = 0;
    /** 1 + the newlines seen so far. */
    line = 1;
    startLine = 1;
    item = { type: "eof", val: "EOF", line: 1 };
    insideAction = false;
    constructor(input, options) {
        this.options = options;
        this.input = input;
    }
    /** The next item: called by the parser, one item at a time. */
    nextItem() {
        this.item = { type: "eof", val: "EOF", line: this.startLine };
        let state = this.insideAction ? lexInsideAction : lexText;
        while (state !== null)
            state = state(this);
        return this.item;
    }
    next() {
        if (this.pos >= this.input.length) {
            this.atEOF = true;
            return EOF;
        }
        const r = this.input.codePointAt(this.pos);
        this.pos += r > 0xffff ? 2 : 1;
        if (r === NEWLINE)
            this.line++;
        return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r;
    }
    peek() {
        const r = this.next();
        this.backup();
        return r;
    }
    /** Steps back one rune; like Go's, a no-op once the end of the input has been read. */
    backup() {
        if (this.atEOF || this.pos === 0)
            return;
        // A code point read from two positions back is beyond U+FFFF only if those two are a surrogate pair.
        this.pos -= this.pos >= 2 && this.input.codePointAt(this.pos - 2) > 0xffff ? 2 : 1;
        if (this.input.charCodeAt(this.pos) === NEWLINE)
            this.line--;
    }
    thisItem(type) {
        const item = { type, val: this.input.slice(this.start, this.pos), line: this.startLine };
        this.start = this.pos;
        this.startLine = this.line;
        return item;
    }
    emit(type) {
        return this.emitItem(this.thisItem(type));
    }
    emitItem(item) {
        this.item = item;
        return null;
    }
    /** Skips the pending input, counting its newlines (for text skipped without `next`). */
    ignore() {
        this.line += countNewlines(this.input.slice(this.start, this.pos));
        this.start = this.pos;
        this.startLine = this.line;
    }
    accept(valid) {
        if (isOneOf(this.next(), valid))
            return true;
        this.backup();
        return false;
    }
    acceptRun(valid) {
        while (isOneOf(this.next(), valid)) { }
        this.backup();
    }
    /** Emits an error item and empties the input, so every later item is EOF (or another error). */
    errorf(message) {
        this.item = { type: "error", val: message, line: this.startLine };
        this.start = 0;
        this.pos = 0;
        this.input = "";
        return null;
    }
    /** Whether the input continues with `prefix` at `at`. */
    at(prefix, at = this.pos) {
        return this.input.startsWith(prefix, at);
    }
    atRightDelim() {
        if (hasRightTrimMarker(this.input, this.pos) && this.at(RIGHT_DELIM, this.pos + TRIM_MARKER_LENGTH)) {
            return { delim: true, trimSpaces: true };
        }
        return { delim: this.at(RIGHT_DELIM), trimSpaces: false };
    }
    /** Whether the input is at a character that may end an identifier, field or variable. */
    atTerminator() {
        const r = this.peek();
        if (go_template_literals_isSpace(r))
            return true;
        if (r === EOF || isOneOf(r, ".,|:)("))
            return true;
        return this.at(RIGHT_DELIM);
    }
    /** `scanNumber`: deliberately loose (it accepts "." and "089"); strconv, in the parser, is strict. */
    scanNumber() {
        this.accept("+-");
        let digits = "0123456789_";
        if (this.accept("0")) {
            // A leading 0 does not mean octal in floats.
            if (this.accept("xX"))
                digits = "0123456789abcdefABCDEF_";
            else if (this.accept("oO"))
                digits = "01234567_";
            else if (this.accept("bB"))
                digits = "01_";
        }
        this.acceptRun(digits);
        if (this.accept("."))
            this.acceptRun(digits);
        if (digits.length === 11 && this.accept("eE")) {
            this.accept("+-");
            this.acceptRun("0123456789_");
        }
        if (digits.length === 23 && this.accept("pP")) {
            this.accept("+-");
            this.acceptRun("0123456789_");
        }
        this.accept("i"); // imaginary
        if (isAlphaNumeric(this.peek())) {
            this.next();
            return false;
        }
        return true;
    }
}

;// CONCATENATED MODULE: ./src/modelfile/go-template-pipeline.ts


class TemplateSyntaxError extends Error {
    line;
    constructor(message, line) {
        super(message);
        this.line = line;
    }
}
/** Go's maxStackDepth: the deepest nesting of parenthesized pipelines. */
const MAX_STACK_DEPTH = 10000;
const node = (type, text = "") => ({ type, text });
/** The tokens that can start an operand. */
const OPERAND_STARTS = new Set([
    ...["bool", "charConstant", "complex", "dot", "field", "identifier", "number", "nil"],
    ...["rawString", "string", "variable", "leftParen"],
]);
/** Operands that cannot start a later stage of a pipeline, nor take a field. */
const LITERALS = new Set(["bool", "dot", "nil", "number", "string"]);
/** Go's Tree, less its control structures: the state pipelines need, and Go's error reporting. */
class PipelineParser extends TokenReader {
    shared;
    /** Variables defined at the moment. */
    vars = ["$"];
    /** Line of the `{{` of the action being parsed, or 0. */
    actionLine = 0;
    stackDepth = 0;
    constructor(shared) {
        super(shared.lexer);
        this.shared = shared;
    }
    errorf(message) {
        const line = this.lastLine;
        throw new TemplateSyntaxError(`template: :${line}: ${message}`, line);
    }
    expect(expected, context) {
        const token = this.nextNonSpace();
        if (token.type !== expected)
            this.unexpected(token, context);
        return token;
    }
    unexpected(token, context) {
        if (token.type !== "error")
            this.errorf(`unexpected ${describeItem(token)} in ${context}`);
        let extra = "";
        if (this.actionLine !== 0 && this.actionLine !== token.line) {
            // "unclosed action started at", rather than "unclosed action in action started at".
            extra = `${token.val.endsWith(" action") ? "" : " in action"} started at :${this.actionLine}`;
        }
        this.errorf(`${token.val}${extra}`);
    }
    /** declarations? command ('|' command)*, up to `end`. */
    pipeline(context, end) {
        this.peekNonSpace();
        this.declarations(context);
        const firstOperands = [];
        for (;;) {
            const token = this.nextNonSpace();
            if (token.type === end) {
                this.checkPipeline(firstOperands, context);
                return node("pipe");
            }
            if (!OPERAND_STARTS.has(token.type))
                this.unexpected(token, context);
            this.backup();
            firstOperands.push(this.command());
        }
    }
    /**
     * `$x :=` or `$x =`, or for a range `$i, $e :=`. Telling `$x :=` from `$x foo` needs three tokens of
     * look-ahead, since the space between them is a token: what was read is pushed back when it is no declaration.
     */
    declarations(context) {
        let declared = 0;
        for (;;) {
            const variable = this.peekNonSpace();
            if (variable.type !== "variable")
                return;
            this.next();
            const tokenAfterVariable = this.peek();
            const next = this.peekNonSpace();
            if (next.type === "assign" || next.type === "declare") {
                this.nextNonSpace();
                this.vars.push(variable.val);
            }
            else if (next.type === "char" && next.val === ",") {
                this.nextNonSpace();
                this.vars.push(variable.val);
                declared++;
                if (context === "range" && declared < 2) {
                    const after = this.peekNonSpace().type;
                    if (after === "variable" || after === "rightDelim" || after === "rightParen")
                        continue; // the second variable
                    this.errorf("range can only initialize variables");
                }
                this.errorf(`too many declarations in ${context}`);
            }
            else if (tokenAfterVariable.type === "space") {
                this.backup3(variable, tokenAfterVariable);
            }
            else {
                this.backup2(variable);
            }
            return;
        }
    }
    checkPipeline(firstOperands, context) {
        if (firstOperands.length === 0)
            this.errorf(`missing value for ${context}`);
        // Only the first command of a pipeline may start with a literal (A|B|C: stage 2 is B).
        for (let i = 1; i < firstOperands.length; i++) {
            if (LITERALS.has(firstOperands[i]))
                this.errorf(`non executable command in pipeline stage ${i + 1}`);
        }
    }
    /** Space-separated operands up to a pipe (consumed) or a closing delimiter (left): the first one's type. */
    command() {
        let first;
        this.peekNonSpace();
        for (;;) {
            this.peekNonSpace();
            const operand = this.operand();
            first ??= operand?.type;
            const token = this.next();
            if (token.type === "space")
                continue;
            if (token.type === "rightDelim" || token.type === "rightParen")
                this.backup();
            else if (token.type !== "pipe")
                this.unexpected(token, "operand");
            break;
        }
        if (first === undefined)
            this.errorf("empty command");
        return first;
    }
    /** A term followed by any number of .Field accesses. */
    operand() {
        const term = this.term();
        if (term === undefined || this.peek().type !== "field")
            return term;
        while (this.peek().type === "field")
            this.next();
        if (LITERALS.has(term.type))
            this.errorf(`unexpected . after term ${goQuote(term.text)}`);
        return term.type === "field" || term.type === "variable" ? term : node("chain");
    }
    /** A literal, function name, `.`, `.Field`, `$x` or parenthesized pipeline; undefined (unread) otherwise. */
    term() {
        const token = this.nextNonSpace();
        switch (token.type) {
            case "identifier":
                if (!this.shared.hasFunction(token.val))
                    this.errorf(`function ${goQuote(token.val)} not defined`);
                return node("identifier");
            case "dot":
                return node("dot", ".");
            case "nil":
                return node("nil", "nil");
            case "variable":
                return this.useVar(token.val);
            case "field":
                return node("field");
            case "bool":
                return node("bool", token.val);
            case "charConstant":
            case "complex":
            case "number": {
                const error = numberError(token.val, token.type);
                if (error !== undefined)
                    this.errorf(error);
                return node("number", token.val);
            }
            case "leftParen":
                return this.parenthesized();
            case "string":
            case "rawString":
                this.unquote(token.val);
                return node("string", token.val);
        }
        this.backup();
        return undefined;
    }
    parenthesized() {
        if (this.stackDepth >= MAX_STACK_DEPTH)
            this.errorf("max expression depth exceeded");
        this.stackDepth++;
        try {
            return this.pipeline("parenthesized pipeline", "rightParen");
        }
        finally {
            this.stackDepth--;
        }
    }
    useVar(name) {
        if (!this.vars.includes(name))
            this.errorf(`undefined variable ${goQuote(name)}`);
        return node("variable");
    }
    /** strconv.Unquote: the value's bytes, one per character, as Go compares names byte by byte. */
    unquote(quoted) {
        const value = unquote(quoted);
        if (value === undefined)
            this.errorf("invalid syntax");
        return value;
    }
}

;// CONCATENATED MODULE: ./src/modelfile/go-template.ts
/**
 * A port of the parsing half of Go's `text/template/parse` (`parse.go`, Go 1.26), which Ollama runs on every
 * TEMPLATE (`template.New("").Option("missingkey=zero").Funcs(funcs).Parse(s)`): it refuses exactly the
 * templates Go refuses, with Go's error text, including its line number. Nothing is executed, and no tree is
 * kept beyond what Go's checks read: the type of each node, and whether a template's body is empty.
 *
 * The structure follows Go's closely (one method per Go function, the same token look-ahead with its three
 * slots), because the line in Go's messages is that of the last token read, which depends on exactly how far
 * the parser has looked ahead. This module holds the template lists and control structures; the pipelines
 * inside actions are go-template-pipeline.ts's.
 */



/** Go's builtin template functions (text/template). */
const GO_TEMPLATE_BUILTINS = new Set("and call html index slice js len not or print printf println urlquery eq ge gt le lt ne".split(" "));
/**
 * What Go's template.New("").Funcs(funcs).Parse(text) reports, or undefined when it parses. `functions` are
 * the extra function names (Ollama's).
 */
function checkGoTemplate(text, functions) {
    const hasFunction = (name) => GO_TEMPLATE_BUILTINS.has(name) || functions.has(name);
    // As in Go, a function called "break" or "continue" turns the keyword into an identifier.
    const lexer = new Lexer(text, { breakOK: !hasFunction("break"), continueOK: !hasFunction("continue") });
    try {
        new Tree("", { lexer, hasFunction, treeSet: new Map() }).parse();
        return undefined;
    }
    catch (error) {
        if (error instanceof TemplateSyntaxError)
            return { message: error.message, line: error.line };
        if (error instanceof RangeError)
            return tooDeep(lexer);
        throw error;
    }
}
/**
 * The parser recurses as Go's does, once per nesting level. Go's stack grows as needed; this engine's does not,
 * and runs out at a few thousand levels of parentheses or blocks. Go would still parse such a template (up to
 * 10000 levels of parentheses): it is reported as refused, with a message that is not Go's.
 */
function tooDeep(lexer) {
    return { message: `template: :${lexer.line}: nesting too deep to check`, line: lexer.line };
}
class Tree extends PipelineParser {
    name;
    rangeDepth = 0;
    constructor(name, shared) {
        super(shared);
        this.name = name;
    }
    /** Records a finished template; a name may be defined twice only if one of the bodies is empty. */
    add(isEmpty) {
        const existingIsEmpty = this.shared.treeSet.get(this.name);
        if (existingIsEmpty === undefined || existingIsEmpty) {
            this.shared.treeSet.set(this.name, isEmpty);
        }
        else if (!isEmpty) {
            this.errorf(`template: multiple definition of template ${goQuoteBytes(this.name)}`);
        }
    }
    /** The top level: like itemList, but it also accepts {{define}} and runs to EOF. */
    parse() {
        let isEmpty = true;
        while (this.peek().type !== "eof") {
            if (this.peek().type === "leftDelim") {
                const delim = this.next();
                if (this.nextNonSpace().type === "define") {
                    new Tree("definition", this.shared).parseDefinition();
                    continue;
                }
                this.backup2(delim);
            }
            const n = this.textOrAction();
            if (n.type === "end" || n.type === "else")
                this.errorf(`unexpected ${n.text}`);
            isEmpty &&= isEmptyNode(n);
        }
        this.add(isEmpty);
    }
    /** `{{define "name"}} ... {{end}}`, after the keyword. */
    parseDefinition() {
        const context = "define clause";
        const name = this.nextNonSpace();
        if (name.type !== "string" && name.type !== "rawString")
            this.unexpected(name, context);
        this.name = this.unquote(name.val);
        this.expect("rightDelim", context);
        const { isEmpty, end } = this.itemList();
        if (end.type !== "end")
            this.errorf(`unexpected ${end.text} in ${context}`);
        this.add(isEmpty);
    }
    /** textOrAction* up to an {{end}} or {{else}}, which is returned separately. */
    itemList() {
        let isEmpty = true;
        while (this.peekNonSpace().type !== "eof") {
            const n = this.textOrAction();
            if (n.type === "end" || n.type === "else")
                return { isEmpty, end: n };
            isEmpty &&= isEmptyNode(n);
        }
        this.errorf("unexpected EOF");
    }
    textOrAction() {
        const token = this.nextNonSpace();
        if (token.type === "text")
            return node("text", token.val);
        if (token.type !== "leftDelim")
            this.unexpected(token, "input");
        this.actionLine = token.line;
        try {
            return this.action();
        }
        finally {
            this.actionLine = 0;
        }
    }
    /** A control structure, or a pipeline; the `{{` has been read. */
    action() {
        const token = this.nextNonSpace();
        switch (token.type) {
            case "block":
                return this.blockControl();
            case "break":
            case "continue":
                return this.loopControl(token.type);
            case "else":
                return this.elseControl();
            case "end":
                this.expect("rightDelim", "end");
                return node("end", "{{end}}");
            case "if":
            case "range":
            case "with":
                return this.parseControl(token.type);
            case "template":
                return this.templateControl();
        }
        this.backup();
        // Variables declared here persist until the enclosing {{end}}.
        this.pipeline("command", "rightDelim");
        return node("action");
    }
    loopControl(keyword) {
        const token = this.nextNonSpace();
        if (token.type !== "rightDelim")
            this.unexpected(token, `{{${keyword}}}`);
        if (this.rangeDepth === 0)
            this.errorf(`{{${keyword}}} outside {{range}}`);
        return node(keyword);
    }
    /** The pipeline and body (and else branch) of if, range and with; variables end with the control. */
    parseControl(context) {
        const varsBefore = this.vars.length;
        try {
            this.pipeline(context, "rightDelim");
            if (context === "range")
                this.rangeDepth++;
            const { end } = this.itemList();
            if (context === "range")
                this.rangeDepth--;
            if (end.type === "else")
                this.parseElse(context);
            return node(context);
        }
        finally {
            this.vars.length = varsBefore;
        }
    }
    /**
     * After {{else}}. `{{else if b}}` is read as `{{else}}{{if b}}...{{end}}{{end}}`: elseControl left the `if`
     * pending, and the inner if's {{end}} closes both. Likewise `{{else with}}` in a with.
     */
    parseElse(context) {
        if ((context === "if" || context === "with") && this.peek().type === context) {
            this.next();
            this.parseControl(context);
            return;
        }
        const { end } = this.itemList();
        if (end.type !== "end")
            this.errorf(`expected end; found ${end.text}`);
    }
    elseControl() {
        const peek = this.peekNonSpace();
        if (peek.type !== "if" && peek.type !== "with")
            this.expect("rightDelim", "else");
        return node("else", "{{else}}");
    }
    /** `{{block "name" pipeline}} ... {{end}}`: defines the template and calls it. */
    blockControl() {
        const context = "block clause";
        const name = this.parseTemplateName(this.nextNonSpace(), context);
        this.pipeline(context, "rightDelim");
        const block = new Tree(name, this.shared);
        const { isEmpty, end } = block.itemList();
        // Go reports this one from the outer tree, so at the line of the block's own `}}`.
        if (end.type !== "end")
            this.errorf(`unexpected ${end.text} in ${context}`);
        block.add(isEmpty);
        return node("template");
    }
    /** `{{template "name"}}` or `{{template "name" pipeline}}`. */
    templateControl() {
        const context = "template clause";
        this.parseTemplateName(this.nextNonSpace(), context);
        if (this.nextNonSpace().type !== "rightDelim") {
            this.backup();
            this.pipeline(context, "rightDelim");
        }
        return node("template");
    }
    parseTemplateName(token, context) {
        if (token.type !== "string" && token.type !== "rawString")
            this.unexpected(token, context);
        return this.unquote(token.val);
    }
}
/** Go's IsEmptyTree for one node: text of Unicode white space only (comments never reach the parser). */
function isEmptyNode(n) {
    return (n.type === "text" && /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(n.text));
}

;// CONCATENATED MODULE: ./src/lint/command-checks.ts
/**
 * The checks on a Modelfile's commands: what ollama create does with each instruction and PARAMETER (types,
 * deprecations, the pinned version's instructions, the TEMPLATE's syntax) and what is set twice. Each check is
 * a pure function from the commands to findings.
 */



function commandFindings(commands, options) {
    const parameters = commands.filter((command) => !INSTRUCTION_CHECKS.has(command.name));
    return [
        ...multipleFrom(commands),
        ...commands.flatMap((command) => INSTRUCTION_CHECKS.get(command.name)?.(command, options) ?? []),
        ...parameterFindings(parameters, options),
        ...invalidTemplate(commands, options),
    ];
}
const noCheck = () => [];
/** An instruction the pinned Ollama version does not accept (unchecked when the version is unknown). */
const unsupported = (command, options) => {
    const message = options.ollamaVersion && unsupportedInstruction(command.name, options.ollamaVersion);
    return message ? [{ code: "unsupported-instruction", at: command.start, message }] : [];
};
const requires = (command, options) => {
    const unsupportedHere = unsupported(command, options);
    if (unsupportedHere.length > 0 || normaliseRequires(command.args) !== undefined)
        return unsupportedHere;
    const message = `REQUIRES ${JSON.stringify(command.args)}: ${INVALID_REQUIRES_MESSAGE}`;
    return [{ code: "invalid-requires", at: command.start, message }];
};
/**
 * The checks of each instruction by command name; every other name is a PARAMETER's. By name, not by
 * `kind`, as Ollama's CreateRequest switches on the name: `PARAMETER system x` sets the system prompt.
 */
const INSTRUCTION_CHECKS = new Map([
    ["model", noCheck],
    ["adapter", noCheck],
    ["license", noCheck],
    ["template", noCheck],
    ["system", noCheck],
    ["message", noCheck],
    ["requires", requires],
    ["draft", unsupported],
    ["renderer", unsupported],
    ["parser", unsupported],
]);
function multipleFrom(commands) {
    const [first, ...later] = commands.filter((command) => command.name === "model");
    return later.map((command) => ({
        code: "multiple-from",
        at: command.start,
        message: `a second FROM (the first is on line ${first?.start.line}): Ollama bases the model on the last one`,
    }));
}
/** Each PARAMETER typed as Ollama's client types it; the checks on the values that type. */
function parameterFindings(parameters, options) {
    const findings = [];
    const typed = [];
    for (const command of parameters) {
        const result = formatParameter(command.name, command.args);
        if (result.status === "deprecated") {
            const message = `parameter ${command.name} is deprecated: Ollama ignores it`;
            findings.push({ code: "deprecated-parameter", at: command.start, message });
        }
        else if (result.status === "error") {
            const code = result.reason === "unknown" ? "unknown-parameter" : "invalid-parameter-value";
            findings.push({ code, at: command.start, message: result.message });
        }
        else {
            typed.push({ command, value: result.value });
        }
    }
    return [
        ...findings,
        ...duplicateParameters(typed),
        ...samplingOverridden(typed, options),
        ...unencodableLastValues(typed),
    ];
}
/** A parameter set again (but `stop`, which adds a value): reported where it was set before. */
function duplicateParameters(parameters) {
    const findings = [];
    const lastSetAt = new Map();
    for (const { command } of parameters) {
        if (command.name === "stop")
            continue;
        const earlier = lastSetAt.get(command.name);
        if (earlier !== undefined) {
            const message = `${command.name} is set again on line ${command.start.line}; Ollama keeps only the last value`;
            findings.push({ code: "duplicate-parameter", at: earlier.start, message });
        }
        lastSetAt.set(command.name, command);
    }
    return findings;
}
function samplingOverridden(parameters, options) {
    if (options.clientApi !== "openai")
        return [];
    return parameters
        .filter(({ command }) => command.name === "temperature" || command.name === "top_p")
        .map(({ command }) => ({
        code: "sampling-overridden",
        at: command.start,
        message: `${command.name} set here is overridden: Ollama's /v1/chat/completions forces temperature and top_p to 1.0 ` +
            "when the request omits them. Send them in every request instead (or set client-api: native if " +
            "clients only use /api/chat).",
    }));
}
/** The client encodes each parameter's last value as JSON, which has no infinities or NaN. */
function unencodableLastValues(parameters) {
    const last = new Map(parameters.map((parameter) => [parameter.command.name, parameter]));
    return [...last.values()].flatMap(({ command, value }) => {
        const message = unencodableParameter(value);
        return message === undefined ? [] : [{ code: "invalid-parameter-value", at: command.start, message }];
    });
}
/** Ollama keeps the last TEMPLATE and parses it with Go's text/template when it creates the model. */
function invalidTemplate(commands, options) {
    const template = commands.findLast((command) => command.name === "template");
    const error = template && checkGoTemplate(template.args, templateFunctions(options.ollamaVersion));
    if (template === undefined || !error)
        return [];
    return [
        {
            code: "invalid-template",
            at: { line: template.start.line + error.line - 1, column: template.start.column },
            message: `TEMPLATE does not parse as a Go template, so ollama create refuses it (Ollama: "template error: ${error.message}")`,
        },
    ];
}

;// CONCATENATED MODULE: ./src/project/graph.ts
/** The dependency graph between a project's models: build order and cycles. */
/** Strongly connected components with more than one model, or a model that builds FROM itself. */
function findCycles(nodes) {
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const index = new Map();
    const lowLink = new Map();
    const stack = [];
    const onStack = new Set();
    const cycles = [];
    let counter = 0;
    const visit = (name) => {
        index.set(name, counter);
        lowLink.set(name, counter);
        counter++;
        stack.push(name);
        onStack.add(name);
        for (const dependency of byName.get(name)?.dependsOn ?? []) {
            if (!byName.has(dependency))
                continue;
            if (!index.has(dependency)) {
                visit(dependency);
                lowLink.set(name, Math.min(lowLink.get(name), lowLink.get(dependency)));
            }
            else if (onStack.has(dependency)) {
                lowLink.set(name, Math.min(lowLink.get(name), index.get(dependency)));
            }
        }
        if (lowLink.get(name) === index.get(name)) {
            const component = [];
            let member;
            do {
                member = stack.pop();
                onStack.delete(member);
                component.push(member);
            } while (member !== name);
            const selfLoop = byName.get(name)?.dependsOn.includes(name) ?? false;
            if (component.length > 1 || selfLoop)
                cycles.push(component.sort());
        }
    };
    for (const node of nodes)
        if (!index.has(node.name))
            visit(node.name);
    return cycles;
}
/** Dependencies before dependants, ties by name; models in cycles are left out. */
function buildOrder(nodes) {
    const inCycle = new Set(findCycles(nodes).flat());
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const order = [];
    const placed = new Set();
    const place = (name) => {
        if (placed.has(name))
            return true;
        if (inCycle.has(name))
            return false;
        const node = byName.get(name);
        if (node === undefined)
            return true;
        for (const dependency of [...node.dependsOn].sort())
            if (!place(dependency))
                return false;
        placed.add(name);
        order.push(name);
        return true;
    };
    for (const name of [...byName.keys()].sort())
        place(name);
    return order;
}

;// CONCATENATED MODULE: ./src/lint/project-checks.ts
/**
 * The checks across a project's Modelfiles and its ollama.lock: names given twice, models that build FROM each
 * other, and bases the lock does not pin (or pins for nothing). Each check is a pure function from the loaded
 * project to findings, which name the file they belong to.
 */




/** Where a finding about a whole file stands. */
const FIRST_LINE = { line: 1, column: 1 };
function duplicateModelNames(project) {
    const byName = new Map();
    for (const model of project.models) {
        const key = canonicalModelRef(model.name);
        byName.set(key, [...(byName.get(key) ?? []), model]);
    }
    return [...byName.values()]
        .filter((models) => models.length > 1)
        .flatMap((models) => models.map((model) => {
        const others = models.filter((m) => m !== model).map((m) => m.file);
        const message = `model ${model.name} is also defined by ${others.join(", ")}`;
        return { file: model.file, code: "duplicate-model-name", at: FIRST_LINE, message };
    }));
}
/** Reported on each model of a cycle, at its FROM of the next one. */
function dependencyCycles(project) {
    const graph = project.models.map((m) => ({ name: m.name, dependsOn: dependenciesOf(m) }));
    return findCycles(graph).flatMap((cycle) => cycle.flatMap((name) => {
        const model = project.models.find((m) => m.name === name);
        const from = model?.references.find((r) => r.target.kind === "model" && r.target.dependency !== undefined && cycle.includes(r.target.dependency));
        if (model === undefined || from === undefined)
            return [];
        const message = `models build FROM each other in a cycle: ${cycle.join(", ")}`;
        return [{ file: model.file, code: "dependency-cycle", at: from.command.start, message }];
    }));
}
/** ollama.lock against the library bases: each unpinned FROM, and (when asked) each entry nothing uses. */
function lockFindings(project, options) {
    const { lock } = options;
    if (lock.status === "absent")
        return [];
    if (lock.status === "invalid") {
        const message = `${lock.error}. Run \`ollama-build lock --update\` to rewrite it.`;
        return [{ file: LOCK_FILE, code: "invalid-lock", at: { line: lock.line ?? 1, column: 1 }, message }];
    }
    const check = checkLock(lock.lock, libraryRefs(project));
    const unlocked = project.models.flatMap((model) => model.references.flatMap(({ command, target }) => {
        if (command.name !== "model" || target.kind !== "model" || target.dependency !== undefined)
            return [];
        if (!check.missing.includes(canonicalModelRef(target.ref)))
            return [];
        const message = `FROM ${target.ref} is not pinned in ${LOCK_FILE}: run \`ollama-build lock\` so every build uses the same manifest`;
        return [{ file: model.file, code: "unlocked-base", at: command.start, message }];
    }));
    if (!options.checkUnusedLockEntries)
        return unlocked;
    const unused = check.unused.map((ref) => {
        const message = `${ref} is pinned but no Modelfile builds FROM it: run \`ollama-build lock\` to drop it`;
        return {
            file: LOCK_FILE,
            code: "unused-lock-entry",
            at: { line: lineOfEntry(lock.text, ref), column: 1 },
            message,
        };
    });
    return [...unlocked, ...unused];
}

;// CONCATENATED MODULE: ./src/lint/reference-checks.ts
/**
 * The checks on what a Modelfile's FROM, ADAPTER and DRAFT lines point at, as the loader resolved them: a path
 * inside the project that holds a model, or a model name Ollama accepts (and, for a library base, one that is
 * pinned to a tag). Each check is a pure function from the references to findings.
 */


/** What clients send to switch a thinking model's thinking off, which no Modelfile instruction can. */
const HOW_CLIENTS_TURN_THINKING_OFF = 'reasoning_effort: "none" on /v1/chat/completions, or "think": false on /api/chat.';
/** `projectModelNames`: the canonical names of the project's models, which a path may shadow. */
function referenceFindings(model, options, projectModelNames) {
    return [
        ...model.references.flatMap((reference) => checkReference(reference, options, projectModelNames)),
        ...draftSameAsFrom(model.references),
    ];
}
function checkReference({ command, target }, options, projectModelNames) {
    const what = command.name === "model" ? "FROM" : command.name.toUpperCase();
    switch (target.kind) {
        case "escapes": {
            const message = `${what} ${command.args} points outside the project: builds must only read files inside the repository`;
            return [{ code: "path-escapes-repository", at: command.start, message }];
        }
        case "missing":
            return [
                {
                    code: "path-not-found",
                    at: command.start,
                    message: `${what} ${command.args}: ${target.path} does not exist`,
                },
            ];
        case "local": {
            if (target.entry !== "directory" || target.weights)
                return [];
            const shadowed = command.name === "model" && projectModelNames.has(canonicalModelRef(command.args));
            const message = `${what} ${command.args}: ${target.path} is a directory without model weights ` +
                '(Ollama: "no Modelfile or safetensors files found")' +
                (shadowed
                    ? `. Ollama reads a path before a model name: to build FROM the model ${command.args}, write FROM ${command.args}:latest`
                    : "");
            return [{ code: "path-not-a-model", at: command.start, message }];
        }
        case "model":
            return checkModelName(command, target, options);
    }
}
function checkModelName(command, target, options) {
    if (!isValidOllamaName(trimsModelNames(options.ollamaVersion) ? target.ref : command.args)) {
        const message = `FROM ${JSON.stringify(command.args)} is not a model name Ollama accepts (Ollama: "invalid model name"): ` +
            "[host/][namespace/]model[:tag], each part letters, digits, '_', '-' and '.', starting with a letter, digit or '_'";
        return [{ code: "invalid-model-name", at: command.start, message }];
    }
    if (target.dependency !== undefined || command.name !== "model")
        return [];
    return checkLibraryBase(command, target.ref);
}
/** A FROM naming a model outside the project: it should be pinned, and a thinking model cannot be tamed here. */
function checkLibraryBase(command, name) {
    const findings = [];
    const ref = parseModelRef(name);
    if (ref.tag === undefined || ref.tag.toLowerCase() === "latest") {
        const message = `FROM ${name} names no tag${ref.tag === undefined ? " (Ollama uses latest)" : ""}: the base changes ` +
            "whenever the library updates it. Name a size tag such as :4b and pin it in ollama.lock.";
        findings.push({ code: "untagged-base", at: command.start, message });
    }
    if (isThinkingModel(ref)) {
        const message = `${name} thinks before it answers, and no Modelfile instruction can switch that off ` +
            `(PARAMETER /no_think is not valid). Clients must send ${HOW_CLIENTS_TURN_THINKING_OFF}`;
        findings.push({ code: "thinking-enabled", at: command.start, message });
    }
    return findings;
}
function draftSameAsFrom(references) {
    const localPaths = (instruction) => references.flatMap(({ command, target }) => command.name === instruction && target.kind === "local" ? [{ command, path: target.path }] : []);
    const fromPaths = new Set(localPaths("model").map((from) => from.path));
    return localPaths("draft")
        .filter((draft) => fromPaths.has(draft.path))
        .map((draft) => ({
        code: "draft-same-as-from",
        at: draft.command.start,
        message: `DRAFT must not reference the same local path as FROM: ${draft.path}`,
    }));
}

;// CONCATENATED MODULE: ./src/lint/rules.ts
/**
 * The linter: its rules, and a project's diagnostics put together. Codes are stable (documented in the
 * README); messages say what Ollama will do and how to fix it. Every check is a pure function from the loaded
 * project to findings (command-checks.ts and reference-checks.ts within a Modelfile, project-checks.ts across
 * them); here findings get their rule's severity, a Modelfile's suppressions apply, and each file's are sorted.
 */





const RULES = {
    syntax: { severity: "error", summary: "the file does not parse (Ollama's parser error)" },
    "missing-from": { severity: "error", summary: "no FROM line" },
    "unknown-parameter": { severity: "error", summary: "a PARAMETER Ollama does not know (names are case-sensitive)" },
    "invalid-parameter-value": { severity: "error", summary: "a PARAMETER value that does not parse as its type" },
    "invalid-requires": { severity: "error", summary: "REQUIRES is not a semantic version" },
    "path-escapes-repository": { severity: "error", summary: "a FROM/ADAPTER/DRAFT path outside the project" },
    "path-not-found": { severity: "error", summary: "an ADAPTER/DRAFT path, or a path-like FROM, that does not exist" },
    "draft-same-as-from": { severity: "error", summary: "DRAFT names the same local path as FROM" },
    "dependency-cycle": { severity: "error", summary: "models that build FROM each other in a cycle" },
    "duplicate-model-name": { severity: "error", summary: "two Modelfiles give the same model name" },
    "deprecated-parameter": { severity: "warning", summary: "a deprecated PARAMETER, which Ollama drops" },
    "duplicate-parameter": { severity: "warning", summary: "a PARAMETER set again later (the last one wins)" },
    "multiple-from": { severity: "warning", summary: "more than one FROM" },
    "untagged-base": { severity: "warning", summary: "a library base model without a tag (or `latest`): it floats" },
    "sampling-overridden": {
        severity: "warning",
        summary: "temperature/top_p in a Modelfile, which /v1/chat/completions overrides to 1.0",
    },
    "thinking-enabled": {
        severity: "warning",
        summary: "a thinking base model: thinking cannot be disabled in a Modelfile",
    },
    "invalid-ignore": { severity: "warning", summary: "an ollama-build-ignore directive naming no known warning" },
    "invalid-lock": { severity: "error", summary: "ollama.lock cannot be read or does not verify" },
    "path-not-a-model": { severity: "error", summary: "a FROM/ADAPTER/DRAFT directory with no model weights in it" },
    "invalid-model-name": {
        severity: "error",
        summary: "a model name Ollama does not accept: a FROM base, or the name taken from the file name",
    },
    "invalid-template": { severity: "error", summary: "a TEMPLATE Go's text/template cannot parse (Ollama refuses it)" },
    "unsupported-instruction": {
        severity: "error",
        summary: "an instruction the pinned Ollama version (the ollama-image tag) does not accept yet",
    },
    "unlocked-base": { severity: "warning", summary: "a library base model ollama.lock does not pin" },
    "unused-lock-entry": { severity: "warning", summary: "an ollama.lock entry no Modelfile uses" },
};
const THINKING_HINT = `Thinking cannot be switched off in a Modelfile: clients send ${HOW_CLIENTS_TURN_THINKING_OFF}`;
/** Ollama's terse parse errors, with what a person needs to fix them (Ollama's own text last). */
function describeParseError(error) {
    const { atEndOfLine } = error;
    const ollama = ` (Ollama: ${JSON.stringify(error.detail)})`;
    switch (error.context) {
        case "parameter-name": {
            if (atEndOfLine)
                return `PARAMETER needs a name and a value${ollama}`;
            const hint = /no_?think/i.test(error.lineText) ? ` ${THINKING_HINT}` : "";
            return `a PARAMETER name holds only letters, digits and "_": ${error.lineText.trim()}.${hint}${ollama}`;
        }
        case "message-role":
            return atEndOfLine ? `MESSAGE needs a role and a text${ollama}` : error.detail;
        case "end-of-file":
            return `the file ends inside the instruction that starts here: an unclosed " or """ quote, or a missing value${ollama}`;
        default:
            return error.detail;
    }
}
function lintProject(project, options) {
    const projectModelNames = new Set(project.models.map((m) => canonicalModelRef(m.name)));
    const results = new Map(project.models.map((model) => [model.file, modelFindings(model, options, projectModelNames).map(diagnostic)]));
    const projectFindings = [
        ...duplicateModelNames(project),
        ...dependencyCycles(project),
        ...lockFindings(project, options),
    ];
    for (const finding of projectFindings) {
        const diagnostics = results.get(finding.file) ?? [];
        results.set(finding.file, diagnostics);
        diagnostics.push(diagnostic(finding));
    }
    return [...results].map(([path, diagnostics]) => ({
        path,
        diagnostics: diagnostics.sort((a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    }));
}
const diagnostic = ({ code, at, message }) => ({
    severity: RULES[code].severity,
    line: at.line,
    column: at.column,
    code,
    message,
});
/** A Modelfile's own findings: it cannot be read, or does not parse, or its checks' (less what it suppresses). */
function modelFindings(model, options, projectModelNames) {
    if (model.outside) {
        const message = `${model.file} is a symbolic link out of the project: it is not read (builds read only the repository's files)`;
        return [{ code: "path-escapes-repository", at: FIRST_LINE, message }];
    }
    if (model.bytes !== undefined) {
        const message = `${model.file} has ${model.bytes.toLocaleString("en-US")} bytes: ollama-build reads Modelfiles up to ${MAX_MODELFILE_BYTES / 1024 / 1024} MiB`;
        return [{ code: "syntax", at: FIRST_LINE, message }];
    }
    if (model.parseError !== undefined) {
        const { kind, position } = model.parseError;
        return [{ code: kind, at: position, message: describeParseError(model.parseError) }];
    }
    const findings = [];
    if (!isValidModelName(model.name)) {
        const message = `the model name ${JSON.stringify(model.name)} (from ${model.file}) is not valid for Ollama: letters, digits, ` +
            "'_', '.', '-', starting with a letter, digit or '_', at most 80; rename the file or set a name in ollama-build.yml";
        findings.push({ code: "invalid-model-name", at: FIRST_LINE, message });
    }
    const { suppressed, directiveFindings } = readSuppressions(model);
    const checked = [
        ...commandFindings(model.parsed?.commands ?? [], options),
        ...referenceFindings(model, options, projectModelNames),
    ];
    return [...findings, ...directiveFindings, ...checked.filter((finding) => !suppressed.has(finding.code))];
}
const IGNORE_DIRECTIVE = /^\s*ollama-build-ignore:\s*(.*?)\s*(?:--\s*(.*))?$/;
/**
 * Whole-file suppressions from `# ollama-build-ignore: code, code -- reason` comment lines. A directive must
 * say why; only warnings can be suppressed.
 */
function readSuppressions(model) {
    const suppressed = new Set();
    const directiveFindings = [];
    for (const comment of model.parsed?.comments ?? []) {
        const match = IGNORE_DIRECTIVE.exec(comment.text);
        if (match === null)
            continue;
        const at = { line: comment.line, column: 1 };
        if ((match[2] ?? "").trim() === "") {
            const message = "ollama-build-ignore needs a reason: `# ollama-build-ignore: <code> -- <why>`";
            directiveFindings.push({ code: "invalid-ignore", at, message });
            continue;
        }
        for (const code of (match[1] ?? "").split(",").map((c) => c.trim())) {
            if (Object.hasOwn(RULES, code) && RULES[code].severity === "warning")
                suppressed.add(code);
            else {
                const message = `ollama-build-ignore: ${JSON.stringify(code)} is not a warning code (errors cannot be ignored)`;
                directiveFindings.push({ code: "invalid-ignore", at, message });
            }
        }
    }
    return { suppressed, directiveFindings };
}
function countBySeverity(files) {
    const counts = { error: 0, warning: 0 };
    for (const file of files)
        for (const d of file.diagnostics)
            counts[d.severity]++;
    return counts;
}

;// CONCATENATED MODULE: ./src/lint/stage.ts
/**
 * `lint`: read the project once (its Modelfiles and ollama.lock) and check it. The result is what every later
 * stage starts from: none of them reads the Modelfiles or the lock again.
 */




function check(config, project, lock, wholeProject) {
    const ollamaVersion = ollamaVersionOfImage(config["ollama-image"]);
    const files = lintProject(project, {
        clientApi: config["client-api"],
        ...(ollamaVersion === undefined ? {} : { ollamaVersion }),
        lock,
        checkUnusedLockEntries: wholeProject,
    });
    return { project, files, lock, counts: countBySeverity(files) };
}
/** `paths` are relative to the project root; by default the configured Modelfiles folder. */
async function runLint(workspace, paths) {
    const selection = configuredSelection(workspace.config);
    const whole = paths === undefined || paths.length === 0;
    const project = await loadProject(workspace.tree, whole ? selection : { ...selection, paths: [...paths] });
    return check(workspace.config, project, await loadLock(workspace.tree), whole);
}
/** The same project checked against a lock this run wrote (after pinning): nothing is read again. */
function withLock(config, result, lock) {
    return check(config, result.project, { status: "ok", text: serializeLock(lock), lock }, true);
}

;// CONCATENATED MODULE: ./src/lock/model-registries.ts
/** Where base models come from: one registry client per host, the configured mirror for Ollama's own. */


/**
 * One client per registry host; `registry.ollama.ai` may be redirected to a mirror. The credentials were given
 * for the configured registry (`ollama-registry`): only a client of that origin gets them, whatever host a
 * Modelfile or ollama.lock names.
 */
function ollamaRegistryClients(access) {
    const clients = new Map();
    const configured = new URL(access.defaultRegistryUrl).origin;
    return (host) => {
        let client = clients.get(host);
        if (client === undefined) {
            const baseUrl = host === DEFAULT_REGISTRY_HOST ? access.defaultRegistryUrl : `https://${host}`;
            const ours = new URL(baseUrl).origin === configured;
            client = new RegistryClient({
                baseUrl,
                ...(access.credentials === undefined || !ours ? {} : { credentials: access.credentials }),
                ...(access.log === undefined ? {} : { log: access.log }),
            });
            clients.set(host, client);
        }
        return client;
    };
}

;// CONCATENATED MODULE: ./src/lock/resolve.ts
/** Resolving library references to lock entries through the registry (the network side of `lock`). */


/** Ollama asks for exactly this media type, and its registry answers with it. */
const OLLAMA_MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
async function resolveLockEntry(client, ref) {
    const repository = `${ref.namespace}/${ref.model}`;
    const tag = ref.tag ?? "latest";
    const manifest = await client.getManifest(repository, tag, [OLLAMA_MANIFEST_MEDIA_TYPE]);
    let text;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(manifest.bytes);
    }
    catch {
        throw new RegistryError(`${client.baseUrl}: the manifest of ${repository}:${tag} is not UTF-8 text`);
    }
    const entry = { registry: ref.host, repository, tag, digest: manifest.digest, manifest: text };
    manifestOf(entry, `${client.baseUrl} ${repository}:${tag}`);
    return entry;
}

;// CONCATENATED MODULE: ./src/lock/stage.ts
/** `lock`: pin base models in ollama.lock; and the check `fetch` and `build` make before they use it. */







/**
 * Adds what is missing and drops what no Modelfile uses. `update` re-resolves the given references (all when
 * `true`); without it, pinned entries stay as they are. Writes ollama.lock (atomically) and returns it;
 * `keepUnchanged`: a lock that was valid and gained, moved and lost nothing keeps its bytes, canonical or not.
 */
async function runLock(workspace, checked, access, options = {}) {
    if (checked.lock.status === "invalid" && options.update !== true) {
        throw new LockError(`${checked.lock.error}. Run \`ollama-build lock --update\` to rewrite it.`);
    }
    const previous = checked.lock.status === "ok" ? checked.lock.lock : emptyLock();
    const refs = libraryRefs(checked.project);
    const check = checkLock(previous, refs);
    const clientFor = ollamaRegistryClients(access);
    const wanted = options.update === true ? refs : (options.update ?? []).map((given) => canonical(given, refs));
    const lock = { version: previous.version, models: {} };
    const result = { lock, added: [], updated: [], removed: check.unused };
    for (const ref of refs) {
        const existing = previous.models[ref];
        if (existing !== undefined && !wanted.includes(ref)) {
            lock.models[ref] = existing;
            continue;
        }
        const parsed = parseModelRef(ref);
        const entry = await resolveLockEntry(clientFor(parsed.host), parsed);
        lock.models[ref] = entry;
        if (existing === undefined)
            result.added.push(ref);
        else if (existing.digest !== entry.digest)
            result.updated.push(ref);
    }
    const unchanged = checked.lock.status === "ok" && result.added.length + result.updated.length + result.removed.length === 0;
    if (!(options.keepUnchanged === true && unchanged)) {
        await writeFileAtomically(external_node_path_default().join(workspace.root, LOCK_FILE), serializeLock(lock));
    }
    return result;
}
function canonical(given, refs) {
    const ref = parseModelRef(given);
    const full = `${ref.host}/${ref.namespace}/${ref.model}:${ref.tag ?? "latest"}`.toLowerCase();
    if (!refs.includes(full))
        throw new LockError(`${given}: no Modelfile builds FROM it (known: ${refs.join(", ") || "none"})`);
    return full;
}
/**
 * The lock `fetch` and `build` use, as lint read it: they never resolve tags themselves. A project without
 * library base models needs no lock. `file` names the lock in messages.
 */
function requireLock(state, refs, file) {
    if (refs.length === 0)
        return state.status === "ok" ? state.lock : emptyLock();
    if (state.status === "absent") {
        throw new LockError(`${file} does not exist: run \`ollama-build lock\` to pin the base models`);
    }
    if (state.status === "invalid")
        throw new LockError(state.error);
    const { missing } = checkLock(state.lock, refs);
    if (missing.length > 0)
        throw new LockError(`${file} does not pin ${missing.join(", ")}: run \`ollama-build lock\``);
    return state.lock;
}

;// CONCATENATED MODULE: ./src/io/git.ts
const git_text = (out) => Buffer.from(out).toString("utf8").trim();
async function gitTopLevel(run, cwd) {
    const result = await run("git", ["rev-parse", "--show-toplevel"], { cwd });
    return result.exitCode === 0 ? git_text(result.stdout) : undefined;
}
/** The full SHA of a ref, or undefined when the clone does not have it (e.g. a shallow checkout). */
async function resolveCommit(run, repository, ref) {
    if (ref.startsWith("-"))
        return undefined; // never let a ref be read as an option
    const result = await run("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], {
        cwd: repository,
    });
    return result.exitCode === 0 ? git_text(result.stdout) : undefined;
}
async function currentBranch(run, repository) {
    const result = await run("git", ["symbolic-ref", "--short", "-q", "HEAD"], { cwd: repository });
    return result.exitCode === 0 && git_text(result.stdout) !== "" ? git_text(result.stdout) : undefined;
}
async function headCommit(run, repository) {
    return resolveCommit(run, repository, "HEAD");
}

;// CONCATENATED MODULE: ./src/project/config.ts
/**
 * The project's optional `ollama-build.yml` (at the project root): settings shared by the CLI and the
 * action. Action inputs and CLI flags override it; it overrides the defaults here.
 */





const CONFIG_FILE = "ollama-build.yml";
/** The Ollama image custom models are created with and served from. */
const DEFAULT_OLLAMA_IMAGE = "ollama/ollama:0.32.15";
const DEFAULT_MODELFILES_DIR = "modelfiles";
const DEFAULT_SMOKE_CASES = "test/smoke";
/** The design review's serving settings: two models resident, two requests each, kept loaded for a day. */
const DEFAULT_RUNTIME = {
    keepAlive: "24h",
    numParallel: 2,
    maxLoadedModels: 2,
    flashAttention: true,
};
const ConfigSchema = schemas/* object */.Ikc({
    modelfiles: schemas/* string */.YjP().min(1).default(DEFAULT_MODELFILES_DIR),
    image: schemas/* string */.YjP()
        .refine(isImageRepository, "expected an image repository such as ghcr.io/owner/models (no tag)")
        .optional(),
    "ollama-image": schemas/* string */.YjP()
        .refine(isImageReference, "expected an image reference such as ollama/ollama:0.32.15 (or …@sha256:<digest>)")
        .default(DEFAULT_OLLAMA_IMAGE),
    "client-api": schemas/* enum */.k5n(["openai", "native"]).default("openai"),
    /** Where `registry.ollama.ai` models are fetched from (a mirror, or a test registry). */
    "ollama-registry": schemas/* url */.OZ5({ protocol: /^https?$/ }).default("https://registry.ollama.ai"),
    runtime: schemas/* strictObject */.rej({
        "keep-alive": schemas/* string */.YjP().min(1).default(DEFAULT_RUNTIME.keepAlive),
        "num-parallel": schemas/* number */.aig().int().positive().default(DEFAULT_RUNTIME.numParallel),
        "max-loaded-models": schemas/* number */.aig().int().positive().default(DEFAULT_RUNTIME.maxLoadedModels),
        "flash-attention": schemas/* boolean */.zMY().default(DEFAULT_RUNTIME.flashAttention),
        /** Models loaded at start; default: every custom model. */
        warmup: schemas/* array */.YOg(schemas/* string */.YjP().refine(isValidModelName, "a model name: letters, digits, '_', '.', '-', at most 80"))
            .optional(),
    })
        .prefault({}),
    smoke: schemas/* strictObject */.rej({
        /** Case files, or folders of them, relative to the project root. */
        cases: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).default([DEFAULT_SMOKE_CASES]),
        gpus: schemas/* enum */.k5n(["auto", "all", "none"]).default("auto"),
    })
        .prefault({}),
    models: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* strictObject */.rej({
        name: schemas/* string */.YjP().refine(isValidModelName, "a model name: letters, digits, '_', '.', '-', at most 80"),
    }))
        .default({}),
})
    .strict();
class ConfigError extends Error {
}
/** Parses and checks the configuration; every error is `file:line: setting: what was expected`. */
function parseConfig(text, file) {
    let read;
    try {
        read = readYaml(text, file);
    }
    catch (error) {
        if (error instanceof YamlSyntaxError)
            throw new ConfigError(error.message);
        throw error;
    }
    const result = ConfigSchema.safeParse(read.value ?? {});
    if (!result.success) {
        throw new ConfigError(result.error.issues
            .map((issue) => {
            const path = issueKeyPath(issue);
            return describeIssues(new errors/* ZodError */.G([{ ...issue, path }]), `${locate(read.source, path)}: `);
        })
            .join("\n"));
    }
    return result.data;
}
async function loadConfig(tree) {
    if ((await tree.entryType(CONFIG_FILE)) !== "file")
        return ConfigSchema.parse({});
    return parseConfig(Buffer.from(await tree.readFile(CONFIG_FILE)).toString("utf8"), tree.display(CONFIG_FILE));
}

;// CONCATENATED MODULE: ./src/project/workspace.ts
/** Where a command runs: the project root, its git repository (if any) and its configuration. */






const definedEntries = (object) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ""));
function applyOverrides(config, overrides) {
    const { runtime, ...rest } = overrides;
    const result = ConfigSchema.safeParse({
        ...config,
        ...definedEntries(rest),
        runtime: { ...config.runtime, ...definedEntries(runtime ?? {}) },
    });
    // The file was checked when it was read: what fails here came from an action input or a command-line flag.
    if (!result.success)
        throw new ConfigError(describeIssues(result.error, "a setting given as an input or a flag: "));
    return result.data;
}
async function loadEffectiveConfig(tree, overrides) {
    return applyOverrides(await loadConfig(tree), overrides);
}
/** The root is `root` when given, else the git top-level of `cwd`, else `cwd`. */
async function openWorkspace(run, options) {
    const cwdRepository = await gitTopLevel(run, options.cwd);
    // git reports real paths: resolve links in the root too, or the two would not line up.
    const root = await (0,promises_.realpath)(external_node_path_default().resolve(options.cwd, options.root ?? cwdRepository ?? ".")).catch(() => {
        throw new Error(`the project root ${external_node_path_default().resolve(options.cwd, options.root ?? ".")} does not exist`);
    });
    const repository = await gitTopLevel(run, root);
    const tree = new WorkingTree(root);
    const overrides = options.overrides ?? {};
    const config = await loadEffectiveConfig(tree, overrides);
    return repository === undefined ? { root, tree, config, overrides } : { root, repository, tree, config, overrides };
}
/** A path given by the user (relative to `cwd`) as a POSIX path relative to the root. */
function toProjectPath(workspace, cwd, given) {
    const relative = external_node_path_default().relative(workspace.root, external_node_path_default().resolve(cwd, given));
    if (leavesBase(relative)) {
        throw new Error(`${given} is outside the project root ${workspace.root}`);
    }
    return relative.split((external_node_path_default()).sep).join("/") || ".";
}

;// CONCATENATED MODULE: ./src/plan/hash.ts
/**
 * The canonical model hash: sha256 over a model's whole input closure, so that a tag derived from it names
 * exactly one set of inputs. The recipe (documented in the README, "Hash recipe"):
 *
 *   model hash = sha256( canonical JSON of {
 *     recipe: "ollama-build/model/v1",
 *     ollamaImage: the Ollama image reference the model is created with,
 *     commands: [[name, args], ...]   — the parsed Modelfile in Ollama's representation, line breaks in
 *                                       values written as LF (CRLF and CR checkouts hash alike),
 *     references: [[name, args, target], ...] — for each FROM/ADAPTER/DRAFT: target is
 *         {model: <dependency>, hash: <its model hash>}   another model of the project, or
 *         {library: <canonical ref>, digest: <locked manifest digest or null>}, or
 *         {path: <project-relative path>, sha256: <file sha256, or directory hash>}
 *   })
 *   canonical JSON = JSON with object keys sorted by code unit and no white space.
 *   image hash = sha256( canonical JSON of {recipe: "ollama-build/image/v1", ollamaImage,
 *     environment: [[name, value], ...] (the image's ENV), entrypoint: sha256 of ollama/entrypoint.sh,
 *     models: {name: hash}} )
 *
 * Comments, blank lines, keyword case and quoting do not reach the parsed commands, so they do not change it.
 */



function canonicalJson(value) {
    if (value === null || typeof value !== "object")
        return JSON.stringify(value);
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(",")}]`;
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}
const hash_sha256Hex = (text) => (0,external_node_crypto_.createHash)("sha256").update(text, "utf8").digest("hex");
const toLf = (text) => text.replace(/\r\n?/g, "\n");
/** Hashes every parsed model, dependencies first; models that cannot be hashed (parse error, cycle) are absent. */
function hashModels(models, inputs) {
    const byName = new Map(models.map((m) => [m.name, m]));
    const hashes = new Map();
    const inProgress = new Set();
    const targetDocument = (target) => {
        switch (target.kind) {
            case "model": {
                if (target.dependency === undefined) {
                    const library = canonicalModelRef(target.ref);
                    return { library, digest: inputs.lockedDigests?.get(library) ?? null };
                }
                const hash = hashOf(target.dependency);
                return hash === undefined ? undefined : { model: target.dependency, hash };
            }
            case "local":
                return { path: target.path, sha256: target.sha256 };
            default:
                return undefined; // missing or escaping paths are lint errors: such a model has no hash
        }
    };
    const hashOf = (name) => {
        const known = hashes.get(name);
        if (known !== undefined)
            return known;
        const model = byName.get(name);
        if (model?.parsed === undefined || inProgress.has(name))
            return undefined;
        inProgress.add(name);
        try {
            const references = [];
            for (const reference of model.references) {
                const target = targetDocument(reference.target);
                if (target === undefined)
                    return undefined;
                references.push([reference.command.name, toLf(reference.command.args), target]);
            }
            const hash = hash_sha256Hex(canonicalJson({
                recipe: "ollama-build/model/v1",
                ollamaImage: inputs.ollamaImage,
                commands: model.parsed.commands.map((c) => [c.name, toLf(c.args)]),
                references,
            }));
            hashes.set(name, hash);
            return hash;
        }
        finally {
            inProgress.delete(name);
        }
    };
    for (const model of models)
        hashOf(model.name);
    return hashes;
}
function imageHash(modelHashes, image) {
    return hash_sha256Hex(canonicalJson({
        recipe: "ollama-build/image/v1",
        ollamaImage: image.ollamaImage,
        environment: environment(image.runtime),
        entrypoint: image.entrypoint.sha256,
        models: Object.fromEntries([...modelHashes].sort()),
    }));
}

;// CONCATENATED MODULE: ./src/plan/plan.ts
/** The plan: which models exist, what they hash to, which changed against the base, and the image tags. */



function makePlan(inputs) {
    const byName = new Map(inputs.models.map((m) => [m.name, m]));
    const models = inputs.order.map((name) => {
        const model = byName.get(name);
        if (model === undefined)
            throw new Error(`the build order names ${name}, which is not a model of the project`);
        const hash = inputs.hashes.get(name);
        if (hash === undefined)
            throw new Error(`model ${name} (${model.file}) has no hash: lint it first`);
        const froms = model.parsed?.commands.filter((c) => c.name === "model") ?? [];
        return {
            name,
            file: model.file,
            from: froms.at(-1)?.args ?? "",
            hash,
            changed: inputs.baseHashes?.get(name) !== hash,
            dependsOn: dependenciesOf(model).sort(),
        };
    });
    const combined = imageHash(inputs.hashes, inputs.spec);
    const tags = imageTags(combined, inputs.source);
    const plan = {
        image: inputs.image,
        imageHash: combined,
        imageTag: `${inputs.image}:${contentTag(combined)}`,
        tags,
        models,
    };
    if (inputs.base !== undefined)
        plan.base = inputs.base;
    if (inputs.baseHashes !== undefined && inputs.baseHashes.size > 0) {
        plan.baseImageTag = `${inputs.image}:${contentTag(imageHash(inputs.baseHashes, inputs.spec))}`;
    }
    return plan;
}
/** `strategy.matrix` for one job per changed model. */
function changedMatrix(plan) {
    return { include: plan.models.filter((m) => m.changed).map((m) => ({ model: m.name, file: m.file, hash: m.hash })) };
}

;// CONCATENATED MODULE: ./src/plan/stage.ts
/** `plan`: hash every model, compare with the base commit, and name the image tags. */












/** The image repository: the configured one, else the default for where the run happens. */
const imageRepository = (config, defaultImage) => normaliseImageRepository(config.image ?? defaultImage);
async function hashesAt(run, workspace, commit) {
    const repository = workspace.repository;
    const prefix = external_node_path_default().relative(repository, workspace.root).split((external_node_path_default()).sep).join("/");
    const tree = new GitTree(run, repository, commit, prefix);
    const config = await loadEffectiveConfig(tree, workspace.overrides);
    if ((await tree.entryType(config.modelfiles)) !== "directory")
        return new Map();
    const project = await loadProject(tree, configuredSelection(config));
    return hashModels(project.models, {
        ollamaImage: config["ollama-image"],
        lockedDigests: lockedDigests(await loadLock(tree)),
    });
}
/** The base commit and its model hashes, or why every model counts as changed. */
async function baseOf(run, workspace, baseRef, warnings) {
    if (baseRef === undefined) {
        warnings.push("no base ref to compare with: every model counts as changed");
        return {};
    }
    if (workspace.repository === undefined) {
        warnings.push(`${workspace.root} is not in a git repository: every model counts as changed`);
        return {};
    }
    const base = await resolveCommit(run, workspace.repository, baseRef);
    if (base === undefined) {
        warnings.push(`base ref ${baseRef} is not in this clone (a shallow checkout?): every model counts as changed. ` +
            "Check out with `fetch-depth: 0` (actions/checkout) to compare with the base.");
        return {};
    }
    // The base is history: a broken ollama-build.yml or Modelfile there must not block the change that fixes it.
    const baseHashes = await hashesAt(run, workspace, base).catch((error) => {
        warnings.push(`the base commit ${base.slice(0, 7)} could not be read (${describeError(error)}): every model counts as changed`);
        return undefined;
    });
    return baseHashes === undefined ? { base } : { base, baseHashes };
}
/** Plans a project that lint passed (`checked`: the project and lock lint read, without errors). */
async function runPlan(run, workspace, checked, options) {
    const config = workspace.config;
    const warnings = [];
    const hashes = hashModels(checked.project.models, {
        ollamaImage: config["ollama-image"],
        lockedDigests: lockedDigests(checked.lock),
    });
    if (checked.lock.status === "absent" && libraryRefs(checked.project).length > 0) {
        warnings.push(`no ${LOCK_FILE}: base models are not pinned to a manifest; run \`ollama-build lock\``);
    }
    const { base, baseHashes } = await baseOf(run, workspace, options.baseRef, warnings);
    const order = buildOrder(checked.project.models.map((m) => ({ name: m.name, dependsOn: dependenciesOf(m) })));
    // One spec, hashed here and built from: the warm-up order is the build order unless configured.
    const spec = imageSpec(config, order, await readEntrypoint());
    const plan = makePlan({
        image: imageRepository(config, options.defaultImage),
        spec,
        order,
        models: checked.project.models,
        hashes,
        ...(baseHashes === undefined ? {} : { baseHashes }),
        ...(base === undefined ? {} : { base }),
        source: options.source,
    });
    return { plan, spec, warnings };
}

;// CONCATENATED MODULE: ./src/publish/release.ts
/**
 * `release --version X.Y.Z`: gives the already-built image its semver tags (X.Y.Z, X.Y and X; a prerelease
 * gets only its own tag) by copying the content-addressed manifest through the registry API. Nothing is
 * rebuilt: the image that passed the checks is the one that is released.
 */




class ReleaseError extends Error {
}
/** `v1.2.3` → [`1.2.3`, `1.2`, `1`]; `1.2.3-rc.1` → [`1.2.3-rc.1`]. Full x.y.z only. */
function releaseTags(version) {
    const bare = version.startsWith("v") ? version.slice(1) : version;
    const match = /^(\d+)\.(\d+)\.(\d+)(-[^+]+)?(\+.*)?$/.exec(bare);
    if (match === null || !isValidSemver(`v${bare}`)) {
        throw new ReleaseError(`--version ${JSON.stringify(version)} is not a semantic version such as 1.4.0`);
    }
    if (match[5] !== undefined)
        throw new ReleaseError(`--version ${version}: build metadata (+…) cannot be part of an image tag`);
    const [, major, minor, patch, prerelease] = match;
    if (prerelease !== undefined)
        return [`${major}.${minor}.${patch}${prerelease}`];
    return [`${major}.${minor}.${patch}`, `${major}.${minor}`, `${major}`];
}
/** Tags the plan's content-addressed image, which must exist in `client`'s registry. */
async function runRelease(plan, client, version) {
    const tags = releaseTags(version);
    const from = plan.tags.find((t) => t.startsWith(CONTENT_TAG_PREFIX));
    const repository = image_ref_parseImageRepository(plan.image).path;
    const digest = await client.headManifest(repository, from);
    if (digest === undefined) {
        throw new ReleaseError(`${plan.imageTag} does not exist: build this commit before releasing it (release never rebuilds)`);
    }
    await addTags(client, repository, from, tags);
    return { image: plan.image, from, digest, tags };
}

;// CONCATENATED MODULE: ./src/smoke/paired.ts
/**
 * The base commit's image and this commit's, smoked on the same runner with the same requests: shared runners
 * differ by more than the changes a review wants to see, so both images are measured side by side, in an order
 * that cancels drift. With room for both, both servers are up and each request goes to both, A B, B A, A B, …
 * With room for one, the servers take turns in blocks A B B A (the base's first half of the rounds, all of the
 * head's, the base's second half): three boots, and drift still weighs on both the same.
 */






/** Both servers up only with a fifth of the free memory to spare (the models' KV caches grow beyond their files). */
function choosePairedMode(bytesNeeded, bytesFree) {
    return bytesNeeded <= bytesFree * 0.8 ? "interleaved" : "blocks";
}
/** The report describes the image's first boot. */
function describeBoot(arm, booted) {
    if (arm.environment.server_ready_ms === undefined)
        Object.assign(arm.environment, booted.environment);
}
/**
 * Each model on both servers: both prepared, then every round's requests in pairs, the same case on both servers
 * back to back, alternating A B, B A, … (A B B A A B B A), streamed runs first and native timings after, as a
 * single server's round goes; then both finished. The members of a pair are one request apart, so whatever slows
 * the runner down, even a step in the middle of a round, falls on both images alike.
 */
async function runInterleaved(arms) {
    for (const arm of arms)
        await arm.session.connect(arm.client);
    for (const model of arms[0]?.session.models().keys() ?? []) {
        const step = async (arm, work) => {
            if (!arm.session.active(model))
                return;
            await work().catch((error) => arm.session.fail(model, error));
        };
        let pair = 0;
        const inPairs = async (steps, work) => {
            for (let index = 0; index < steps; index++) {
                const order = pair++ % 2 === 0 ? arms : [...arms].reverse();
                for (const arm of order)
                    await step(arm, () => work(arm, index));
            }
        };
        for (const arm of arms)
            await step(arm, () => arm.session.prepare(arm.client, model));
        const rounds = Math.max(...arms.map((arm) => arm.session.rounds(model)));
        for (let round = 0; round < rounds; round++) {
            const steps = Math.max(...arms.map((arm) => (arm.session.active(model) ? arm.session.steps(model, round) : 0)));
            await inPairs(steps, (arm, index) => arm.session.streamed(arm.client, model, round, index));
            await inPairs(steps, (arm, index) => arm.session.native(arm.client, model, round, index));
        }
        for (const arm of arms)
            await step(arm, () => arm.session.finish(arm.client, model));
    }
}
async function imageBytes(run, image) {
    const inspect = await run("docker", ["image", "inspect", "--format", "{{.Size}}", image]);
    if (inspect.exitCode !== 0) {
        const pull = await run("docker", ["pull", "--quiet", image]);
        if (pull.exitCode !== 0)
            throw new ContainerError(`${image}: docker pull failed: ${pull.stderr.trim()}`, []);
        return imageBytes(run, image);
    }
    return Number(Buffer.from(inspect.stdout).toString("utf8").trim()) || 0;
}
/** Free memory where the models will live: the GPUs' (nvidia-smi) when the smoke uses them, else the host's. */
async function freeBytes(run, setup) {
    if (setup.gpus === undefined)
        return external_node_os_default().freemem();
    const result = await run("nvidia-smi", ["--query-gpu=memory.free", "--format=csv,noheader,nounits"]);
    const mib = Buffer.from(result.stdout).toString("utf8").split("\n").map(Number).filter(Number.isFinite);
    return mib.reduce((a, b) => a + b, 0) * 1024 * 1024;
}
const paired_MiB = 1024 * 1024;
/** Boots, smokes and removes one image for one share of the rounds. */
async function smokeShare(run, arm, setup, options, share) {
    const name = smokeContainerName(`-${arm.label}`);
    const stopListening = removeOnSignal(() => run("docker", ["rm", "--force", "--volumes", name]));
    const booted = await bootForSmoke(run, arm.image, name, setup, options.log);
    describeBoot(arm, booted);
    try {
        const client = ollamaClient(booted.server.endpoint, setup.timeouts);
        await arm.session.run(client, share);
        if (arm.label === "head")
            await finishHead(run, arm, { client, server: booted }, setup, options);
    }
    finally {
        stopListening();
        await booted.server.remove();
    }
}
/** After the head's cases, on its server: the load profile, then the server's last log lines. */
async function finishHead(run, arm, served, setup, options) {
    arm.load = await smokeUnderLoad(run, served.client, setup, arm.image, options.log);
    arm.logs = await served.server.server.logs().catch(() => []);
}
async function runPairedSmokeStage(run, options) {
    const setup = await setUpSmoke(run, options);
    const [baseBytes, headBytes] = [
        await imageBytes(run, options.baseImage),
        await imageBytes(run, options.target.image),
    ];
    const free = await freeBytes(run, setup);
    const mode = options.mode === "auto" ? choosePairedMode(baseBytes + headBytes, free) : options.mode;
    const reason = `${Math.round((baseBytes + headBytes) / paired_MiB)} MiB for both images, ${Math.round(free / paired_MiB)} MiB free${options.mode === "auto" ? "" : ` (${options.mode} asked for)`}`;
    options.log(`paired smoke of ${options.baseImage} (base) and ${options.target.image} (head): ${mode}, ${reason}`);
    const arm = (label, image) => {
        const log = (line) => options.log(`${label}: ${line}`);
        const environment = { ...setup.environment, image };
        const session = new CaseSession(setup.suite, {
            ...sessionOptions(run, { ...options, log }, setup, environment),
            log,
        });
        return { label, image, session, environment };
    };
    const [base, head] = [arm("base", options.baseImage), arm("head", options.target.image)];
    if (mode === "blocks") {
        await smokeShare(run, base, setup, options, [0, 0.5]);
        await smokeShare(run, head, setup, options, [0, 1]);
        await smokeShare(run, base, setup, options, [0.5, 1]);
    }
    else {
        await interleavedOnBoth(run, [base, head], setup, options);
    }
    const side = (a) => {
        const report = a.session.report();
        attachLoadReport(report, a.load);
        if (!report.passed && a.logs !== undefined)
            report.logs = a.logs;
        return { report, samples: a.session.samples(), resident: a.session.residentBytes() };
    };
    return { mode, reason, base: side(base), head: side(head) };
}
async function interleavedOnBoth(run, arms, setup, options) {
    const names = arms.map((a) => smokeContainerName(`-${a.label}`));
    const stopListening = removeOnSignal(() => run("docker", ["rm", "--force", "--volumes", ...names]));
    const booted = [];
    try {
        for (const [i, a] of arms.entries())
            booted.push(await bootForSmoke(run, a.image, names[i], setup, options.log));
        const clients = booted.map((b) => ollamaClient(b.server.endpoint, setup.timeouts));
        await runInterleaved(arms.map((a, i) => ({ ...a, client: clients[i] })));
        // The base's server is stopped first: the load is measured as production runs it, one server on the host.
        const head = arms.findIndex((a) => a.label === "head");
        for (const [i, server] of booted.entries())
            if (i !== head)
                await server.server.remove();
        const served = { client: clients[head], server: booted[head] };
        await finishHead(run, arms[head], served, setup, options);
    }
    finally {
        stopListening();
        for (const server of booted)
            await server.server.remove();
    }
}

;// CONCATENATED MODULE: ./src/pipeline/pipeline.ts
/**
 * The stages in the order data flows, for both front ends: the project is read and linted once, planned once,
 * and every later stage starts from those results. Each method is one command of the action and the CLI.
 */



















class PipelineError extends Error {
}
/** Why lint fails the run, if it does. */
/** Why a smoke fails a run, one line; undefined when it passed (or did not run). */
function smokeFailure(smoke) {
    return smoke === undefined || smoke.passed ? undefined : `smoke failed: ${smoke.failures.join("; ")}`;
}
function lintFailure(counts, failOnWarnings) {
    if (counts.error > 0)
        return `${counts.error} error(s) in the Modelfiles (see the annotations)`;
    if (failOnWarnings && counts.warning > 0)
        return `${counts.warning} warning(s) in the Modelfiles and fail-on-warnings is set`;
    return undefined;
}
class Pipeline {
    options;
    workspaceOnce;
    contextOnce;
    checked;
    planned;
    constructor(options) {
        this.options = options;
    }
    workspace() {
        this.workspaceOnce ??= this.options.openWorkspace();
        return this.workspaceOnce;
    }
    async runContext() {
        const workspace = await this.workspace();
        this.contextOnce ??= this.options.runContext(workspace);
        return this.contextOnce;
    }
    /** The project, read and linted once per run. */
    lint() {
        this.checked ??= this.workspace().then((workspace) => runLint(workspace));
        return this.checked;
    }
    /** Lints other files than the configured folder (`lint PATH...`): read for this call only. */
    async lintPaths(paths) {
        return runLint(await this.workspace(), paths);
    }
    /** The plan of a project without lint errors; the same object for every stage of the run. */
    plan() {
        this.planned ??= this.makePlan();
        return this.planned;
    }
    async makePlan() {
        const [workspace, context, checked] = [await this.workspace(), await this.runContext(), await this.lint()];
        if (checked.counts.error > 0) {
            throw new PipelineError(`the Modelfiles have ${checked.counts.error} error(s): run \`ollama-build lint\``);
        }
        const baseRef = this.options.baseRef ?? context.baseRef;
        const planned = await runPlan(this.options.run, workspace, checked, {
            ...(baseRef === undefined ? {} : { baseRef }),
            source: context.source,
            defaultImage: defaultImageFor(context.repository, external_node_path_default().basename(workspace.root)),
        });
        for (const warning of planned.warnings)
            this.options.warn(warning);
        return planned;
    }
    /** The model registry of the configuration (a mirror, or Ollama's), with the credentials given for it. */
    async modelRegistry() {
        const workspace = await this.workspace();
        const credentials = this.options.modelRegistryCredentials;
        return {
            defaultRegistryUrl: workspace.config["ollama-registry"],
            ...(credentials === undefined ? {} : { credentials }),
            log: this.options.log,
        };
    }
    /** Pins base models (`update`: re-resolves them) and continues the run with the lock it wrote. */
    async lock(update, options = {}) {
        const workspace = await this.workspace();
        const checked = await this.lint();
        const access = await this.modelRegistry();
        const result = await runLock(workspace, checked, access, {
            ...options,
            ...(update === undefined ? {} : { update }),
        });
        this.checked = Promise.resolve(withLock(workspace.config, checked, result.lock));
        this.planned = undefined;
        return result;
    }
    async lockedRefs() {
        const [workspace, checked] = [await this.workspace(), await this.lint()];
        const refs = libraryRefs(checked.project);
        return { lock: requireLock(checked.lock, refs, external_node_path_default().join(workspace.root, LOCK_FILE)), refs };
    }
    /** Brings the locked base models into the store, through the model cache when there is one. */
    async fetch() {
        const { lock, refs } = await this.lockedRefs();
        const { modelCache, log } = this.options;
        const store = storeLayout(this.options.store);
        const key = modelCacheKey(lock, refs);
        const restored = await modelCache?.restore([store.models], key, [CACHE_KEY_PREFIX]);
        const clientFor = ollamaRegistryClients(await this.modelRegistry());
        const report = await fetchModels({ store, lock, refs, clientFor, log });
        if (modelCache === undefined)
            return { report };
        if (restored !== key)
            await modelCache.save([store.models], key);
        return { report, cache: { key, ...(restored === undefined ? {} : { restored }) } };
    }
    /** Where the image goes, logged in to its registry when it is pushed. */
    async buildTarget(image) {
        const repository = image_ref_parseImageRepository(image);
        const push = this.options.push === "auto" ? repository.explicitHost : this.options.push;
        if (!push)
            return { push };
        const credentials = await this.options.imageRegistryLogin(image);
        const registry = new RegistryClient({
            baseUrl: repository.baseUrl,
            ...(credentials === undefined ? {} : { credentials }),
            log: this.options.log,
        });
        return { push, registry };
    }
    /** Builds this commit's image, unless it exists (then it only gets its tags); `dryRun`: the recipe only. */
    async build(options = {}) {
        const started = Date.now();
        const planned = await this.plan();
        const [workspace, context] = [await this.workspace(), await this.runContext()];
        const recipe = {
            planned,
            ...(context.source.sha === undefined ? {} : { revision: context.source.sha }),
            ...(this.options.repositoryUrl === undefined ? {} : { repositoryUrl: this.options.repositoryUrl }),
        };
        if (options.dryRun) {
            const { lock, refs } = await this.lockedRefs();
            return dryRunReport(recipe, baseModelFiles(lock, refs));
        }
        const target = await this.buildTarget(planned.plan.image);
        const existing = await tagExistingImage(this.options.run, planned, target, this.options.log);
        if (existing !== undefined) {
            return { ...existing, milliseconds: { ...existing.milliseconds, total: Date.now() - started } };
        }
        const { lock, refs } = await this.lockedRefs();
        const bases = baseModelFiles(lock, refs);
        const fetched = await this.fetch();
        const fetchMs = Date.now() - started;
        const workDir = this.options.workDir ?? (await (0,promises_.mkdtemp)(external_node_path_default().join(this.options.tempDir, "ollama-build-")));
        try {
            const report = await buildImage(this.options.run, {
                ...recipe,
                projectRoot: workspace.root,
                store: storeLayout(this.options.store),
                bases,
                target,
                workDir,
                layerCache: this.options.layerCache,
                log: this.options.log,
            });
            const { blobs, bytesDownloaded } = fetched.report;
            return {
                ...report,
                fetched: {
                    blobs: blobs.length,
                    present: blobs.filter((b) => b.status === "present").length,
                    bytesDownloaded,
                },
                ...(fetched.cache === undefined ? {} : { cache: fetched.cache }),
                milliseconds: { ...report.milliseconds, fetch: fetchMs, total: Date.now() - started },
            };
        }
        finally {
            if (this.options.workDir === undefined)
                await (0,promises_.rm)(workDir, { recursive: true, force: true });
        }
    }
    /** The image this commit's build produced, as the plan names it. */
    async smokeTarget() {
        return { image: (await this.plan()).plan.imageTag };
    }
    /** What the smoke stage runs with: the given settings, the project's where none are given. */
    async smokeOptions(target) {
        const settings = this.options.smoke;
        // A smoke of a given server or image with given case files does not need a project at all.
        const needsProject = settings.cases === undefined || settings.cases.some((c) => !external_node_path_default().isAbsolute(c));
        const workspace = needsProject ? await this.workspace() : await this.workspaceIfOpen();
        const root = workspace?.root ?? settings.displayRoot;
        const cases = (settings.cases ?? workspace?.config.smoke.cases ?? []).map((c) => external_node_path_default().resolve(root, c));
        return {
            target,
            cases,
            displayRoot: root,
            gpus: settings.gpus ?? workspace?.config.smoke.gpus ?? "auto",
            ...(settings.budgets === undefined ? {} : { budgets: settings.budgets }),
            ...(settings.repeat === undefined ? {} : { repeat: settings.repeat }),
            ...(settings.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: settings.readyTimeoutMs }),
            log: this.options.log,
        };
    }
    workspaceIfOpen() {
        return this.workspaceOnce ?? Promise.resolve(undefined);
    }
    /** `docker run` pulls an image the engine does not have: with the registry's login. */
    async readyToPull(image) {
        const known = await this.options.run("docker", ["image", "inspect", "--format", "{{.Id}}", image]);
        if (known.exitCode !== 0)
            await this.options.imageRegistryLogin(image);
    }
    /** Smokes `target`, by default this commit's image; with `baseImage`, beside it on this runner, compared. */
    async smoke(target, baseImage) {
        const resolved = target ?? (await this.smokeTarget());
        if ("image" in resolved)
            await this.readyToPull(resolved.image);
        if (baseImage === undefined || !("image" in resolved)) {
            return runSmokeStage(this.options.run, await this.smokeOptions(resolved));
        }
        await this.readyToPull(baseImage);
        const mode = this.options.paired === "off" ? "auto" : this.options.paired;
        const paired = await runPairedSmokeStage(this.options.run, {
            ...(await this.smokeOptions(resolved)),
            target: resolved,
            baseImage,
            mode,
        });
        const arm = (side) => ({
            cases: side.report.cases,
            samples: side.samples,
            memory: side.resident,
        });
        const comparison = comparePaired(arm(paired.base), arm(paired.head), { baseImage, mode: paired.mode, modeReason: paired.reason }, { ...DEFAULT_PAIRED_SETTINGS, minEffect: this.options.minEffect });
        return { ...paired.head.report, paired: comparison };
    }
    /**
     * The base commit's image to smoke beside this commit's, or why the comparison is not paired: a pull request
     * (or a run given its base) whose base commit built an image that differs from this one and still exists.
     */
    async pairedBase(plan) {
        const context = await this.runContext();
        if (this.options.paired === "off")
            return { notPaired: "paired comparison is off" };
        if (plan.baseImageTag === undefined)
            return { notPaired: "no base commit to compare with" };
        if (plan.baseImageTag === plan.imageTag)
            return { notPaired: "the base commit's image is this image" };
        if (context.source.pullRequest === undefined && this.options.baseRef === undefined) {
            return { notPaired: "not a pull request" };
        }
        return (await this.imageExists(plan.baseImageTag))
            ? { image: plan.baseImageTag }
            : { notPaired: `the base commit's image ${plan.baseImageTag} was not found (never built?)` };
    }
    /** Whether an image exists where this run would push it: its registry when it pushes, else the local engine. */
    async imageExists(imageTag) {
        const { repository, tag } = splitImageReference(imageTag);
        const target = await this.buildTarget(repository);
        if (target.registry === undefined) {
            return (await this.options.run("docker", ["image", "inspect", "--format", "{{.Id}}", imageTag])).exitCode === 0;
        }
        return (await target.registry.headManifest(image_ref_parseImageRepository(repository).path, tag)) !== undefined;
    }
    /** Gives this commit's (already built) image the version's tags. */
    async release(version) {
        const { plan } = await this.plan();
        const repository = image_ref_parseImageRepository(plan.image);
        const credentials = await this.options.imageRegistryLogin(plan.image);
        const client = new RegistryClient({
            baseUrl: repository.baseUrl,
            ...(credentials === undefined ? {} : { credentials }),
            log: this.options.log,
        });
        return runRelease(plan, client, version);
    }
}

;// CONCATENATED MODULE: ./src/pipeline/reports.ts
/** An earlier smoke of this very image with the same settings: when this run built nothing, it is reused. */
async function reusableSmoke(store, imageTag, settings) {
    const saved = await store.forImage(imageTag, imageTag, settings);
    return "report" in saved ? saved.report : undefined;
}
/** The base commit's report; else the newest report of the image the base commit's models make. */
async function baselineFor(store, plan, baseSha) {
    const base = plan?.base ?? baseSha;
    if (base === undefined)
        return { missing: "no base commit to compare with" };
    const what = `the base commit ${base.slice(0, 7)} (the base branch's workflow saves one)`;
    const byCommit = await store.forCommit(base, what);
    // When the base built this very image, its image's reports are this pull request's own: only the commit's counts.
    if ("report" in byCommit || plan?.baseImageTag === undefined || plan.baseImageTag === plan.imageTag)
        return byCommit;
    return store.forImage(plan.baseImageTag, what);
}
/** Saves this run's smoke under its commit (runs on a branch) and, when it was made here and passed, its image. */
async function saveSmoke(store, run) {
    // Every run on a branch (main) saves its report for the pull requests that will be based on it, even when it
    // reuses the image's report: most commits on main change no model.
    if (run.pullRequest === undefined && run.sha !== undefined)
        await store.saveForCommit(run.sha, run.smoke);
    // Only a passing smoke stands in for a later one: a failure (a stall, a flaky case) must be run again.
    if (!run.reused && run.smoke.passed && run.plan !== undefined && run.settings !== undefined) {
        await store.saveForImage(run.plan.imageTag, run.settings, run.smoke);
    }
}

;// CONCATENATED MODULE: ./src/pipeline/all.ts





/** Whether some library base model is not pinned yet. */
const unpinned = (lint) => lint.lock.status === "absent" || lint.files.some((f) => f.diagnostics.some((d) => d.code === "unlocked-base"));
async function buildAndSmoke(pipeline, result) {
    const { options } = pipeline;
    if (options.pinMissingBaseModels && unpinned(result.lint)) {
        result.pinned = await pipeline.lock();
        options.log(`pinned ${result.pinned.added.join(", ")} in ollama.lock: commit it, so every build uses these manifests`);
    }
    const build = await options.stage("build", () => pipeline.build());
    result.build = build;
    result.plan = build.plan;
    const target = { image: build.plan.imageTag };
    const settings = await smokeSettingsDigest(await pipeline.smokeOptions(target));
    // An image built and smoked before, with these very cases and settings, is not booted again.
    const saved = build.skipped === undefined || options.reports === undefined
        ? undefined
        : await reusableSmoke(options.reports, build.plan.imageTag, settings);
    if (saved !== undefined) {
        result.smoke = saved;
        result.smokeReused = true;
        options.log(`smoke: skipped, ${build.skipped}; showing its report from ${saved.environment.started_at}`);
        return settings;
    }
    const pairing = await pipeline.pairedBase(build.plan);
    if ("notPaired" in pairing)
        result.notPaired = pairing.notPaired;
    const baseImage = "image" in pairing ? pairing.image : undefined;
    result.smoke = await options.stage("smoke", () => pipeline.smoke(target, baseImage));
    // The digest the build pushed is the one a registry serves; the engine may not know it.
    if (build.digest !== undefined)
        result.smoke.environment.image_digest = build.digest;
    return settings;
}
/** Looks the baseline up (before this run saves its own, which must never be its own baseline), then saves. */
async function compareAndSave(pipeline, result, settings) {
    const { reports: store, givenBaseline } = pipeline.options;
    if (result.smoke === undefined)
        return;
    // A paired smoke compared itself with the base image, measured beside it: a saved report would only be worse.
    if (givenBaseline !== undefined && result.smoke.paired === undefined)
        result.baseline = givenBaseline;
    if (store === undefined)
        return;
    const context = await pipeline.runContext();
    try {
        if (result.smoke.paired === undefined) {
            result.baseline ??= await baselineFor(store, result.plan, pipeline.options.baseRef ?? context.baseRef);
        }
        await saveSmoke(store, {
            smoke: result.smoke,
            reused: result.smokeReused === true,
            ...(result.plan === undefined ? {} : { plan: result.plan }),
            ...(settings === undefined ? {} : { settings }),
            ...(context.source.sha === undefined ? {} : { sha: context.source.sha }),
            ...(context.source.pullRequest === undefined ? {} : { pullRequest: context.source.pullRequest }),
        });
    }
    catch (error) {
        pipeline.options.warn(`the saved reports could not be read or written: ${describeError(error)}`);
    }
}
function reportInput(pipeline, result) {
    const { baseline, smoke } = result;
    return {
        marker: commentMarker(pipeline.options.commentId),
        ...(smoke === undefined ? {} : { head: smoke }),
        ...(baseline === undefined
            ? {}
            : "report" in baseline
                ? { baseline: baseline.report }
                : { baselineNote: baseline.missing }),
        ...(result.plan === undefined ? {} : { plan: result.plan }),
        ...(result.build === undefined ? {} : { build: result.build }),
        ...(result.failure === undefined ? {} : { failure: result.failure }),
        ...(result.notPaired === undefined ? {} : { notPaired: result.notPaired }),
        ...(result.smokeReused && smoke !== undefined
            ? {
                provenance: `This image was built and smoked before, with the same cases and settings: the smoke figures are from that run (${smoke.environment.started_at}).`,
            }
            : {}),
    };
}
async function runAll(pipeline) {
    const { options } = pipeline;
    const lint = await options.stage("lint", () => pipeline.lint());
    const result = { lint, failures: [], report: { marker: commentMarker(options.commentId) } };
    const lintFailed = lintFailure(lint.counts, options.failOnWarnings);
    let settings;
    // Lint errors stop the run before the build, but still reach the report: it must not keep saying ✅.
    if (lint.counts.error > 0)
        result.failure = lintFailed;
    else {
        try {
            settings = await buildAndSmoke(pipeline, result);
        }
        catch (error) {
            result.failure = describeError(error);
        }
    }
    await options.stage("report", () => compareAndSave(pipeline, result, settings));
    result.report = reportInput(pipeline, result);
    result.failures = [
        ...(lintFailed === undefined ? [] : [lintFailed]),
        ...(result.failure === undefined || lint.counts.error > 0 ? [] : [result.failure]),
        ...[smokeFailure(result.smoke)].filter((line) => line !== undefined),
    ];
    return result;
}

;// CONCATENATED MODULE: ./src/pipeline/update-lock.ts
/**
 * `update-lock`: a lock that moves on purpose. Ollama's tags (`qwen3:4b`) move upstream and Ollama has no pull by
 * digest, so this re-resolves every locked base model and, when a digest moved, builds the image with the new
 * lock, smokes it beside the image the current lock made (the base branch's, built by its own workflow), and
 * renders a pull request's body: the lock's diff and the comparison. When nothing moved nothing is built and
 * ollama.lock keeps its bytes. Publishing is the front end's: the action opens or updates one pull request
 * (`publish/pull-request.ts`), the CLI writes the body to a file.
 *
 * The run is its own, not the checked-out commit's: its image is tagged `m-<hash>` and the update branch's name
 * only (never `main` or `sha-<commit>`: that commit does not build this image), and models count as changed
 * against the checked-out commit (HEAD), whose lock is the one being replaced.
 */








/** The one branch every update-lock pull request comes from, force-moved on each run that finds a move. */
const UPDATE_LOCK_BRANCH = "ollama-build/update-lock";
/** GitHub refuses a pull request body over 65,536 characters. */
const PULL_REQUEST_BODY_LIMIT = 65_536;
/** Rows of the lock table; the rest are counted (ollama.lock's diff in the pull request has them all). */
const MAX_LOCK_ROWS = 100;
/** Room kept under the limit for what a caller adds (a line, a marker). */
const BODY_MARGIN = 1_000;
const update_lock_manifestOf = (entry) => ({
    digest: entry.digest,
    bytes: blobsOf(entry).reduce((sum, blob) => sum + blob.size, 0),
});
/** The entries whose digest differs between two locks, by reference. */
function lockChanges(before, after) {
    const refs = [...new Set([...Object.keys(before.models), ...Object.keys(after.models)])].sort();
    return refs.flatMap((ref) => {
        const [old, now] = [before.models[ref], after.models[ref]];
        if (old?.digest === now?.digest)
            return [];
        return [
            {
                ref,
                ...(old === undefined ? {} : { before: update_lock_manifestOf(old) }),
                ...(now === undefined ? {} : { after: update_lock_manifestOf(now) }),
            },
        ];
    });
}
/** `registry.ollama.ai/library/qwen3:4b` → `qwen3:4b`, as a Modelfile names it. */
function shortRef(ref) {
    const library = `${DEFAULT_REGISTRY_HOST}/${DEFAULT_NAMESPACE}/`;
    if (ref.startsWith(library))
        return ref.slice(library.length);
    return ref.startsWith(`${DEFAULT_REGISTRY_HOST}/`) ? ref.slice(DEFAULT_REGISTRY_HOST.length + 1) : ref;
}
const verb = (change) => change.before === undefined ? "pinned" : change.after === undefined ? "dropped" : "moved upstream";
const shortDigest = (digest) => digest.slice(0, "sha256:".length + 12);
function pullRequestTitle(changes) {
    const [only] = changes;
    if (changes.length === 1 && only !== undefined)
        return `ollama.lock: ${clip(shortRef(only.ref), 120)} ${verb(only)}`;
    const moved = changes.filter((c) => c.before !== undefined && c.after !== undefined).length;
    return `ollama.lock: ${moved === changes.length ? `${changes.length} base models moved upstream` : `${changes.length} base models changed`}`;
}
function commitMessage(changes) {
    const lines = changes.map((c) => `${shortRef(c.ref)}: ${c.before === undefined ? "(not pinned)" : shortDigest(c.before.digest)} -> ${c.after === undefined ? "(dropped)" : shortDigest(c.after.digest)}`);
    return `${pullRequestTitle(changes)}\n\nRe-resolved by ollama-build update-lock:\n${lines.join("\n")}\n`;
}
function sizeCell(change) {
    const [old, now] = [change.before?.bytes, change.after?.bytes];
    const shown = (bytes) => (bytes === undefined ? "—" : units_formatBytes(bytes));
    if (old === undefined || now === undefined)
        return `${shown(old)} → ${shown(now)}`;
    const delta = now - old;
    return `${shown(old)} → ${shown(now)} (${delta === 0 ? "±0 B" : `${delta > 0 ? "+" : "−"}${units_formatBytes(Math.abs(delta))}`})`;
}
/** The lock's part of the body: what moved, from which manifest to which, and what it weighs. */
function lockSection(changes, mainImage, image, branchOf) {
    const rows = changes.slice(0, MAX_LOCK_ROWS).map((c) => {
        const digest = (m) => (m === undefined ? "—" : markdown_code(shortDigest(m.digest)));
        return `| ${markdown_code(clip(shortRef(c.ref), 120))} | ${digest(c.before)} | ${digest(c.after)} | ${sizeCell(c)} |`;
    });
    if (changes.length > MAX_LOCK_ROWS)
        rows.push(`| …and ${changes.length - MAX_LOCK_ROWS} more (see ollama.lock's diff) | | | |`);
    const moved = changes.length === 1 ? "One base model resolves" : `${changes.length} base models resolve`;
    const images = image === mainImage
        ? `The image is the same (${markdown_code(clip(image, 200))}): no model of it is built on what changed.`
        : `${markdown_text(branchOf)}'s image ${markdown_code(clip(mainImage, 200))} was built with the current lock; ${markdown_code(clip(image, 200))} is built with this one.`;
    return [
        "### ollama.lock: base models moved upstream",
        `${moved} to a different manifest than ollama.lock pins. This pull request pins the new ${changes.length === 1 ? "one" : "ones"}. ${images}`,
        `| Base model | Pinned now | Upstream | Size |\n| --- | --- | --- | --- |\n${rows.join("\n")}`,
        "<sub>Ollama has no pull by digest: a tag such as `qwen3:4b` changes whenever its library pushes. The scheduled `update-lock` run re-resolves every locked base model and keeps this one pull request up to date; merging it makes the base branch build with these manifests.</sub>",
    ].join("\n\n");
}
/** The pull request's body: the lock section, then the report, fitted under GitHub's limit. */
function updateLockBody(section, report, maxChars = PULL_REQUEST_BODY_LIMIT - BODY_MARGIN) {
    return `${section}\n\n${renderReport(report, { maxChars: maxChars - section.length - 2 })}`;
}
/**
 * The pipeline of this run: the given one's options and workspace, but the update branch as its source (tags)
 * and HEAD as its base (what changed), and whether an image exists.
 */
async function updatePipeline(given, branch) {
    const workspace = await given.workspace();
    const context = await given.runContext();
    const baseRef = given.options.baseRef ?? (workspace.repository === undefined ? undefined : "HEAD");
    const pipeline = new Pipeline({
        ...given.options,
        openWorkspace: () => given.workspace(),
        runContext: async () => ({
            source: { branch },
            ...(context.repository === undefined ? {} : { repository: context.repository }),
        }),
        ...(baseRef === undefined ? {} : { baseRef }),
    });
    return { stages: pipeline, branchOf: context.source.branch ?? "the checked-out commit" };
}
async function runUpdateLock(given, settings = {}) {
    const { stages, branchOf } = await updatePipeline(given, settings.branch ?? UPDATE_LOCK_BRANCH);
    return updateLock(stages, { ...settings, branchOf });
}
/** Where the new image is compared with the current one, or why it is not. */
async function pairing(stages, mainImage, image, branchOf) {
    if (stages.options.paired === "off")
        return { notPaired: "paired comparison is off" };
    if (image === mainImage)
        return { notPaired: `${branchOf}'s image is this image` };
    if (await stages.imageExists(mainImage))
        return { image: mainImage };
    return { notPaired: `${branchOf}'s image ${mainImage} was not found (never built with the current lock?)` };
}
/** Builds the new image and smokes it (beside the current one when it exists); errors become the failure. */
async function update_lock_buildAndSmoke(stages, result, branchOf) {
    const { stage, log } = stages.options;
    try {
        const build = await stage("build", () => stages.build());
        result.build = build;
        const paired = await pairing(stages, result.mainImage, build.plan.imageTag, branchOf);
        if ("notPaired" in paired) {
            result.notPaired = paired.notPaired;
            log(`not paired: ${paired.notPaired}; the new image is smoked alone`);
        }
        const base = "image" in paired ? paired.image : undefined;
        const smoke = await stage("smoke", () => stages.smoke({ image: build.plan.imageTag }, base));
        // The digest the build pushed is the one a registry serves; the engine may not know it.
        if (build.digest !== undefined)
            smoke.environment.image_digest = build.digest;
        result.smoke = smoke;
    }
    catch (error) {
        result.failure = describeError(error);
    }
}
/** The decision and the order: lint → the current image → re-resolve → [nothing moved: stop] → build → smoke → body. */
async function updateLock(stages, settings = {}) {
    const { stage, log } = stages.options;
    const branchOf = settings.branchOf ?? "the checked-out commit";
    const lint = await stage("lint", () => stages.lint());
    const lintFailed = lintFailure(lint.counts, false);
    if (lintFailed !== undefined)
        throw new PipelineError(`${lintFailed}: fix them before updating ollama.lock`);
    if (lint.lock.status !== "ok") {
        throw new PipelineError(`there is no ${LOCK_FILE} to update: run \`ollama-build lock\` and commit it`);
    }
    const before = lint.lock;
    const mainImage = (await stages.plan()).plan.imageTag;
    const locked = await stage("lock", () => stages.lock(true, { keepUnchanged: true }));
    const changes = lockChanges(before.lock, locked.lock);
    const lockFile = external_node_path_default().join((await stages.workspace()).root, LOCK_FILE);
    const lockText = serializeLock(locked.lock);
    if (changes.length === 0) {
        // Nothing moved: runLock left the file's bytes as they were (keepUnchanged), canonical or not.
        log(`${LOCK_FILE}: no base model moved (${Object.keys(locked.lock.models).length} re-resolved)`);
        return { moved: false, lock: locked.lock };
    }
    for (const change of changes) {
        log(`${shortRef(change.ref)} ${verb(change)}: ${change.before?.digest ?? "—"} → ${change.after?.digest ?? "—"}`);
    }
    const result = {
        moved: true,
        changes,
        mainImage,
        plan: (await stages.plan()).plan,
        failures: [],
        lockFile,
        lockText,
        title: pullRequestTitle(changes),
        commitMessage: commitMessage(changes),
        body: "",
    };
    await update_lock_buildAndSmoke(stages, result, branchOf);
    const { smoke, failure, notPaired } = result;
    result.failures = [
        ...(failure === undefined ? [] : [failure]),
        ...[smokeFailure(smoke)].filter((line) => line !== undefined),
    ];
    const report = {
        marker: commentMarker("update-lock"),
        plan: result.plan,
        ...(result.build === undefined ? {} : { build: result.build }),
        ...(smoke === undefined ? {} : { head: smoke }),
        ...(failure === undefined ? {} : { failure }),
        ...(notPaired === undefined ? {} : { notPaired, baselineNote: `not paired: ${notPaired}` }),
        ...(settings.runUrl === undefined ? {} : { runUrl: settings.runUrl }),
    };
    result.body = updateLockBody(lockSection(changes, mainImage, result.plan.imageTag, branchOf), report);
    return result;
}

;// CONCATENATED MODULE: ./src/plan/format.ts
/** The plan as a terminal table and as a job-summary table. */

function table(rows) {
    const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
    return rows
        .map((row) => row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd())
        .join("\n");
}
function formatPlanText(plan) {
    const header = [
        `image  ${plan.image}`,
        `tags   ${plan.tags.join(", ")}`,
        `base   ${plan.base ?? "none (every model counts as changed)"}`,
        "",
    ];
    const rows = [
        ["MODEL", "FILE", "FROM", "HASH", "CHANGED", "DEPENDS ON"],
        ...plan.models.map((m) => [
            m.name,
            m.file,
            m.from,
            m.hash.slice(0, 12),
            m.changed ? "yes" : "no",
            m.dependsOn.join(", "),
        ]),
    ];
    return `${header.join("\n")}\n${table(rows)}\n`;
}
function formatPlanMarkdown(plan) {
    const changed = plan.models.filter((m) => m.changed).length;
    const lines = [
        "### ollama-build plan",
        "",
        `${changed} of ${plan.models.length} models changed against ${plan.base === undefined ? "no base (all count as changed)" : code(plan.base.slice(0, 12))}.`,
        `Image ${code(plan.imageTag)}; tags ${plan.tags.map(code).join(", ")}.`,
        "",
        "| Model | File | From | Hash | Changed | Depends on |",
        "| --- | --- | --- | --- | --- | --- |",
        ...plan.models.map((m) => `| ${cell(m.name)} | ${code(m.file)} | ${code(m.from)} | ${code(m.hash.slice(0, 12))} | ${m.changed ? "yes" : "no"} | ${cell(m.dependsOn.join(", "))} |`),
    ];
    return `${lines.join("\n")}\n`;
}

;// CONCATENATED MODULE: ./src/smoke/load-format.ts
/**
 * The load report for a terminal: the run in one line, residency and memory, then each model's figures under
 * load (the median and the slow tail budgets judge). Its failures are the smoke's (`under load: …`), listed
 * with the others at the end.
 */


const LABEL_WIDTH = Math.max(...Object.values(LOAD_METRICS).map((metric) => metric.label.length));
function residencyLine(load) {
    const memory = load.resident_memory;
    const together = memory === undefined
        ? ""
        : `; together ${units_formatBytes(memory.size_bytes)}${memory.size_vram_bytes > 0 ? ` (${units_formatBytes(memory.size_vram_bytes)} VRAM)` : ""}`;
    if (load.resident.length === 0)
        return `  resident: not checked${together}`;
    const evicted = load.evictions.map((e) => `${e.model} evicted at ${e.at_ms} ms`);
    const state = evicted.length === 0 ? `all loaded in ${load.samples} samples` : evicted.join(", ");
    return `  resident: ${load.resident.join(", ")}: ${state}${together}`;
}
function formatLoadLines(load) {
    const lines = [
        "",
        `under load: ${load.conversations_passed}/${load.conversations} conversations passed, ${load.concurrency} at a time ` +
            `(${load.concurrency_from}), ${(load.duration_ms / 1000).toFixed(1)} s`,
        residencyLine(load),
    ];
    for (const [model, figures] of Object.entries(load.models)) {
        lines.push(`  ${model}: ${figures.conversations_passed}/${figures.conversations} conversations, ${figures.requests} requests`);
        for (const key of LOAD_METRIC_KEYS) {
            const measured = figures.metrics[key];
            if (measured === undefined)
                continue;
            const { label, unit } = LOAD_METRICS[key];
            const tail = tailOf(key);
            const budget = figures.budgets[key] === undefined ? "" : `, budget ${figures.budgets[key]}`;
            lines.push(`    ${label.padEnd(LABEL_WIDTH)}  p50/${tail}  ${measured.p50}/${measured[tail]} ${unit} (n=${measured.n}${budget})`);
        }
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/smoke/format.ts
/** The smoke report for a terminal: every registry metric on a line of its own, per model. */



const format_MIB = 1024 * 1024;
const format_LABEL_WIDTH = Math.max(...METRICS.map((metric) => metric.short.length));
const line = (label, figure) => `  ${label.padEnd(format_LABEL_WIDTH)}  ${figure}`;
const format_withUnit = (value, unit) => (unit === "" ? String(value) : `${value} ${unit}`);
const figure = (d, unit) => d === undefined ? "–" : `${d.p50}/${d.p90}${d.p95 === undefined ? "" : `/${d.p95}`} ${unit} (n=${d.n})`;
/** At most one decimal: MiB from bytes and percentages are not exact anyway. */
const rounded = (value) => Math.round(value * 10) / 10;
function metricLines(view) {
    return MODEL_METRICS.map((metric) => {
        if (isRequestMetric(metric)) {
            return line(metric.short, `p50/p90  ${figure(distributionOf(metric, view), metric.unit)}`);
        }
        const value = modelValue(metric, view);
        const detail = modelDetail(metric, view);
        const shown = value === undefined ? "–" : format_withUnit(rounded(value), metric.unit);
        return line(metric.short, detail === undefined ? shown : `${shown} ${detail}`);
    });
}
function modelLines(model, view) {
    const passed = view.cases.filter((c) => c.passed).length;
    const lines = ["", `${model}: ${passed}/${view.cases.length} cases passed`, ...metricLines(view)];
    const memory = view.results?.memory;
    if (memory?.size_bytes !== undefined) {
        const context = memory.context_length === undefined ? "" : `, context ${memory.context_length}`;
        lines.push(line("size", `${(memory.size_bytes / format_MIB).toFixed(0)} MiB${context}`));
    }
    const reasoning = view.results?.reasoning_runs ?? 0;
    if (reasoning > 0)
        lines.push(`  warning: ${reasoning} run(s) reasoned before speaking (thinking on)`);
    for (const c of view.cases.filter((c) => !c.passed || c.flaky)) {
        lines.push(`  ${c.passed ? "flaky" : c.critical ? "FAIL (critical)" : "FAIL"} ${c.id}: ${c.passes}/${c.runs} runs passed`);
        for (const failure of c.failures)
            lines.push(`    - ${failure}`);
    }
    return lines;
}
/** The paired comparison in the terminal: one line per metric, and the cases whose pass counts moved. */
function pairedLines(paired) {
    const signed = (value, unit) => `${value >= 0 ? "+" : "-"}${format_withUnit(Math.abs(value), unit)}`;
    const lines = ["", `paired with ${paired.base_image} (${paired.mode}, ${paired.mode_reason}):`];
    for (const [model, figures] of Object.entries(paired.models)) {
        for (const m of figures.metrics) {
            const interval = m.lower === null || m.upper === null ? "unbounded" : `${signed(m.lower, m.unit)} .. ${signed(m.upper, m.unit)}`;
            lines.push(`  ${model} ${m.metric}: ${signed(m.shift, m.unit)} (${interval}, p ${m.p.toPrecision(2)}) ${m.verdict}`);
        }
    }
    for (const c of paired.cases.filter((x) => x.regression || x.base.passes !== x.head.passes)) {
        const call = c.regression ? `worse (p ${c.p.toPrecision(2)} < ${paired.alpha})` : `p ${c.p.toPrecision(2)}`;
        lines.push(`  ${c.model} ${c.id}: ${c.base.passes}/${c.base.runs} → ${c.head.passes}/${c.head.runs}, ${call}`);
    }
    return lines;
}
function formatSmokeText(report) {
    const env = report.environment;
    const lines = [
        `smoke: ${env.image ?? env.endpoint} (Ollama ${env.ollama_version ?? "?"}, ${env.gpu ? `GPU: ${env.gpu_names?.join(", ")}` : "CPU"})`,
        ...SERVER_METRICS.map((metric) => {
            const value = serverValue(metric, env);
            return line(metric.short, value === undefined ? "–" : format_withUnit(value, metric.unit));
        }),
    ];
    for (const [model, view] of modelViews(report))
        lines.push(...modelLines(model, view));
    if (report.paired !== undefined)
        lines.push(...pairedLines(report.paired));
    if (report.load !== undefined)
        lines.push(...formatLoadLines(report.load));
    lines.push("");
    if (report.passed)
        lines.push("smoke passed");
    else {
        lines.push("smoke FAILED:");
        for (const failure of report.failures)
            lines.push(`  - ${failure}`);
    }
    if (report.logs !== undefined && report.logs.length > 0) {
        lines.push("", "last container log lines:", ...report.logs.map((l) => `  ${l}`));
    }
    return `${lines.join("\n")}\n`;
}

;// CONCATENATED MODULE: ./src/registry/credentials.ts
/**
 * Credentials for the image registry, the same for the registry API calls (does the image exist, add tags) as
 * for the push: given ones are handed to `docker login` first (BuildKit pushes with docker's login), else those
 * of `docker login`'s config file. Credential helpers are not run.
 */




/** `docker login` reads the password from standard input, never from argv. */
function loginArgv(registryHost, username) {
    return ["login", "--username", username, "--password-stdin", registryHost];
}
async function dockerConfigCredentials(host, env) {
    const dir = env.DOCKER_CONFIG ?? external_node_path_default().join(external_node_os_default().homedir(), ".docker");
    let config;
    try {
        config = JSON.parse(await (0,promises_.readFile)(external_node_path_default().join(dir, "config.json"), "utf8"));
    }
    catch {
        return undefined;
    }
    const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`] ?? config.auths?.[`http://${host}`];
    if (entry?.username && entry.password)
        return { username: entry.username, password: entry.password };
    if (!entry?.auth)
        return undefined;
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
/** Credentials from two environment variables, when both are set. */
function environmentCredentials(env, prefix) {
    const username = env[`${prefix}_USERNAME`];
    const password = env[`${prefix}_PASSWORD`];
    return username && password ? { username, password } : undefined;
}
/**
 * With `given` credentials: `docker login` to the image's registry with them (once per host), and those;
 * without: docker's own login for that host, if any.
 */
function imageRegistryLogin(run, given, env) {
    const loggedIn = new Set();
    return async (image) => {
        const { host } = parseImageRepository(image);
        if (given === undefined)
            return dockerConfigCredentials(host, env);
        if (!loggedIn.has(host)) {
            const login = await run("docker", loginArgv(host, given.username), { input: given.password });
            if (login.exitCode !== 0) {
                throw new Error(`docker login to ${host} as ${given.username} failed: ${login.stderr.trim()}`);
            }
            loggedIn.add(host);
        }
        return given;
    };
}
/**
 * The command line's: OLLAMA_BUILD_REGISTRY_USERNAME / _PASSWORD, else docker's own login. It never runs
 * `docker login`: a developer's docker configuration is theirs, and a push uses it as it is.
 */
function environmentLogin(env) {
    return async (image) => environmentCredentials(env, "OLLAMA_BUILD_REGISTRY") ??
        (await dockerConfigCredentials(image_ref_parseImageRepository(image).host, env));
}

;// CONCATENATED MODULE: ./src/cli/usage.ts
const USAGE = `Usage: ollama-build <command> [options]

Commands:
  parse FILE            print FILE's commands in Ollama's representation as JSON
                        (--create-request: the create request Ollama's client would build)
  lint [PATH...]        check Modelfiles (default: the configured folder, modelfiles/)
                        --format text|json|github
  plan                  models, hashes, what changed against --base-ref, and the image tags
                        --format text|json, --base-ref REF, --image REPOSITORY
  lock [REF...]         pin every library base model in ollama.lock (--update: re-resolve REFs, or all)
  fetch                 download the locked base models into the model store (--store DIR)
  build                 fetch, ollama create, build one layer per model, push (or load)
                        --push | --load, --dry-run (print the recipe), --store DIR, --layer-cache,
                        --format text|json, --base-ref REF, --image REPOSITORY
  release --version V   tag the built image V, V.minor and V.major (no rebuild)
  smoke [CASES...]      run the tool-call cases and measure latency (default cases: test/smoke)
                        --endpoint URL (a running Ollama) | --image REF (boot it; default: the
                        image built for this commit), --cases FILE (repeatable), --report FILE,
                        --repeat N, --gpus auto|all|none, --budget NAME=N (e.g. ttft_ms=300,
                        ttft_ms.p90=800, decode_tps=15, MODEL:ttft_ms=250), --ready-timeout SECONDS,
                        --format text|json (with --endpoint, --gpus does not apply),
                        --compare-image REF: smoke REF (the base) beside the image on this runner and
                        compare them (--paired auto|interleaved|blocks, --min-effect PERCENT, default 5)
  report                the PR comment: --report SMOKE.json [--baseline BASE.json] [--plan PLAN.json]
                        [--build BUILD.json] [--comment-id ID] [--format markdown|json]
  all                   lint, build (local engine unless the image names a registry), smoke, report:
                        --markdown FILE (default ollama-build-report.md), --report FILE (default
                        ollama-build-report.json), --baseline FILE, and the build and smoke options;
                        with --base-ref and the base commit's image present, smoked beside it (--paired)
  update-lock           re-resolve every locked base model; when one moved, build with the new lock, smoke
                        it beside the current lock's image and write the pull request's body to --markdown
                        FILE (default ollama-build-update-lock.md); the build and smoke options apply

Options for the commands that read the project (all but parse and report):
  --root DIR            the project root (default: the git top-level, else the current directory)
  --modelfiles DIR      the Modelfiles folder, relative to the root (default: modelfiles)
  --ollama-image REF    the Ollama image models are created with
  --client-api API      openai (default) or native: which API the models' clients call
  --ollama-registry URL where registry.ollama.ai models are fetched from (a mirror)
  -h, --help            this help
  --version             the version

Credentials come from the environment, never from arguments: OLLAMA_BUILD_REGISTRY_USERNAME and
OLLAMA_BUILD_REGISTRY_PASSWORD for the image registry (else \`docker login\`'s config), and
OLLAMA_REGISTRY_USERNAME / OLLAMA_REGISTRY_PASSWORD for the model registry.

Exit status: 0 success, 1 errors found, 2 bad usage.
`;
class UsageError extends Error {
}
const OPTIONS = {
    format: { type: "string" },
    root: { type: "string" },
    modelfiles: { type: "string" },
    "ollama-image": { type: "string" },
    "client-api": { type: "string" },
    "base-ref": { type: "string" },
    image: { type: "string" },
    "create-request": { type: "boolean" },
    "ollama-registry": { type: "string" },
    update: { type: "boolean" },
    store: { type: "string" },
    push: { type: "boolean" },
    load: { type: "boolean" },
    "dry-run": { type: "boolean" },
    "layer-cache": { type: "boolean" },
    version: { type: "string" },
    endpoint: { type: "string" },
    cases: { type: "string", multiple: true },
    report: { type: "string" },
    repeat: { type: "string" },
    gpus: { type: "string" },
    budget: { type: "string", multiple: true },
    "ready-timeout": { type: "string" },
    "compare-image": { type: "string" },
    paired: { type: "string" },
    "min-effect": { type: "string" },
    baseline: { type: "string" },
    plan: { type: "string" },
    build: { type: "string" },
    markdown: { type: "string" },
    "comment-id": { type: "string" },
    help: { type: "boolean", short: "h" },
};
function oneOf(option, value, allowed, fallback) {
    if (value === undefined)
        return fallback;
    if (allowed.includes(value))
        return value;
    throw new UsageError(`--${option} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
}
function positiveInteger(option, value) {
    if (value === undefined)
        return undefined;
    if (!/^[1-9][0-9]*$/.test(value))
        throw new UsageError(`--${option} must be a positive whole number (got ${value})`);
    return Number(value);
}
function percentage(option, value, fallback) {
    if (value === undefined)
        return fallback;
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 100) {
        throw new UsageError(`--${option} must be a percentage from 0 to 100 (got ${value})`);
    }
    return Number(value);
}
function noPositionals(command, positionals) {
    if (positionals.length > 0)
        throw new UsageError(`${command} takes no arguments (got ${positionals.join(" ")})`);
}

;// CONCATENATED MODULE: ./src/cli/options.ts
/** The command line's flags and the developer's environment, as the pipeline's options. */








function overridesFrom(values) {
    const overrides = {};
    if (values.modelfiles !== undefined)
        overrides.modelfiles = values.modelfiles;
    if (values.image !== undefined)
        overrides.image = values.image;
    if (values["ollama-image"] !== undefined)
        overrides["ollama-image"] = values["ollama-image"];
    if (values["ollama-registry"] !== undefined)
        overrides["ollama-registry"] = values["ollama-registry"];
    if (values["client-api"] !== undefined) {
        overrides["client-api"] = oneOf("client-api", values["client-api"], ["openai", "native"], "openai");
    }
    return overrides;
}
/** In a workflow run the event says what is built; elsewhere git does. */
async function runContextFor(io, repository) {
    if (io.env.GITHUB_ACTIONS === "true")
        return readRunContext(io.env);
    const context = { source: {} };
    if (repository === undefined)
        return context;
    const sha = await headCommit(io.run, repository);
    const branch = await currentBranch(io.run, repository);
    if (sha !== undefined)
        context.source.sha = sha;
    if (branch !== undefined)
        context.source.branch = branch;
    return context;
}
/** `cases`: the case files given on the command line (relative to the current directory). */
function cliPipelineOptions(io, values, cases = []) {
    if (values.push && values.load)
        throw new UsageError("--push and --load exclude each other");
    const cacheHome = io.env.XDG_CACHE_HOME ?? external_node_path_default().join(external_node_os_default().homedir(), ".cache");
    const modelRegistryCredentials = environmentCredentials(io.env, "OLLAMA_REGISTRY");
    const readyTimeout = positiveInteger("ready-timeout", values["ready-timeout"]);
    const repeat = positiveInteger("repeat", values.repeat);
    const gpus = values.gpus === undefined ? undefined : oneOf("gpus", values.gpus, ["auto", "all", "none"], "auto");
    const line = (text) => io.stderr(`${text}\n`);
    return {
        run: io.run,
        openWorkspace: () => openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) }),
        runContext: (workspace) => runContextFor(io, workspace.repository),
        ...(values["base-ref"] === undefined ? {} : { baseRef: values["base-ref"] }),
        log: line,
        warn: (text) => line(`warning: ${text}`),
        stage: (_, work) => work(),
        store: external_node_path_default().resolve(io.cwd, values.store ?? external_node_path_default().join(cacheHome, "ollama-build", "store")),
        tempDir: external_node_os_default().tmpdir(),
        ...(modelRegistryCredentials === undefined ? {} : { modelRegistryCredentials }),
        imageRegistryLogin: environmentLogin(io.env),
        // `ollama-build/<project>` stays in the local engine; an image that names a registry is pushed.
        push: values.push ? true : values.load ? false : "auto",
        layerCache: values["layer-cache"] ?? false,
        pinMissingBaseModels: true,
        paired: oneOf("paired", values.paired, ["auto", "interleaved", "blocks", "off"], "auto"),
        minEffect: percentage("min-effect", values["min-effect"], 5) / 100,
        failOnWarnings: false,
        smoke: {
            ...(cases.length === 0 ? {} : { cases: cases.map((c) => external_node_path_default().resolve(io.cwd, c)) }),
            ...(gpus === undefined ? {} : { gpus }),
            ...(values.budget === undefined ? {} : { budgets: parseBudgetAssignments(values.budget, "--budget") }),
            ...(repeat === undefined ? {} : { repeat }),
            ...(readyTimeout === undefined ? {} : { readyTimeoutMs: readyTimeout * 1000 }),
            displayRoot: io.cwd,
        },
        ...(values["comment-id"] === undefined ? {} : { commentId: values["comment-id"] }),
    };
}

;// CONCATENATED MODULE: ./src/cli/commands.ts
/** One function per command: flags to the pipeline's options, its results to standard output and files. */



















const pipelineFor = (io, values, cases) => new Pipeline(cliPipelineOptions(io, values, cases));
async function parseCommand(io, files, values) {
    if (files.length !== 1)
        throw new UsageError("parse takes exactly one FILE");
    const file = files[0];
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(external_node_path_default().resolve(io.cwd, file));
    }
    catch (error) {
        io.stderr(`${file}: ${error.code === "ENOENT" ? "no such file" : error.message}\n`);
        return 1;
    }
    try {
        const parsed = parseModelfile(bytes);
        if (values["create-request"]) {
            const { request, warnings } = buildCreateRequest(parsed.commands);
            for (const warning of warnings)
                io.stderr(`${warning}\n`);
            io.stdout(`${JSON.stringify(request, null, 2)}\n`);
        }
        else {
            io.stdout(`${JSON.stringify({ commands: parsed.commands.map((c) => [c.name, c.args]) })}\n`);
        }
        return 0;
    }
    catch (error) {
        if (error instanceof ModelfileParseError) {
            io.stderr(`${file}:${error.position.line}:${error.position.column}: ${error.ollamaMessage}\n`);
            return 1;
        }
        if (error instanceof CreateRequestError) {
            io.stderr(`${file}:${error.command.start.line}:${error.command.start.column}: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
}
async function lintCommand(io, paths, values) {
    const format = oneOf("format", values.format, ["text", "json", "github"], "text");
    const pipeline = pipelineFor(io, values);
    const workspace = await pipeline.workspace();
    const result = paths.length === 0
        ? await pipeline.lint()
        : await pipeline.lintPaths(paths.map((p) => toProjectPath(workspace, io.cwd, p)));
    if (format === "json")
        io.stdout(formatLintJson(result.files));
    else if (format === "github") {
        // Annotations name files from the repository's root, where GitHub looks for them.
        const prefix = external_node_path_default().relative(workspace.repository ?? io.cwd, workspace.root)
            .split((external_node_path_default()).sep)
            .join("/");
        (io.commands ?? io.stdout)(formatLintGithub(result.files, prefix));
    }
    else
        io.stdout(formatLintText(result.files, result.counts));
    return result.counts.error > 0 ? 1 : 0;
}
/** Lint's findings on standard error, when they stop a command. */
function printLintErrors(io, lint) {
    io.stderr(formatLintText(lint.files.filter((f) => f.diagnostics.length > 0), lint.counts));
}
async function planCommand(io, positionals, values) {
    noPositionals("plan", positionals);
    const format = oneOf("format", values.format, ["text", "json"], "text");
    const pipeline = pipelineFor(io, values);
    const lint = await pipeline.lint();
    if (lint.counts.error > 0) {
        printLintErrors(io, lint);
        io.stderr("plan: the Modelfiles have errors (above); fix them first\n");
        return 1;
    }
    const { plan } = await pipeline.plan();
    io.stdout(format === "json" ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanText(plan));
    return 0;
}
async function lockCommand(io, refs, values) {
    if (refs.length > 0 && !values.update)
        throw new UsageError("lock REF... needs --update (without it, lock pins what is missing)");
    const update = values.update ? (refs.length > 0 ? refs : true) : undefined;
    const result = await pipelineFor(io, values).lock(update);
    const describe = (verb, refs) => (refs.length > 0 ? [`${verb} ${refs.join(", ")}`] : []);
    const changes = [
        ...describe("pinned", result.added),
        ...describe("updated", result.updated),
        ...describe("dropped", result.removed),
    ];
    io.stdout(`${LOCK_FILE}: ${Object.keys(result.lock.models).length} base models${changes.length > 0 ? `; ${changes.join("; ")}` : ", unchanged"}\n`);
    return 0;
}
async function fetchCommand(io, positionals, values) {
    noPositionals("fetch", positionals);
    const pipeline = pipelineFor(io, values);
    const { report } = await pipeline.fetch();
    const downloaded = report.blobs.filter((b) => b.status !== "present").length;
    io.stdout(`${external_node_path_default().join(pipeline.options.store, "models")}: ${report.blobs.length} blobs, ${downloaded} downloaded (${units_formatBytes(report.bytesDownloaded)}) in ${report.milliseconds} ms\n`);
    return 0;
}
async function buildCommand(io, positionals, values) {
    noPositionals("build", positionals);
    const format = oneOf("format", values.format, ["text", "json"], "text");
    const report = await pipelineFor(io, values).build({ dryRun: values["dry-run"] ?? false });
    io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatBuildText(report));
    return 0;
}
async function releaseCommand(io, positionals, values) {
    noPositionals("release", positionals);
    if (values.version === undefined)
        throw new UsageError("release needs --version X.Y.Z");
    const result = await pipelineFor(io, values).release(values.version);
    io.stdout(`${result.image}:${result.from} (${result.digest}) is now also ${result.tags.map((t) => `${result.image}:${t}`).join(", ")}\n`);
    return 0;
}
const writeJson = (io, file, value) => writeFileAtomically(external_node_path_default().resolve(io.cwd, file), `${JSON.stringify(value, null, 2)}\n`);
async function smokeCommand(io, positionals, values) {
    if (values.endpoint !== undefined && values.image !== undefined) {
        throw new UsageError("--endpoint and --image exclude each other");
    }
    const format = oneOf("format", values.format, ["text", "json"], "text");
    const pipeline = pipelineFor(io, values, [...(values.cases ?? []), ...positionals]);
    const target = values.endpoint !== undefined
        ? { endpoint: values.endpoint }
        : values.image !== undefined
            ? { image: values.image }
            : undefined;
    if (values["compare-image"] !== undefined && target !== undefined && !("image" in target)) {
        throw new UsageError("--compare-image smokes two images: it needs --image (or this commit's image), not --endpoint");
    }
    const report = await pipeline.smoke(target, values["compare-image"]);
    if (values.report !== undefined)
        await writeJson(io, values.report, report);
    io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatSmokeText(report));
    return report.passed ? 0 : 1;
}
async function readTextFile(io, option, file) {
    return (0,promises_.readFile)(external_node_path_default().resolve(io.cwd, file), "utf8").catch((error) => {
        throw new Error(`--${option} ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
    });
}
async function readJsonFile(io, option, file) {
    if (file === undefined)
        return undefined;
    const text = await readTextFile(io, option, file);
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw new Error(`--${option} ${file}: not JSON (${error.message})`);
    }
}
/** A smoke report file, checked against the report's schema (a wrong file says which field is wrong). */
async function readSmokeReport(io, option, file) {
    return file === undefined ? undefined : parseSmokeReport(await readTextFile(io, option, file), `--${option} ${file}`);
}
const NO_BASELINE = "no baseline given (--baseline FILE)";
/** `report`: renders the PR comment from saved reports (what the action posts). */
async function reportCommand(io, positionals, values) {
    noPositionals("report", positionals);
    const format = oneOf("format", values.format, ["markdown", "json"], "markdown");
    if (values.report === undefined && values.build === undefined) {
        throw new UsageError("report needs --report FILE (a smoke report) or --build FILE (a build report)");
    }
    const head = await readSmokeReport(io, "report", values.report);
    const baseline = await readSmokeReport(io, "baseline", values.baseline);
    const plan = await readJsonFile(io, "plan", values.plan);
    const build = await readJsonFile(io, "build", values.build);
    const input = {
        marker: commentMarker(values["comment-id"]),
        ...(head === undefined ? {} : { head }),
        ...(baseline === undefined ? { baselineNote: NO_BASELINE } : { baseline }),
        ...(plan === undefined ? {} : { plan }),
        ...(build === undefined ? {} : { build }),
    };
    io.stdout(format === "json" ? `${JSON.stringify(renderReportJson(input), null, 2)}\n` : renderReport(input));
    return 0;
}
/**
 * `all`: the pipeline's `all` (building into the local engine unless the image names a registry); the terminal
 * gets the figures, --markdown FILE the PR comment's markdown, --report FILE the smoke report's JSON.
 */
async function allCommand(io, positionals, values) {
    noPositionals("all", positionals);
    const baseline = await readSmokeReport(io, "baseline", values.baseline);
    const options = cliPipelineOptions(io, values, values.cases ?? []);
    const result = await runAll(new Pipeline({
        ...options,
        givenBaseline: baseline === undefined ? { missing: NO_BASELINE } : { report: baseline },
    }));
    if (result.lint.counts.error > 0)
        printLintErrors(io, result.lint);
    if (result.build !== undefined)
        io.stderr(formatBuildText(result.build));
    const markdownFile = external_node_path_default().resolve(io.cwd, values.markdown ?? "ollama-build-report.md");
    await writeFileAtomically(markdownFile, renderReport(result.report));
    const written = [`${external_node_path_default().relative(io.cwd, markdownFile)} (markdown)`];
    if (result.smoke !== undefined) {
        const reportFile = external_node_path_default().resolve(io.cwd, values.report ?? "ollama-build-report.json");
        await writeJson(io, reportFile, result.smoke);
        written.push(`${external_node_path_default().relative(io.cwd, reportFile)} (JSON)`);
        io.stdout(formatSmokeText(result.smoke));
    }
    io.stdout(`report: ${written.join(", ")}\n`);
    if (result.failure !== undefined && result.lint.counts.error === 0)
        io.stderr(`ollama-build: ${result.failure}\n`);
    return result.failures.length > 0 ? 1 : 0;
}
/**
 * `update-lock`: re-resolves every locked base model (writing ollama.lock); when one moved, builds, smokes beside
 * the current lock's image (when it exists) and writes the pull request's body to --markdown FILE. No GitHub.
 */
async function updateLockCommand(io, positionals, values) {
    noPositionals("update-lock", positionals);
    const result = await runUpdateLock(pipelineFor(io, values, values.cases ?? []));
    if (!result.moved) {
        io.stdout(`${LOCK_FILE}: no base model moved, nothing built\n`);
        return 0;
    }
    if (result.build !== undefined)
        io.stderr(formatBuildText(result.build));
    if (result.smoke !== undefined)
        io.stdout(formatSmokeText(result.smoke));
    const file = external_node_path_default().resolve(io.cwd, values.markdown ?? "ollama-build-update-lock.md");
    await writeFileAtomically(file, result.body);
    io.stdout(`${result.title}: commit ${LOCK_FILE}; the pull request's body is ${external_node_path_default().relative(io.cwd, file)}\n`);
    if (result.failure !== undefined)
        io.stderr(`ollama-build: ${result.failure}\n`);
    return result.failures.length > 0 ? 1 : 0;
}
const COMMAND_HANDLERS = {
    parse: parseCommand,
    lint: lintCommand,
    plan: planCommand,
    lock: lockCommand,
    fetch: fetchCommand,
    build: buildCommand,
    release: releaseCommand,
    smoke: smokeCommand,
    report: reportCommand,
    all: allCommand,
    "update-lock": updateLockCommand,
};

;// CONCATENATED MODULE: ./src/cli/run.ts
/** The `ollama-build` command line: a thin shell over the pipeline the action runs too. */





/** Messages may list several problems, one per line; every other control character is escaped. */
const run_NEWLINE = new Set(["\n"]);
/**
 * Output often lands in a workflow's log: nothing a Modelfile, a server or a model wrote may become a workflow
 * command there, so every line is neutralised, except the commands `lint --format github` writes on purpose.
 */
async function runCli(argv, given) {
    const io = {
        ...given,
        stdout: (text) => given.stdout(forWorkflowLog(text)),
        stderr: (text) => given.stderr(forWorkflowLog(text)),
        commands: given.stdout,
    };
    // `--version` alone is the tool's version; `release --version X` is the release's.
    if (argv.length === 1 && argv[0] === "--version") {
        io.stdout(`${io.version}\n`);
        return 0;
    }
    try {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: [...argv],
            options: OPTIONS,
            allowPositionals: true,
            strict: true,
        });
        const [command, ...rest] = positionals;
        if (values.help || command === undefined || command === "help") {
            (command === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
            return command === undefined && !values.help ? 2 : 0;
        }
        const handler = Object.hasOwn(COMMAND_HANDLERS, command) ? COMMAND_HANDLERS[command] : undefined;
        if (handler === undefined)
            throw new UsageError(`unknown command ${JSON.stringify(command)}`);
        return await handler(io, rest, values);
    }
    catch (error) {
        const code = error?.code;
        const usage = error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
        if (usage) {
            io.stderr(`ollama-build: ${neutraliseControlCharacters(error.message)}\n\n${USAGE}`);
            return 2;
        }
        // One line per failure, never a stack: what was being done, on what, and why (the causes' texts).
        io.stderr(`ollama-build: ${neutraliseControlCharacters(describeError(error), run_NEWLINE)}\n`);
        return 1;
    }
}


/***/ }),

/***/ 9867:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R3: () => (/* binding */ runProcess),
/* harmony export */   X4: () => (/* binding */ runChecked)
/* harmony export */ });
/* unused harmony export CommandFailedError */
/* harmony import */ var execa__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2269);
/**
 * The one seam through which ollama-build starts processes. Commands are argv arrays: no shell ever sees
 * user data. Tests and stages receive a `Runner` so the process boundary can be observed or replaced.
 */

/** Runs a process to completion; a non-zero exit is a result, not an exception (callers decide). */
const runProcess = async (file, args, options = {}) => {
    const subprocess = (0,execa__WEBPACK_IMPORTED_MODULE_0__/* .execa */ .Ho)(file, args, {
        cwd: options.cwd,
        input: options.input,
        env: options.env,
        encoding: "buffer",
        reject: false,
        stripFinalNewline: false,
        buffer: { stdout: options.onStdout === undefined, stderr: true },
    });
    if (options.onStdout !== undefined) {
        for await (const chunk of subprocess.stdout)
            options.onStdout(chunk);
    }
    const result = await subprocess;
    if (result.failed && result.exitCode === undefined) {
        throw new Error(`could not run ${file}: ${result.shortMessage}`);
    }
    return {
        exitCode: result.exitCode ?? 1,
        stdout: result.stdout ?? new Uint8Array(0),
        stderr: Buffer.from(result.stderr).toString("utf8"),
    };
};
class CommandFailedError extends Error {
    constructor(file, args, result) {
        super(`${[file, ...args].join(" ")} exited with ${result.exitCode}: ${result.stderr.trim()}`);
        this.name = "CommandFailedError";
    }
}
/** Runs and insists on success; returns stdout as text. */
async function runChecked(run, file, args, options) {
    const result = await run(file, args, options);
    if (result.exitCode !== 0)
        throw new CommandFailedError(file, args, result);
    return Buffer.from(result.stdout).toString("utf8");
}


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ VERSION)
/* harmony export */ });
const VERSION = "0.1.0";


/***/ })

};
