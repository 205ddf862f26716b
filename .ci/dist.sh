#!/usr/bin/env bash
# The release artifacts, built and proven: `cargo xtask dist`, then the CLI's .deb installed
# with dpkg and used from a PATH without cargo, its files and glibc needs checked, the .rpm
# listed, and the package removed again. Run by `.ci/run`; as root, or with sudo for dpkg.
set -euo pipefail
cd "$(dirname "$0")/.."

# The packaging tools, pinned. Each is installed only when that version is missing.
ZIGLANG_VERSION=0.15.2        # zig, from PyPI: cargo-zigbuild links with it
CARGO_ZIGBUILD_VERSION=0.24.1
CARGO_DEB_VERSION=3.8.0
CARGO_GENERATE_RPM_VERSION=0.21.1
GLIBC_MAX=2.17
# What a binary may load: the C library and the runtime pieces Rust's standard library uses.
NEEDED_ALLOWED="libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 ld-linux-x86-64.so.2 libgcc_s.so.1"

fail() { echo "dist: FAILED: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_missing=()
command -v rpm >/dev/null || apt_missing+=(rpm)                # rpm -qip / -qlp on the .rpm
command -v man >/dev/null || apt_missing+=(man-db)             # man -w
command -v readelf >/dev/null || apt_missing+=(binutils)       # glibc needs, NEEDED
if [ ${#apt_missing[@]} -gt 0 ]; then
    as_root apt-get update -qq && as_root apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
if [ "$(python3 -m ziglang version 2>/dev/null)" != "$ZIGLANG_VERSION" ]; then
    python3 -m pip install --quiet --root-user-action=ignore "ziglang==$ZIGLANG_VERSION"
fi
installed=$(cargo install --list)
for tool in "cargo-zigbuild@$CARGO_ZIGBUILD_VERSION" "cargo-deb@$CARGO_DEB_VERSION" \
    "cargo-generate-rpm@$CARGO_GENERATE_RPM_VERSION"; do
    grep -q "^${tool%@*} v${tool#*@}:" <<<"$installed" || cargo install --quiet --locked "$tool"
done
echo "tools: zig $ZIGLANG_VERSION, cargo-zigbuild $CARGO_ZIGBUILD_VERSION, cargo-deb $CARGO_DEB_VERSION, cargo-generate-rpm $CARGO_GENERATE_RPM_VERSION"

cargo xtask dist
dist=target/dist
deb=$(ls "$dist"/vcsa-backup_*_amd64.deb)
rpm=$(ls "$dist"/vcsa-backup-[0-9]*.x86_64.rpm)
(cd "$dist" && sha256sum --quiet --check SHA256SUMS) || fail "SHA256SUMS does not match the artifacts"

# Every binary: the newest glibc symbol version it needs, and the libraries it loads.
for binary in target/x86_64-unknown-linux-gnu/release/stage/*/bin/*; do
    glibc=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
    needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    echo "$(basename "$binary"): needs glibc $glibc; loads ${needed% }"
    [ "$(printf '%s\n%s\n' "$glibc" "$GLIBC_MAX" | sort -V | tail -n 1)" = "$GLIBC_MAX" ] \
        || fail "$binary needs glibc $glibc, newer than $GLIBC_MAX: it would not start on RHEL 7"
    for library in $needed; do
        [[ " $NEEDED_ALLOWED " == *" $library "* ]] \
            || fail "$binary loads $library, which is not part of the C library ($NEEDED_ALLOWED)"
    done
done

# The files the CLI's package must install, and must take away again.
files=(
    /usr/bin/vcsa-backup
    /usr/share/man/man1/vcsa-backup.1.gz
    /usr/share/man/man1/vcsa-backup-backup.1.gz
    /usr/share/bash-completion/completions/vcsa-backup
    /usr/share/zsh/vendor-completions/_vcsa-backup
    /usr/share/fish/vendor_completions.d/vcsa-backup.fish
    /usr/share/doc/vcsa-backup/README.md
    /usr/share/doc/vcsa-backup/LICENSE-MIT
    /usr/share/doc/vcsa-backup/LICENSE-APACHE
)
# Never leave the package behind on this machine, whatever fails below.
trap 'as_root dpkg -r vcsa-backup >/dev/null 2>&1 || true' EXIT
as_root dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb"
echo "installed $(basename "$deb")"
for file in "${files[@]}"; do
    [ -s "$file" ] || fail "the package did not install $file (or it is empty)"
done
clean=(env -i PATH=/usr/bin:/bin)
"${clean[@]}" vcsa-backup --version || fail "the installed vcsa-backup --version"
"${clean[@]}" vcsa-backup demo >target/dist-demo.log 2>&1 \
    || { tail -n 20 target/dist-demo.log; fail "the installed vcsa-backup demo (output above)"; }
echo "vcsa-backup demo: $(grep -c . target/dist-demo.log) lines, exit 0"
man -w vcsa-backup || fail "man -w vcsa-backup found no manual page"
"${clean[@]}" man vcsa-backup-backup 2>/dev/null | grep -q 'EXIT STATUS' \
    || fail "man vcsa-backup-backup has no EXIT STATUS section"

echo "$(basename "$rpm"):"
rpm -qip "$rpm" 2>/dev/null | grep -E '^(Name|Version|Release|Architecture|License|Summary|Size) *:'
rpm -qlp "$rpm" 2>/dev/null | sed 's/^/  /'
rpm -qp --requires "$rpm" 2>/dev/null | tr '\n' ' ' | sed 's/^/requires: /;s/ $/\n/'

as_root dpkg -r vcsa-backup >/dev/null || fail "dpkg -r vcsa-backup"
trap - EXIT
for file in "${files[@]}"; do
    [ ! -e "$file" ] || fail "dpkg -r left $file behind"
done
echo "removed vcsa-backup: none of its files is left"
