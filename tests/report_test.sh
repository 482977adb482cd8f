#!/usr/bin/env bash
# sigma report end to end: `sigma report --quick` writes a self-contained index.html (with a
# training section when given a log) and fails cleanly on bad input; the page opens in headless
# Chromium without console errors and renders a page that is not blank. The screenshot and
# Chromium's log stay in ARTEFACT_DIR. Exits 77 (skipped) where Chromium is not installed.
# Usage: report_test.sh PATH/TO/sigma SOURCE_DIR ARTEFACT_DIR
set -euo pipefail

sigma=${1:?usage: report_test.sh PATH/TO/sigma SOURCE_DIR ARTEFACT_DIR}
source_dir=${2:?}
artefacts=${3:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artefacts"

die() {
  echo "FAIL: $*" >&2
  exit 1
}

# --- the report -----------------------------------------------------------------------------
"$sigma" report --quick -o "$work/report" >"$work/out" 2>"$work/err" ||
  die "sigma report failed: $(cat "$work/err")"
page=$work/report/index.html
[[ -s $page ]] || die "no index.html"
grep -q "wrote $work/report/index.html" "$work/out" || die "does not say where: $(cat "$work/out")"
grep -q "sigma report: speed" "$work/err" || die "no progress lines: $(cat "$work/err")"
# Offline: nothing is fetched from the network.
if grep -Eo '(src|href)="(https?:)?//[^"]*' "$page"; then die "the page loads from the network"; fi
count=$("$sigma" list --json |
  /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
cards=$(grep -c '<article class="card"' "$page")
[[ $cards -eq $count ]] || die "$cards cards for $count catalog functions"
for section in overview choosing linear measured training atlas; do
  grep -q "<section id=\"$section\">" "$page" || die "no $section section"
done
grep -q 'sigmoid</a></code>\|f-sigmoid' "$page" || die "no sigmoid"

# --- a training log -------------------------------------------------------------------------
for act in relu tanh; do
  for epoch in 1 2 3; do
    printf '{"act": "%s", "epoch": %d, "train_loss": 0.%d, "train_error": 0.1, ' "$act" "$epoch" \
      "$((5 - epoch))"
    printf '"test_accuracy": 0.8%d, "seconds": 1.5}\n' "$epoch"
  done
done >"$work/train.jsonl"
"$sigma" report --quick -o "$work/trained" --training-log "$work/train.jsonl" >/dev/null 2>&1 ||
  die "sigma report --training-log failed"
grep -q '<td><code>tanh</code></td><td class="num">3</td>' "$work/trained/index.html" ||
  die "the training table lacks tanh's 3 epochs"

# --- bad input: one error line, status 1 ----------------------------------------------------
expect_error() {
  local name=$1
  shift
  local status=0
  "$sigma" report --quick "$@" >"$work/out" 2>"$work/err" || status=$?
  [[ $status -eq 1 ]] || die "$name: status $status"
  [[ $(wc -l <"$work/err") -eq 1 && $(cat "$work/err") == "sigma: error: "* ]] ||
    die "$name: expected one error line, got: $(cat "$work/err")"
}
touch "$work/a-file"
expect_error "folder is a file" -o "$work/a-file"
expect_error "missing log" -o "$work/r2" --training-log "$work/missing.jsonl"
echo '{"act": "relu", "epoch": 1}' >"$work/bad.jsonl"
expect_error "incomplete log" -o "$work/r3" --training-log "$work/bad.jsonl"
grep -q "line 1" "$work/err" || die "the log error names no line: $(cat "$work/err")"

# --- in the browser -------------------------------------------------------------------------
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  echo "SKIP: Chromium is not installed (Debian: apt-get install chromium)"
  exit 77
fi
profile=$(mktemp -d)
trap 'rm -rf "$work" "$profile"' EXIT
shot=$artefacts/report.png
log=$artefacts/chromium.log
rm -f "$shot"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars \
  --screenshot="$shot" --window-size=1280,2000 "file://$page" >"$log" 2>&1 ||
  die "Chromium failed; see $log"
# The page has no script, so any console message (an error, a resource that failed to load) is
# a fault.
if grep -E 'CONSOLE|Uncaught|Failed to load resource|ERR_FILE_NOT_FOUND' "$log"; then
  die "console messages; see $log"
fi
[[ -s $shot ]] || die "no screenshot"
/usr/bin/python3 "$source_dir/tests/png_check.py" "$shot" 64 0.03 || die "the page looks blank"
echo "report test passed; screenshot: $shot"
