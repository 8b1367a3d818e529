#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages veto needs that this machine lacks.
#   scripts/deps.sh build   compiler, meson, ninja, libsodium, cJSON
#   scripts/deps.sh demo    the build set, plus p11-kit (the command's
#                           optional PKCS#11 signing), SoftHSM2 and OpenSC's
#                           pkcs11-tool: scripts/demo.sh's vendor signs on a
#                           SoftHSM2 token
#   scripts/deps.sh test    the above, plus Check, a C++ compiler, the peers
#                           the command-line tests import keys from, and
#                           OpenSSL's libcrypto (the command's optional fast
#                           SHA-256; the library never needs it), p11-kit
#                           (the command's optional PKCS#11 signing) with
#                           SoftHSM2 and OpenSC's pkcs11-tool to test it, the
#                           openssl command, Python 3 with pytest for the
#                           Python binding, and the update frameworks
#                           integrations/ is tested with (RAUC, SWUpdate,
#                           Mender) and what they need
#   scripts/deps.sh bench   the above, plus the peers the benchmarks time
#   scripts/deps.sh firmware  the build set, plus the Cortex-M cross compiler,
#                           picolibc, QEMU and what unpacks, configures and
#                           builds Debian source packages (scripts/firmware.sh)
# Nothing is downloaded but Debian packages; nothing is installed twice.
set -euo pipefail

what=${1:-build}
pkgs=(gcc libc6-dev meson ninja-build pkg-config libsodium-dev libcjson-dev)
case "$what" in
  build) ;;
  demo) pkgs+=(libp11-kit-dev p11-kit softhsm2 opensc) ;;
  test) pkgs+=(g++ check minisign signify-openbsd openssh-client libssl-dev python3 python3-pytest
              openssl libp11-kit-dev p11-kit softhsm2 opensc
              rauc squashfs-tools dbus-daemon swupdate cpio mender-client mender-artifact
              util-linux mount) ;;
  bench) pkgs+=(g++ check minisign signify-openbsd openssh-client libssl-dev python3 python3-pytest
                libp11-kit-dev p11-kit softhsm2 opensc openssl coreutils hyperfine gnuplot-nox
                in-toto python3-nacl python3-cryptography valgrind binutils time) ;;
  firmware) pkgs+=(gcc-arm-none-eabi binutils-arm-none-eabi picolibc-arm-none-eabi qemu-system-arm
                   dpkg-dev make xz-utils autoconf automake libtool) ;;
  fuzz) pkgs+=(g++ check clang libclang-rt-dev) ;;
  lint) pkgs+=(g++ check cppcheck clang clang-tidy clang-tools) ;;
  *) echo "usage: scripts/deps.sh build|demo|test|bench|firmware|fuzz|lint" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "veto: missing Debian packages: ${missing[*]}" >&2
  echo "veto: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 2
fi
echo "veto: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
