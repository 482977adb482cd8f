#!/usr/bin/env bash
# Tests of the `sigma` command-line tool: output of `list` and `eval`, number parsing and
# printing, and that every error is one "sigma: error:" line on stderr with nothing on stdout.
# Usage: cli_test.sh PATH/TO/sigma
set -u

sigma=${1:?usage: cli_test.sh PATH/TO/sigma}
python=/usr/bin/python3  # Debian's, for its json module
passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run INPUT ARGS...: runs sigma with INPUT on stdin; sets status, out and err.
run() {
  local input=$1
  shift
  printf '%s' "$input" | "$sigma" "$@" >"$work/out" 2>"$work/err"
  status=$?
  out=$(<"$work/out")
  err=$(<"$work/err")
}

pass() { passed=$((passed + 1)); }

# fail NAME REASON: reports a failure with what the command printed.
fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s: %s\n  status: %s\n  stdout: %s\n  stderr: %s\n' \
    "$1" "$2" "$status" "${out:0:500}" "${err:0:500}" >&2
}

# check_ok NAME: the last command succeeded quietly.
check_ok() {
  if [[ $status -ne 0 ]]; then
    fail "$1" "exit status $status"
  elif [[ -n $err ]]; then
    fail "$1" "wrote to stderr"
  else
    return 0
  fi
  return 1
}

# expect_stdin NAME INPUT EXPECTED -- ARGS...: EXPECTED is the output, one value per line.
expect_stdin() {
  local name=$1 input=$2 expected=$3
  shift 4
  run "$input" "$@"
  if check_ok "$name"; then
    if [[ $out == "$expected" ]]; then pass; else fail "$name" "expected '$expected'"; fi
  fi
}

# expect NAME EXPECTED ARGS...: as expect_stdin with empty stdin, EXPECTED space-separated.
expect() {
  local name=$1 expected=$2
  shift 2
  expect_stdin "$name" "" "${expected// /$'\n'}" -- "$@"
}

# expect_mention NAME TEXT ARGS...: succeeds and prints TEXT somewhere.
expect_mention() {
  local name=$1 text=$2
  shift 2
  run "" "$@"
  if check_ok "$name"; then
    if [[ $out == *"$text"* ]]; then pass; else fail "$name" "no '$text' in stdout"; fi
  fi
}

# expect_error_stdin NAME STATUS MESSAGE_PART INPUT ARGS...: fails with STATUS, nothing on stdout
# and exactly one line on stderr, "sigma: error: ..." containing MESSAGE_PART.
expect_error_stdin() {
  local name=$1 code=$2 part=$3 input=$4
  shift 4
  run "$input" "$@"
  local lines
  lines=$(wc -l <"$work/err")
  if [[ $status -ne $code ]]; then
    fail "$name" "expected exit status $code"
  elif [[ -s $work/out ]]; then
    fail "$name" "wrote to stdout"
  elif [[ $lines -ne 1 || $err != "sigma: error: "* ]]; then
    fail "$name" "expected one 'sigma: error:' line on stderr"
  elif [[ $err != *"$part"* ]]; then
    fail "$name" "no '$part' in the message"
  else
    pass
  fi
}

# expect_error NAME STATUS MESSAGE_PART ARGS...: as expect_error_stdin with empty stdin.
expect_error() {
  local name=$1 code=$2 part=$3
  shift 3
  expect_error_stdin "$name" "$code" "$part" "" "$@"
}

# expect_json NAME PYTHON_CHECK ARGS...: stdout is JSON, bound to `d`, and the check holds.
expect_json() {
  local name=$1 check=$2
  shift 2
  run "" "$@"
  if check_ok "$name"; then
    if "$python" -c "import json, sys; d = json.load(sys.stdin); assert $check" \
      <"$work/out" 2>"$work/py"; then
      pass
    else
      fail "$name" "JSON check failed: $(tail -n 1 "$work/py")"
    fi
  fi
}

