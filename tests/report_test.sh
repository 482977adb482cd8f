#!/usr/bin/env bash
# sigma report end to end: `sigma report --quick` writes a self-contained index.html whose
# training section draws its own short run (or a log's, or nothing with --no-training) and fails
# cleanly on bad input; the page opens in headless Chromium without console errors and renders a
# page that is not blank, and every training chart is there and drawn. The screenshots and
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
grep -q "sigma report: training" "$work/err" || die "no training phase: $(cat "$work/err")"
# The quick run's charts: seven activations (relu twice, at two learning rates), a gradient
# panel each, and the saturation of tanh and sigmoid.
charts=(accuracy loss error dead saturated)
for style in 0 1 2 3 4 5 6; do charts+=("gradient-$style"); done
for chart in "${charts[@]}"; do
  grep -q "<figure class=\"chart\" id=\"chart-$chart\">" "$page" || die "no chart $chart"
done
grep -q '<code>relu, lr 0.1</code>' "$page" || die "no relu at the high learning rate"
grep -q 'Krizhevsky' "$page" || die "no claim beside the measured speed-up"

# --- without training, and from a log -------------------------------------------------------
"$sigma" report --quick --no-training -o "$work/untrained" >/dev/null 2>"$work/err" ||
  die "sigma report --no-training failed: $(cat "$work/err")"
grep -q "sigma report: training" "$work/err" && die "--no-training trained"
grep -q 'Skipped (<code>sigma report --no-training</code>)' "$work/untrained/index.html" ||
  die "the training section does not say it was skipped"
grep -q '<figure class="chart"' "$work/untrained/index.html" && die "charts without training"

for act in relu tanh; do
  for seed in 1 2; do
    for epoch in 1 2 3; do
      printf '{"act": "%s", "seed": %d, "epoch": %d, "train_loss": 0.%d, ' "$act" "$seed" \
        "$epoch" "$((5 - epoch))"
      printf '"train_error": 0.%d, "test_accuracy": 0.8%d, "seconds": 1.5, ' "$((3 - epoch))" \
        "$epoch"
      printf '"dead_fraction": [0.1, 0], "grad_norm": [0.0%d, 0.5]' "$seed"
      [[ $act == tanh ]] && printf ', "saturated_fraction": [0.02, 0.01]'
      printf '}\n'
    done
  done
done >"$work/train.jsonl"
"$sigma" report --quick -o "$work/trained" --training-log "$work/train.jsonl" >/dev/null \
  2>"$work/err" || die "sigma report --training-log failed: $(cat "$work/err")"
grep -q "sigma report: training" "$work/err" && die "trained although given a log"
trained=$work/trained/index.html
grep -q "from the training log <code>$work/train.jsonl</code>" "$trained" || die "no log named"
# tanh: two seeds, three epochs, 10% training error (below the target) from epoch 2 on.
grep -q '<td><code>tanh</code></td><td class="num">2</td><td class="num">3</td><td class="num">2</td>' \
  "$trained" || die "the training table lacks tanh's two seeds, three epochs and epoch to 15%"
grep -q 'ReLU reached 15% training error 1.00× sooner than tanh' "$trained" ||
  die "no measured speed-up for the log"
for chart in accuracy loss error dead saturated gradient-0 gradient-1; do
  grep -q "id=\"chart-$chart\"" "$trained" || die "no chart $chart for the log"
done
# Layer 1 gets 0.015 of layer 2's 0.5 on average: 1/33.3.
grep -q '<code>relu</code>: layer 1 gets 1/33.3 of the last layer' "$trained" ||
  die "the gradient panel's reading is not the log's"

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
# A bad log: one line naming the file, the line and the field, never nlohmann's own message.
expect_line_error() {
  local name=$1 part=$2
  printf '%s\n' "$3" >"$work/bad.jsonl"
  expect_error "$name" -o "$work/r3" --training-log "$work/bad.jsonl"
  grep -qF "training log '$work/bad.jsonl' line 1: $part" "$work/err" ||
    die "$name: the error does not name the line and the field: $(cat "$work/err")"
  if grep -q "json.exception" "$work/err"; then die "$name: nlohmann's message"; fi
}
good='"act": "relu", "seed": 1, "epoch": 1, "train_loss": 0.5, "train_error": 0.1'
expect_line_error "missing field" 'no "test_accuracy"' "{$good}"
good+=', "test_accuracy": 0.8, "seconds": 1'
expect_line_error "no grad_norm" 'no "grad_norm"' "{$good, \"dead_fraction\": [0]}"
expect_line_error "a word among the norms" '"grad_norm" must hold numbers, not "x"' \
  "{$good, \"dead_fraction\": [0], \"grad_norm\": [\"x\"]}"
expect_line_error "norms not an array" '"grad_norm" must be an array of numbers' \
  "{$good, \"dead_fraction\": [0], \"grad_norm\": 0.5}"
expect_line_error "layers disagree" \
  '"dead_fraction", "grad_norm" and "saturated_fraction" must have one entry per hidden layer each (1, 2 and 0 here)' \
  "{$good, \"dead_fraction\": [0], \"grad_norm\": [0.5, 0.1]}"
expect_line_error "negative seed" '"seed" must be a whole number from 0, not -1' \
  "{\"act\": \"relu\", \"seed\": -1}"
# More runs than the charts tell apart, or seeds than it averages: refused before measuring.
record='"seed": 1, "epoch": 1, "train_loss": 1, "train_error": 0.5, "test_accuracy": 0.5, '
record+='"seconds": 1, "dead_fraction": [0], "grad_norm": [1]'
for i in $(seq 49); do printf '{"act": "a%d", %s}\n' "$i" "$record"; done >"$work/many.jsonl"
expect_error "49 runs" -o "$work/r5" --training-log "$work/many.jsonl"
grep -q "more than 48 runs" "$work/err" || die "49 runs: $(cat "$work/err")"
for i in $(seq 0 100); do printf '{"act": "relu", %s}\n' "${record/\"seed\": 1/\"seed\": $i}"; done \
  >"$work/seeds.jsonl"
expect_error "101 seeds" -o "$work/r5" --training-log "$work/seeds.jsonl"
grep -q "more than 100 seeds of relu" "$work/err" || die "101 seeds: $(cat "$work/err")"
status=0
"$sigma" report --quick --no-training --training-log "$work/train.jsonl" -o "$work/r4" \
  >/dev/null 2>"$work/err" || status=$?
[[ $status -eq 2 && $(wc -l <"$work/err") -eq 1 ]] ||
  die "--no-training with --training-log: status $status: $(cat "$work/err")"

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
/usr/bin/python3 "$source_dir/tests/report_charts.py" "$page" "$chromium" "$artefacts" \
  "${charts[@]}" || die "a chart of the report is missing or blank"
/usr/bin/python3 "$source_dir/tests/report_charts.py" "$trained" "$chromium" \
  "$artefacts/from-log" accuracy loss error dead saturated gradient-0 gradient-1 ||
  die "a chart of the report from a log is missing or blank"
echo "report test passed; screenshot: $shot"
