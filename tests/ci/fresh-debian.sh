#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Proves that the README's commands and .ci/run pass on a minimal Debian 12
# where only git and ca-certificates were installed, from a clone in a
# private (0700) home: builds a debootstrap --variant=minbase bookworm chroot,
# clones the current commit into /root/mfa inside it and runs the README's
# run-command, its test-command and `bash .ci/run` there with CI=true.
#
# Usage (as root): tests/ci/fresh-debian.sh [--new] [CHROOT]
#   CHROOT defaults to /work/chroot. An existing chroot is reused, with the
#   packages that earlier runs installed; --new deletes it and starts from a
#   bare minbase system (what a fresh machine is). The clone is always new.
#   MFA_FRESH_STEPS=run,test,ci (the default) chooses the commands to run.
set -euo pipefail

new=0
if [ "${1:-}" = "--new" ]; then
  new=1
  shift
fi
root=${1:-/work/chroot}
steps=${MFA_FRESH_STEPS:-run,test,ci}
mirror=${MFA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap, chroot and mount need it)" >&2; exit 2; }

if [ "$new" -eq 1 ] && [ -d "$root" ]; then
  if grep -q " $root/" /proc/mounts; then
    echo "$root still has mounts; unmount them first" >&2
    exit 1
  fi
  rm -rf "$root"
fi
if [ ! -x "$root/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
  debootstrap --variant=minbase bookworm "$root" "$mirror"
fi

mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[i]}" 2>/dev/null || umount -lR "${mounts[i]}" || true
  done
  rm -f "$root/root/mfa.bundle"
}
trap cleanup EXIT
mount_into() { # KIND TARGET
  local target=$root$2
  if ! grep -q " $target " /proc/mounts; then
    case $1 in
      proc) mount -t proc proc "$target" ;;
      *) mount --rbind "$1" "$target" && mount --make-rslave "$target" ;;
    esac
    mounts+=("$target")
  fi
}
mount_into proc /proc
mount_into /dev /dev
mount_into /sys /sys
cp /etc/resolv.conf "$root/etc/resolv.conf"

in_chroot() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=dumb LANG=C.UTF-8 CI=true "$@"; }

# The only packages installed by hand: git and ca-certificates.
in_chroot sh -c 'dpkg -s git ca-certificates >/dev/null 2>&1 || { apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null; }'

# A clone of this commit (committed work only) in a private home.
git -C "$source_dir" bundle create "$root/root/mfa.bundle" HEAD
commit=$(git -C "$source_dir" rev-parse HEAD)
chmod 700 "$root/root"
in_chroot sh -c "rm -rf /root/mfa && git clone -q /root/mfa.bundle /root/mfa && cd /root/mfa && git checkout -q $commit"

readme_command() { # MARKER: the command under <!-- MARKER --> in README.md
  sed -n "/<!-- $1 -->/{n;n;p;q}" "$root/root/mfa/README.md"
}
run_step() { # NAME COMMAND
  echo "=== fresh Debian 12: $1: $2"
  local start=$SECONDS
  in_chroot bash -euo pipefail -c "cd /root/mfa && $2"
  echo "=== $1 passed in $((SECONDS - start)) s"
}
case ",$steps," in *,run,*) run_step run-command "$(readme_command run-command)" ;; esac
case ",$steps," in *,test,*) run_step test-command "$(readme_command test-command)" ;; esac
case ",$steps," in *,ci,*) run_step .ci/run "bash .ci/run" ;; esac
echo "=== fresh Debian 12: all passed ($commit)"