# --- help and version -------------------------------------------------------------------------
expect_mention "--help" "eval" --help
expect_mention "eval --help" "--grad" eval --help
expect_mention "list --help" "--json" list --help
run "" --version
if check_ok "--version"; then
  if [[ $out =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then pass; else fail "--version" "no version"; fi
fi

# --- list ----------------------------------------------------------------------------------------
for name in sigmoid gelu leaky_relu; do expect_mention "list: $name" "$name" list; done
expect_mention "list: defaults" "alpha=" list
expect_json "list --json" \
  "isinstance(d, list) and len(d) > 40 and all(
     set(f) >= {'name', 'aliases', 'params', 'summary', 'formula', 'derivative', 'from_output',
                'range', 'properties', 'notes', 'backward_from_output'}
     and isinstance(f['backward_from_output'], bool)
     and all(isinstance(v, bool) for v in f['properties'].values())
     and all(set(p) >= {'name', 'alias', 'default', 'domain', 'choices'} for p in f['params'])
     for f in d)" \
  list --json
expect_json "list --json: leaky_relu" \
  "any(f['name'] == 'leaky_relu' and f['params'][0]['name'] == 'alpha' for f in d)" list --json
expect_json "list --json NAME" "d['name'] == 'gelu' and len(d['params']) >= 1" list --json gelu
expect_mention "list NAME" "derivative" list sigmoid
expect_error "list: unknown name" 1 "sigmod" list sigmod

# --- eval ----------------------------------------------------------------------------------------
expect "sigmoid 0" "0.5" eval sigmoid 0
expect "relu --grad" "0 0 1" eval relu --grad -1 0 1
expect_stdin "tanh from stdin, f64" $'0 1\n' $'0\n0.7615941559557649' -- eval tanh --dtype f64
expect_stdin "stdin across lines" $'\t-1\n\n 2  \n' $'0\n2' -- eval relu
expect_stdin "empty stdin" "" "" -- eval relu
expect "subnormal hex" "1e-45" eval identity 0x1p-149
expect "negative hex" "-1e-45 0.1875" eval identity -0x1p-149 0X1.8P-3
# Rounded once onto the subnormal grid: 0.625 of a step above 2^-128 (glibc 2.36's strtof: 2^-128)
expect "hex subnormal, one rounding" "2.938737e-39 2.938737e-39" \
  eval identity 0x1.000005p-128 0x.00000000000000000000000000000001000005
expect "subnormal decimal" "1e-45" eval identity 1e-45
expect "underflow to zero" "0 -0" eval identity 1e-50 -1e-50
expect "f64 underflow" "0" eval identity --dtype f64 1e-400
expect "beyond f32 in f64" "1e+39" eval identity --dtype f64 1e39
expect "largest f32" "3.4028235e+38" eval identity 3.4028235e38
expect "special values" "-inf inf nan -0 1.5 inf nan -0.5 nan" \
  eval identity -inf inf nan -0 +1.5 INFINITY NaN -.5 -NaN
expect "after --" "-inf -0.5" eval identity -- -inf -.5
expect "shortest f32" "0.1" eval identity 0.1
expect "shortest f64" "0.1" eval identity --dtype f64 0.1
# 1 + 2^-24 + 2^-60: read as a double first, it would round to 1 + 2^-24, then to even, 1.
expect "rounded once" "1.0000001" eval identity 1.0000000596046447762579867
expect "f64 precision" "1.0000000596046448" eval identity --dtype f64 1.0000000596046447762579867
expect "nan in" "nan nan" eval sigmoid nan -nan
# 16-bit: read, rounded to the format (ties to even), evaluated, printed as the shortest text.
expect "bf16" "0.84 -0.0454 -0 -0" eval --dtype bf16 gelu 1 -2 -0 -inf
expect "f16 ties to even" "1 1.002 6.55e+04" eval --dtype f16 identity 1.00048828125 1.00146484375 65504
expect_error "beyond f16" 1 "out of range for f16" eval --dtype f16 identity 65520
expect "tanh at inf" "1 -1" eval tanh inf -inf
expect "parameters" "-0.4" eval leaky_relu:alpha=0.2 -2
expect "softmax of a row" "0.09003057 0.24472848 0.66524094" eval softmax 1 2 3
expect "softmax after --" "0.7310586 0.26894143" eval softmax -- -1 -2
expect "softmax backward" "0.08192507 -0.022033045 -0.059892025" eval softmax 1 2 3 --grad 1 0 0
expect_stdin "softmin rows from stdin" $'1 2 3\n\n0 0\n' \
  $'0.66524094 0.24472848 0.09003057\n0.5 0.5' -- eval softmin
expect_stdin "softmax backward of stdin rows" $'1 2 3\n3 2 1\n' \
  $'0.08192507 -0.022033045 -0.059892025\n0.22269543 -0.1628034 -0.059892025' \
  -- eval softmax --grad 1 0 0
expect "loss" "2.126928 0.12692802" loss sigmoid_cross_entropy_with_logits --labels 0 1 --logits 2 2
expect "loss --grad" "0.09003057 0.24472848 -0.33475903" \
  loss sparse_softmax_cross_entropy_with_logits --labels 2 --logits 1 2 3 --grad
expect_mention "loss --help names every loss" "log_cosh" loss --help
run "" eval gelu:approximate=tanh 1
if check_ok "gelu tanh"; then
  if [[ $out == 0.841* && $out != *$'\n'* ]]; then
    pass
  else
    fail "gelu tanh" "expected 0.841..."
  fi
fi

# --- accuracy and bench -------------------------------------------------------------------------
run "" accuracy relu
if check_ok "accuracy relu"; then
  if [[ $out == *"relu f: max 0.000 ulp"*"bound 2 ulp; NaN inputs gave NaN"* ]]; then pass; else
    fail "accuracy relu" "expected an exact relu"
  fi
fi
run "" accuracy sigmoid --grad --threads 1
if check_ok "accuracy sigmoid --grad"; then
  if [[ $out == *"sigmoid f': max "*"bound 4 ulp"* ]]; then pass; else
    fail "accuracy sigmoid --grad" "expected a derivative report"
  fi
fi
# srelu's line puts hundreds of bfloat16 results where double cannot decide: the oracle does.
run "" accuracy srelu --dtype bf16
if check_ok "accuracy --dtype bf16"; then
  if [[ $out =~ "srelu f bf16: 0 of 65282 non-NaN inputs not correctly rounded ("[1-9][0-9]*" decided by the MPFR oracle" ]]; then
    pass
  else
    fail "accuracy --dtype bf16" "expected every bf16 input correctly rounded, some by the oracle"
  fi
fi
run "" accuracy gelu --dtype f16 --grad
if check_ok "accuracy --dtype f16 --grad"; then
  if [[ $out == *"gelu f' f16: 0 of 63490 non-NaN inputs not correctly rounded"* ]]; then
    pass
  else
    fail "accuracy --dtype f16 --grad" "expected every f16 input correctly rounded"
  fi
fi
run "" bench relu sigmoid --elements 4096 --runs 2 --json
if check_ok "bench --json"; then
  if $python -c 'import json,sys; d=json.load(sys.stdin); assert [f["spec"] for f in d["functions"]] == ["relu", "sigmoid"] and d["copy_gelem_per_s"] > 0' <<<"$out"; then
    pass
  else
    fail "bench --json" "expected JSON with relu and sigmoid"
  fi
fi
# The input distributions: three normals by default, each timed, the slowest reported.
bench=(bench relu sigmoid --elements 4096 --runs 2 --json)
expect_json "bench --json: default distributions" \
  "(d['distributions'] == ['normal:1', 'normal:4', 'normal:16']
    and d['dy_distribution'] == 'normal:1'
    and all([e['distribution'] for e in f['by_distribution']] == d['distributions']
            and all(f[k] == min(e[k] for e in f['by_distribution'])
                    for k in ('forward_gelem_per_s', 'backward_gelem_per_s'))
            for f in d['functions']))" \
  "${bench[@]}"
