#!/usr/bin/env bash
# The engine on a GPU machine that has no network (issue 21): the backend tests and
# bench/anneal.py with the engine on CuPy, in under 5 minutes, ending with one JSON line.
#
#   bench/gpu.sh fetch   # on a machine with network, same Python version: the wheels to carry
#   bench/gpu.sh         # on the GPU machine, with build/wheels carried (an ignored folder)
#
# It uses the CuPy already installed there (any cupy-cudaNNx build) and installs nothing from a
# network: only what is missing, with pip install --no-index from the carried wheels. rgproof
# itself runs from this checkout (PYTHONPATH), so its gpu extra's CuPy pin does not apply.
set -uo pipefail
cd "$(dirname "$0")/.."
WHEELS=${WHEELS:-build/wheels}
# rgproof's dependencies (numpy comes with CuPy), the test runner, the array-API namespaces
NEEDED=(sympy mpmath scipy tqdm pytest hypothesis array-api-compat array-api-strict)

if [ "${1:-}" = fetch ]; then
    mkdir -p "$WHEELS"
    python -m pip download -q --only-binary=:all: -d "$WHEELS" "${NEEDED[@]}" || exit 1
    rm -f "$WHEELS"/numpy-*.whl  # the GPU machine's CuPy brings its own; carry stays < 64 MiB
    du -sh "$WHEELS"
    exit 0
fi

start=$(date +%s)
json_error() { printf '{"error": "%s", "seconds": %s}\n' "$1" "$(( $(date +%s) - start ))"; exit 1; }

python -c "import cupy; cupy.zeros(1).sum().item()" >/dev/null 2>&1 \
    || json_error "cupy is not importable or sees no GPU"
missing=()
for name in "${NEEDED[@]}"; do
    python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('${name//-/_}') is None)" \
        || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ -d "$WHEELS" ] || json_error "missing ${missing[*]} and no wheels in $WHEELS"
    timeout 120 python -m pip install -q --no-index --find-links "$WHEELS" "${missing[@]}" \
        || json_error "pip --no-index could not install ${missing[*]} from $WHEELS"
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

log=$(mktemp)
timeout 120 python -m pytest -q -p no:randomly -p no:cacheprovider tests/test_backends.py \
    tests/test_anneal.py -k "backend or cupy or bitwise or saved_before" >"$log" 2>&1
tests_rc=$?
tail -3 "$log"
summary=$(tail -1 "$log" | tr -d '="' | sed 's/^ *//')

bench_json=$(timeout 150 python bench/anneal.py --backend cupy | tee /dev/stderr | tail -1)
case "$bench_json" in "{"*) ;; *) bench_json=null ;; esac
gpu=$(python -c "import cupy; print(cupy.cuda.runtime.getDeviceProperties(0)['name'].decode())")
printf '{"tests_passed": %s, "tests": "%s", "gpu": "%s", "seconds": %s, "anneal": %s}\n' \
    "$([ $tests_rc -eq 0 ] && echo true || echo false)" "$summary" "$gpu" \
    "$(( $(date +%s) - start ))" "$bench_json"
