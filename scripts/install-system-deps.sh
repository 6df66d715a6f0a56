#!/usr/bin/env bash
# Installs the Debian packages the tests need, when they are missing: the virtual display and Mesa
# (GUI tests), zbar (QR decoding), unicode-data (the 通用规范汉字表 the font tests check),
# fonts-noto-cjk and fonts-unifont (the sources `make fonts` subsets, also used by the LED tests of big
# walls), PostgreSQL (the centre's tests start a throw-away cluster), openssl (TLS test certificates),
# nginx-light (serves a built feed in the deployment test), xdotool (real key presses into the kiosk
# window), systemd (systemd-analyze checks the units under deploy/), chromium and chromium-driver (the
# phone pages at a phone's size and the centre's desk, through Selenium), libpango (WeasyPrint lays out the printouts),
# poppler-utils (pdftotext, pdftoppm, pdffonts read printouts back), cups, cups-client, cups-ipp-utils
# (lp and ipptool: the kiosk's print path) and printer-driver-cups-pdf (the virtual printer the
# printing tests print on), espeak-ng and sox (朗读: the Mandarin voice, playback, soxi in the tests).
# `.ci/run` uses this list too.
# Runs apt-get only as root (or with passwordless sudo); otherwise says what to install and goes on.
set -eu
packages="xvfb xauth libgl1 libgl1-mesa-dri libegl1 libmtdev1 libzbar0 unicode-data fonts-noto-cjk fonts-unifont
  postgresql openssl nginx-light xdotool systemd chromium chromium-driver
  libpango-1.0-0 libpangoft2-1.0-0 poppler-utils cups cups-client cups-ipp-utils printer-driver-cups-pdf
  espeak-ng sox"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: not a Debian-like system; install the equivalents of:$missing" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
else
  echo "warning: missing system packages:$missing -- run: sudo apt-get install$missing" >&2
  exit 0
fi
echo "installing system packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