expect_json "bench --dist normal:2" \
  "d['distributions'] == ['normal:2'] and len(d['functions'][0]['by_distribution']) == 1" \
  "${bench[@]}" --dist normal:2
expect_json "bench --dist twice" "d['distributions'] == ['uniform:-8:8', 'normal:0.5']" \
  "${bench[@]}" --dist uniform:-8:8 --dist normal:0.5
expect_json "bench --dist with commas" "d['distributions'] == ['normal:1', 'uniform:-1:1e+30']" \
  "${bench[@]}" --dist normal:1,uniform:-1:1e30
expect_json "bench --dist=, hex" "d['distributions'] == ['normal:4']" \
  "${bench[@]}" --dist=normal:0x1p2
expect_json "bench --dist before SPEC" \
  "d['distributions'] == ['normal:3'] and [f['spec'] for f in d['functions']] == ['tanh']" \
  bench --elements 4096 --runs 2 --json --dist normal:3 tanh
expect_mention "bench: text, slowest" "N(0,16)" bench relu --elements 4096 --runs 2
expect_mention "bench: text, slowest column" "slowest" bench relu --elements 4096 --runs 2
expect_mention "bench --help: --dist default" "normal:16" bench --help
run "" list --markdown
if check_ok "list --markdown"; then
  if [[ $(grep -c '^| `' <<<"$out") -ge 40 ]]; then pass; else fail "list --markdown" "rows"; fi
