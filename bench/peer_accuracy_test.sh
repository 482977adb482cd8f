#!/usr/bin/env bash
# peer_accuracy: bad input gives one line and a non-zero exit; a run prints the tables.
set -u
tool="$1"
status=0
expect_error() {  # name, exit code, text the one line must hold, arguments...
  local name="$1" code="$2" text="$3"
  shift 3
  local out rc
  out=$("$tool" "$@" 2>&1 >/dev/null)
  rc=$?
  if [[ $rc -ne $code || $(wc -l <<<"$out") -ne 1 || "$out" != *"$text"* ]]; then
    echo "FAIL $name: exit $rc, stderr: $out"
    status=1
  fi
}
expect_error "unknown option" 2 "unknown option --bogus" --bogus
expect_error "threads" 2 "--threads needs a positive count" --threads 0
expect_error "missing count" 2 "--threads needs a count" --threads
expect_error "unknown name" 1 "did you mean 'sigmoid'" sigmod
out=$("$tool" relu 2>/dev/null)
if ! grep -q '^| relu | 0 (0) |' <<<"$out"; then
  echo "FAIL relu run: $out"
  status=1
fi
exit $status
