#!/usr/bin/env bash
# Tests of `sigma plot`: each format is a valid file of its kind (the SVG parses as XML and names
# its curves), the options take effect, and every bad input is one "sigma: error:" line on
# stderr, a non-zero status and no file.
# Usage: plot_cli_test.sh PATH/TO/sigma
set -u

sigma=${1:?usage: plot_cli_test.sh PATH/TO/sigma}
python=/usr/bin/python3  # Debian's, for xml.etree
passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s: %s\n  status: %s\n  stderr: %s\n' "$1" "$2" "$status" "${err:0:500}" >&2
}

# run ARGS...: runs sigma; sets status, out and err.
run() {
  "$sigma" "$@" >"$work/out" 2>"$work/err"
  status=$?
  out=$(<"$work/out")
  err=$(<"$work/err")
}

# check FILE PYTHON_EXPRESSION: the expression, over the file's bytes `b`, is true.
check() {
  "$python" -c "import sys, struct, xml.etree.ElementTree as ET
b = open(sys.argv[1], 'rb').read()
sys.exit(0 if ($2) else 1)" "$1"
}

# expect_file NAME FILE CHECK ARGS...: sigma plot ARGS... -o FILE succeeds quietly and CHECK holds.
expect_file() {
  local name=$1 file=$2 condition=$3
  shift 3
  run plot "$@" -o "$file"
  if [[ $status -ne 0 || -n $out || -n $err ]]; then
    fail "$name" "expected quiet success"
  elif ! check "$file" "$condition"; then
    fail "$name" "$file fails: $condition"
  else
    pass
  fi
}

# expect_error NAME STATUS TEXT ARGS...: fails with STATUS and one error line containing TEXT,
# and writes no file.
expect_error() {
  local name=$1 want=$2 text=$3
  shift 3
  run plot "$@"
  local lines
  lines=$(printf '%s\n' "$err" | wc -l)
  if [[ $status -ne $want ]]; then
    fail "$name" "expected status $want"
  elif [[ $lines -ne 1 || $err != "sigma: error: "*"$text"* ]]; then
    fail "$name" "expected one line 'sigma: error: ...$text...'"
  elif [[ -n $out ]]; then
    fail "$name" "wrote to stdout"
  elif [[ -n $(ls -A "$work/files") ]]; then
    fail "$name" "left a file: $(ls -A "$work/files")"
  else
    pass
  fi
}

mkdir "$work/files"
png_size='b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR" and struct.unpack(">II", b[16:24])'
svg_names='ET.fromstring(b).tag.endswith("svg") and "sigmoid, tanh, leaky_relu:alpha=0.2" in
  ET.fromstring(b).find("{http://www.w3.org/2000/svg}title").text'

# --- files ----------------------------------------------------------------------------------
expect_file "svg parses and names the curves" "$work/a.svg" "$svg_names" \
  sigmoid tanh leaky_relu:alpha=0.2
expect_file "png signature and default size" "$work/a.png" "$png_size == (1000, 420)" sigmoid tanh
expect_file "png, one panel, size" "$work/b.png" "$png_size == (500, 300)" \
  relu --no-derivative --size 500x300
expect_file "png, upper-case extension" "$work/c.PNG" "$png_size == (1000, 420)" gelu
expect_file "pdf header and end" "$work/a.pdf" 'b.startswith(b"%PDF-1.") and b"%%EOF" in b[-16:]' \
  sigmoid tanh relu softplus elu
expect_file "negative range as a separate word" "$work/d.svg" 'b.startswith(b"<?xml")' \
  tanh --range -2:2
expect_file "ranges with =" "$work/e.svg" 'b.startswith(b"<?xml")' \
  exponential --range=-3:3 --y-range=0:5 --dy-range=0:5 --derivative
expect_file "hex and exponent bounds" "$work/f.svg" 'b.startswith(b"<?xml")' \
  sigmoid --range=-1e1:0x1p3
# A grid of 26: 6 columns and 5 rows of 230 x 190 points, twice as many pixels at 144 dpi.
gallery=(identity step sign sigmoid tanh relu leaky_relu prelu elu selu celu gelu silu mish softplus
  softsign hardsigmoid hardtanh relu6 hardshrink softshrink tanhshrink gaussian sinusoid sinc
  bent_identity)
expect_file "grid of 26" "$work/g.png" "$png_size == (1498, 1078)" --grid "${gallery[@]}"
expect_file "grid at 144 dpi" "$work/h.png" "$png_size == (2996, 2156)" --grid --dpi 144 \
  "${gallery[@]}"
expect_file "grid without SPEC: every function" "$work/i.svg" \
  'ET.fromstring(b).find("{http://www.w3.org/2000/svg}title").text.count(",") == '"$(("$("$sigma" list | sed -n 's/^\([0-9]*\) functions\..*/\1/p')" - 1))" \
  --grid

# --- errors ---------------------------------------------------------------------------------
f=$work/files/x.png
expect_error "unknown function" 1 "sigmod" sigmod -o "$f"
expect_error "bad parameter" 1 "alpah" leaky_relu:alpah=1 -o "$f"
expect_error "unknown extension" 1 ".svg, .png or .pdf" relu -o "$work/files/x.jpg"
expect_error "no extension" 1 ".svg, .png or .pdf" relu -o "$work/files/x"
expect_error "decreasing range" 1 "range" relu --range 5:-5 -o "$f"
expect_error "empty range" 1 "range" relu --range 1:1 -o "$f"
expect_error "range without colon" 1 "LO:HI" relu --range 5 -o "$f"
expect_error "range not numbers" 1 "LO:HI" relu --range a:b -o "$f"
expect_error "infinite range" 1 "finite" relu --range=-inf:0 -o "$f"
expect_error "bad y range" 1 "y range" relu --y-range 2:1 -o "$f"
expect_error "bad dy range" 1 "LO:HI" relu --dy-range 0: -o "$f"
expect_error "size too small" 1 "size" relu --size 10x10 -o "$f"
expect_error "size not WxH" 1 "WxH" relu --size big -o "$f"
expect_error "missing folder" 1 "cannot write" relu -o "$work/files/missing/x.png"
expect_error "no output" 2 "output" relu
expect_error "no functions" 2 "SPEC" -o "$f"
expect_error "dpi zero" 1 "dpi" relu --dpi 0 -o "$f"
expect_error "dpi too many pixels" 1 "16384 pixels" relu --size 8000x300 --dpi 300 -o "$f"
expect_error "dpi not a number" 2 "--dpi" relu --dpi lots -o "$f"
expect_error "unknown flag" 2 "--bogus" relu --bogus -o "$f"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