fi

# The gradient table's "at" column: points where f' peaks at isolated points, bands where it is
# flat, limits at infinity (not one interval from the first to the last grid maximum).
losses=$("$sigma" loss nope --labels 1 --logits 1 2>&1 | sed 's/.*the losses are //')
run "" report --quick -o "$work/report"
if [[ $status -ne 0 ]]; then
  fail "report --quick" "exit status $status"
elif "$python" - "$work/report/index.html" "$losses" 2>"$work/py" <<'EOF_PY'; then pass; else
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
expected = {"gaussian": "x = \u00b10.707", "sinc": "x = \u00b12.08",
            "cos": "x = \u00b11.57, \u00b14.71, \u00b17.85, \u2026",
            "tanhshrink": "x \u2192 \u00b1\u221e", "hardshrink": "|x| > 0.5",
            "softshrink": "|x| > 0.5", "relu": "x > 0", "hardtanh": "\u22121 < x < 1"}
for name, text in expected.items():
    cell = re.search(r"<code>" + name + r'</code></a></td><td class="num">[^<]*</td>'
                     r'<td class="num">([^<]*)<', page)
    assert cell and html.unescape(cell.group(1)) == text, (name, cell and cell.group(1))
# The losses: two figures of TensorFlow's four, one of the regression losses, and a row per loss
# with every column filled.
section = page[page.index('<section id="losses">'):]
section = section[:section.index("</section>")]
figures = re.findall(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]{1000,}"', section)
assert len(figures) == 3, len(figures)
rows = re.findall(r"<tr><td><code>([a-z_]+)</code></td>(.*?)</tr>", section)
assert [name for name, _ in rows] == sys.argv[2].split(", "), rows
assert all(re.findall(r"<td[^>]*>[^<]+</td>", cells).__len__() == 4 for _, cells in rows), rows
EOF_PY
  fail "report: the at column" "$(tail -n 1 "$work/py")"
fi

# --- errors: exactly one line on stderr, nothing on stdout --------------------------------------
expect_error "bad name" 1 "sigmod" eval sigmod 1
expect_error "softmax --grad count" 1 "--grad has 1 DY values for a row of 2" eval softmax 1 2 --grad 1
expect_error "unknown loss" 1 "unknown loss 'nope'" loss nope --labels 1 --logits 1
expect_error "loss counts" 1 "mismatched sizes" loss mse --labels 1 2 --logits 1
expect_error "loss class id" 1 "not a class id in [0, 3)" \
  loss sparse_softmax_cross_entropy_with_logits --labels 3 --logits 1 2 3
