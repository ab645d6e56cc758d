#!/bin/sh
# Installs the Phòng Thi exam kiosk on a Debian/Ubuntu lab PC. Run as root:
#   sh deploy/linux/install.sh path/to/exam-client path/to/lab.toml
# Idempotent: re-running replaces the binary, lab.toml and the unit, keeps journals.
set -eu
if [ "$(id -u)" -ne 0 ]; then echo "cần quyền root / run as root" >&2; exit 1; fi
if [ $# -ne 2 ]; then echo "usage: $0 EXAM-CLIENT LAB.TOML" >&2; exit 2; fi
binary=$1
lab=$2
here=$(dirname "$0")

command -v cage >/dev/null 2>&1 || apt-get install -y cage
# Mesa's GL for the window; fonts are embedded in exam-client.
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || apt-get install -y libgl1-mesa-dri libegl1

# A system user with no password and no shell: nobody logs in as thisinh by hand.
id thisinh >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/phongthi-home \
    --shell /usr/sbin/nologin --comment "Phong Thi examinee" thisinh
usermod -a -G video,input,render thisinh 2>/dev/null || usermod -a -G video,input thisinh

install -m 0755 "$binary" /usr/local/bin/exam-client
install -d -m 0755 /etc/phongthi
install -m 0644 "$lab" /etc/phongthi/lab.toml
install -m 0644 "$here/phongthi-kiosk.service" /etc/systemd/system/phongthi-kiosk.service

systemctl daemon-reload
# The kiosk replaces the graphical login on this PC until disabled again.
systemctl disable --now display-manager.service 2>/dev/null || true
systemctl enable phongthi-kiosk.service
echo "Đã cài. Khởi động lại máy để vào chế độ thi. / Installed: reboot into the kiosk."
echo "Gỡ / remove: systemctl disable phongthi-kiosk && systemctl enable display-manager"
