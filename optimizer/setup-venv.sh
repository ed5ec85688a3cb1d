#!/usr/bin/env bash
# Creates optimizer/.venv from requirements-dev.lock, installing with --require-hashes (every package
# pinned and checked against its hash: see the litellm incident in docs/optimizer.md). pip installs uv
# from requirements-bootstrap.lock (hash-checked too), and uv installs the rest, several times faster.
# Idempotent: it does nothing when the venv was built from the same locks and Python (.venv/.lock-id).
#
# PYTHON picks the interpreter (default python3; 3.11 or newer). On Debian and Ubuntu, `venv` needs the
# python3-venv package for ensurepip; when it is missing and this runs as root in CI (CI=true), it is
# installed with apt-get, otherwise the script says what to install.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
lock="$here/requirements-dev.lock"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "optimizer: needs Python 3.11 or newer as \$PYTHON or python3; found: $("$python" --version 2>&1 | head -n 1 || echo none)" >&2
  exit 1
fi
bootstrap="$here/requirements-bootstrap.lock"
id="$(cat "$lock" "$bootstrap" | sha256sum | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [[ -f "$venv/.lock-id" && "$(cat "$venv/.lock-id")" == "$id" ]]; then
  exit 0
fi

if ! "$python" -c 'import ensurepip' 2>/dev/null; then
  if [[ "${CI:-}" == "true" && "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "optimizer: installing python3-venv (ensurepip is missing)" >&2
    version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt-get update -qq && { apt-get install -y -qq "python${version}-venv" || apt-get install -y -qq python3-venv; }
  else
    echo "optimizer: Python's venv module cannot bootstrap pip (ensurepip is missing);" \
      "install python3-venv (Debian/Ubuntu: sudo apt-get install python3-venv)" >&2
    exit 1
  fi
fi

started=$SECONDS
echo "optimizer: creating $venv from requirements-dev.lock (hash-checked)" >&2
"$python" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-hashes --no-deps --only-binary=:all: -r "$bootstrap"
"$venv/bin/uv" pip install --quiet --python "$venv/bin/python" --require-hashes --no-deps --only-binary=:all: --compile-bytecode \
  -r "$lock"
echo "$id" >"$venv/.lock-id"
echo "optimizer: environment ready in $((SECONDS - started)) s" >&2