expect_error "loss NaN label" 1 "label 1 is NaN" loss bce --labels nan --logits 0.5
expect_error "loss without labels" 2 "--labels" loss mse --logits 1
expect_error "unknown key" 1 "alpah" eval leaky_relu:alpah=1 1
expect_error "bad value" 1 "alpha" eval elu:alpha=nan 1
expect_error "bad number" 1 "cannot parse '1.2.3' (value 3)" eval relu 1 2 1.2.3
expect_error "f32 overflow" 1 "out of range for f32" eval identity 1e39
expect_error "f32 overflow, negative" 1 "out of range for f32" eval identity -1e39
expect_error "f64 overflow" 1 "out of range for f64" eval identity --dtype f64 1e400
expect_error "hex overflow" 1 "out of range" eval identity 0x1p128
expect_error "double sign" 1 "cannot parse" eval identity +-1
expect_error "bare sign" 1 "cannot parse" eval identity +
expect_error "bare hex prefix" 1 "cannot parse" eval identity 0x
expect_error "hex inf" 1 "cannot parse" eval identity 0xinf
# Found by tests/fuzz/fuzz_number: libstdc++'s from_chars took both signs, and the value
# depended on the type (1 as a float, 0x1p-193 as a double).
expect_error "hex exponent with two signs" 1 "cannot parse" eval identity 0x1p+-193
expect_error "exponent with two signs" 1 "cannot parse" eval identity 1e+-5
expect_error "exponent without digits" 1 "cannot parse" eval identity 0x1p+
expect_error "trailing junk" 1 "cannot parse" eval identity 1e5x
expect_error "empty argument" 1 "cannot parse" eval identity ""
expect_error_stdin "bad number on stdin" 1 "(value 2)" $'1 x\n' eval relu
expect_error_stdin "huge token on stdin" 1 "value 2 on standard input is longer than 4096" \
  "1 $(printf '9%.0s' {1..5000})" eval relu
expect_stdin "longest token on stdin" "$(printf '0%.0s' {1..4095})1" "1" -- eval relu
expect_error "bad dtype" 2 "f8" eval relu --dtype f8 1
expect_error "unknown subcommand" 2 "frobnicate" frobnicate
expect_error "unknown flag" 2 "--bogus" eval relu --bogus 1
expect_error "unknown short flag" 2 "-q" eval relu -q 1
expect_error "unknown list flag" 2 "--yaml" list --yaml
expect_error "missing spec" 2 "SPEC" eval
expect_error "no subcommand" 2 "subcommand"
expect_error "accuracy bad name" 1 "sigmod" accuracy sigmod
expect_error "accuracy bad threads" 2 "--threads" accuracy relu --threads 0
expect_error "bench bad size" 1 "--elements must be positive" bench relu --elements 0
expect_error "bench bad spec" 1 "sigmod" bench sigmod
expect_error "bench --dist negative" 1 "standard deviation must be positive" \
  bench relu --dist normal:-1
expect_error "bench --dist zero" 1 "standard deviation must be positive" bench relu --dist normal:0
expect_error "bench --dist nan" 1 "'nan' is not a finite" bench relu --dist normal:nan
expect_error "bench --dist inf" 1 "'inf' is not a finite" bench relu --dist normal:inf
expect_error "bench --dist beyond f32" 1 "'1e39' is not a finite" bench relu --dist normal:1e39
expect_error "bench --dist junk number" 1 "'x' is not a finite" bench relu --dist normal:x
expect_error "bench --dist unknown" 1 "'foo' is not normal:S (S > 0) or uniform:A:B (A < B)" \
  bench relu --dist foo
expect_error "bench --dist empty" 1 "is not normal:S" bench relu --dist ""
expect_error "bench --dist no S" 1 "'normal' is not" bench relu --dist normal
expect_error "bench --dist extra field" 1 "'normal:1:2' is not" bench relu --dist normal:1:2
expect_error "bench --dist uniform reversed" 1 "lower end must be below the upper end" \
  bench relu --dist uniform:3:1
expect_error "bench --dist uniform empty" 1 "lower end must be below" bench relu --dist uniform:1:1
expect_error "bench --dist uniform inf" 1 "'-inf' is not a finite" bench relu --dist uniform:-inf:0
expect_error "bench --dist uniform one end" 1 "'uniform:1' is not" bench relu --dist uniform:1
expect_error "bench --dist one bad of two" 1 "'normal:-2'" \
  bench relu --dist normal:1 --dist normal:-2
expect_error "bench --dist missing value" 2 "--dist" bench relu --dist

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
