#!/usr/bin/env bash
# Install Debian's Chromium (+ chromedriver) for the browser tests, once.
# Playwright drives this binary (/usr/bin/chromium); its own browser download does not work offline.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: apt-get not found; install Chromium by hand (browser tests will be skipped)" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-browser: not root and no passwordless sudo; run as root:" >&2
        echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
        echo "(browser tests will be skipped until /usr/bin/chromium exists)" >&2
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver
/usr/bin/chromium --version
