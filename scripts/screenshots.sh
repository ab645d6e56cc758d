#!/bin/sh
# Screenshots of exam-client under a virtual X server (Xvfb) with software OpenGL, for the docs.
#
#   sh scripts/screenshots.sh [OUT_DIR]      (default: target/screenshots)
#
# Installs what is missing (Debian/Ubuntu: xvfb xauth x11-apps libgl1-mesa-dri imagemagick; needs
# root for that), builds exam-client, writes a throw-away lab.toml pointing at a port where no
# proctor listens, and captures: the connect screen, the readiness list (the proctor check fails
# there, honestly), and the practice exam with typeset maths. Each run is a fresh window; the
# capture is the whole virtual screen (xwd), converted to PNG.
set -eu
out=${1:-target/screenshots}
mkdir -p "$out"

missing=""
command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
command -v xvfb-run >/dev/null 2>&1 || missing="$missing xvfb"
command -v xauth >/dev/null 2>&1 || missing="$missing xauth"
command -v xwd >/dev/null 2>&1 || missing="$missing x11-apps"
# The first `convert` on PATH may not be ImageMagick's: look for one that says so.
imagemagick() {
    for candidate in magick convert-im6.q16 /usr/bin/convert convert; do
        if "$candidate" -version 2>/dev/null | grep -q ImageMagick; then echo "$candidate"; return; fi
    done
}
[ -n "$(imagemagick)" ] || missing="$missing imagemagick"
[ -e /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so ] || [ -e /usr/lib/x86_64-linux-gnu/dri/kms_swrast_dri.so ] \
    || missing="$missing libgl1-mesa-dri"
if [ -n "$missing" ]; then
    echo "installing:$missing"
    apt-get install -y --no-install-recommends $missing
fi

convert=$(imagemagick)
cargo build -p phongthi-client --bin exam-client
target=${CARGO_TARGET_DIR:-target}
client="$target/debug/exam-client"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A lab sheet for a proctor that is not there: the windows open, the connection check fails.
cat > "$work/lab.toml" <<TOML
address = "127.0.0.1:9"
fingerprint = "$(printf '5a:%.0s' $(seq 31))5a"
proctor_key = "$(printf '11%.0s' $(seq 32))"
exam_title = "Kiểm tra giữa kỳ I — Toán 10"
accepted_builds = []
TOML

shot() {
    name=$1
    shift
    LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1024x720x24" sh -c "
        '$client' --config '$work/lab.toml' --journal-dir '$work/journal' --windowed $* &
        pid=\$!
        sleep ${SHOT_DELAY:-7}
        xwd -root -silent > '$work/$name.xwd'
        kill \$pid
    "
    "$convert" "$work/$name.xwd" "$out/$name.png"
    echo "$out/$name.png"
}

shot connect
shot readiness --readiness
shot practice --readiness --practice
