#!/usr/bin/env bash
# A/B of this tree's gateway against a variant of it (bench/variants/<variant>.patch), with bench/ab.sh inside
# bench/run.sh. See bench/README.md, "A variant of this tree".
#   bash bench/ab-variant.sh <variant> [run.sh args...]
# The variant is this tree's tracked files (committed, plus uncommitted edits to tracked files) with the patch applied,
# published Release into a temp dir; run.sh publishes this tree as usual. The report reads "new = this tree,
# base = <variant>": a req/s ratio above 1 means the variant is slower. The temp dir is removed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VARIANTS="$ROOT/bench/variants"
usage() {
  echo "usage: bash bench/ab-variant.sh <variant> [run.sh args...]   (AB_ROUNDS, AB_DUR, AB_SCEN, AB_WARMUP as in bench/ab.sh)" >&2
  echo "variants: $(cd "$VARIANTS" && ls ./*.patch | sed 's|^\./||; s|\.patch$||' | tr '\n' ' ')" >&2
}
if (($# < 1)) || [[ $1 == -h || $1 == --help ]]; then usage; exit 2; fi
VARIANT=$1; shift
PATCH="$VARIANTS/$VARIANT.patch"
[ -f "$PATCH" ] || { echo "no variant '$VARIANT' ($PATCH)" >&2; usage; exit 2; }

TMP=$(mktemp -d /tmp/gw-variant.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# The same tree run.sh builds: HEAD plus edits to tracked files (git stash create makes that commit without touching
# the worktree or the stash list). Untracked files are in run.sh's build only.
TREE=$(git -C "$ROOT" stash create 2>/dev/null || true)
TREE=${TREE:-HEAD}
if [ -n "$(git -C "$ROOT" ls-files --others --exclude-standard -- Gateway)" ]; then
  echo "warning: untracked files under Gateway/ are built into 'new' only, not into the variant" >&2
fi
mkdir "$TMP/src"
git -C "$ROOT" archive "$TREE" | tar -x -C "$TMP/src"
if ! (cd "$TMP/src" && git apply --check "$PATCH" 2>"$TMP/apply.log"); then
  echo "bench/variants/$VARIANT.patch no longer applies to this tree:" >&2
  cat "$TMP/apply.log" >&2
  echo "Redo the variant's edit on the current tree and save it again with git diff (see bench/README.md)." >&2
  exit 1
fi
(cd "$TMP/src" && git apply "$PATCH")
EDITS=""; [ "$TREE" = HEAD ] || EDITS=" with uncommitted edits"
echo "== variant $VARIANT: publishing $(git -C "$ROOT" rev-parse --short HEAD)$EDITS + $VARIANT.patch"
dotnet publish "$TMP/src/Gateway/Gateway.csproj" -c Release -o "$TMP/pub" --nologo -v q >"$TMP/build.log" 2>&1 ||
  { cat "$TMP/build.log" >&2; echo "the variant does not build" >&2; exit 1; }

cd "$ROOT"
AB_BASE="$TMP/pub" AB_LABEL="$VARIANT" BENCH_DEBUG='source "$BENCH/ab.sh"' bash "$ROOT/bench/run.sh" "$@"
