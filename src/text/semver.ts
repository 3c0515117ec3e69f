/** Semantic versions as Go's golang.org/x/mod/semver reads them (Ollama's REQUIRES; our release tags). */

const NUMBER = "(?:0|[1-9][0-9]*)";
const PRERELEASE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
const BUILD_ID = "[0-9A-Za-z-]+";
const SEMVER = new RegExp(
  `^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?)?)?$`,
);

/** golang.org/x/mod/semver.IsValid: `vMAJOR[.MINOR[.PATCH[-pre][+build]]]`, shorthands allowed. */
export function isValidSemver(v: string): boolean {
  return SEMVER.test(v);
}
