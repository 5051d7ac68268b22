# Shared by scripts/demo and scripts/check: install what the build and the
# private clusters need (Debian packages), then configure and build in build/.

set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$top/build"

PACKAGES="build-essential g++ autoconf automake libtool pkg-config
	libqb-dev libcpg-dev libquorum-dev libcmap-dev libxml2-dev liblmdb-dev lmdb-utils check
	corosync iproute2 util-linux jq"

say() { printf '\n==> %s\n' "$*"; }

install_deps() {
	local missing=() p sudo=
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && { say "packages: all present"; return 0; }
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	say "installing: ${missing[*]}"
	# Installing corosync must not start a system-wide corosync: safd's
	# clusters run privately in namespaces. policy-rc.d stops the package
	# scripts from starting services, for this install only.
	local policy=/usr/sbin/policy-rc.d made_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
		$sudo chmod 755 "$policy"
		made_policy=1
	fi
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
	[ -z "$made_policy" ] || $sudo rm -f "$policy"
}

build_tree() {
	say "building in $build"
	(cd "$top" && autoreconf -fi >/dev/null 2>&1) || { autoreconf -fi; exit 1; }
	mkdir -p "$build"
	cd "$build"
	[ -f Makefile ] || "$top/configure" -q --enable-fatal-warnings "$@"
	make -j"$(nproc)" -s >/dev/null
}
