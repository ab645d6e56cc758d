#!/usr/bin/env bash
# The README's test command: installs the Debian packages the tests use when they are missing,
# then runs every test of the workspace. `.ci/run` calls this same script.
#
# - libreoffice-writer-nogui and libreoffice-math-nogui: the Word importer is tested on .docx
#   files LibreOffice writes (a second, independent producer beside the project's own fixture
#   writer); without its Math module LibreOffice silently drops every Word equation.
#   The same LibreOffice lays out the Word papers `qbank print --format docx` writes, to check
#   they open in a program that is not ours, with their fields, equations and pictures.
# - fonts-noto-core: fonts for LibreOffice to lay those papers out with; without a font that
#   covers Vietnamese and the maths symbols it draws boxes in their place, which pdftotext
#   cannot read back.
# - poppler-utils: printed papers are read back with a real PDF reader (pdftotext), not ours.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if ! command -v soffice >/dev/null 2>&1; then
    missing+=(libreoffice-writer-nogui libreoffice-math-nogui)
elif [ ! -e /usr/lib/libreoffice/program/libsmlo.so ]; then
    # A LibreOffice without Math: add the variant that matches the installed core.
    if dpkg -s libreoffice-core-nogui >/dev/null 2>&1; then missing+=(libreoffice-math-nogui); else missing+=(libreoffice-math); fi
fi
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

if ((${#missing[@]})); then
    echo "== installing ${missing[*]} (needed by the tests)"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cargo test --workspace --locked "$@"
