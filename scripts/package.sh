#!/usr/bin/env bash
# Builds Registrar's Linux packages with the Tauri bundler and checks them without
# installing them.
#
#   scripts/package.sh --debug     the test command's check: a .deb of the debug build
#                                  the tests already made (quick: no release build)
#   scripts/package.sh --release   `make dist`: release .deb and .rpm, the same checks
#
# Each package holds the desktop app (/usr/bin/registrar-app), the command line
# (/usr/bin/registrar), its man pages, bash / zsh / fish completions, the desktop entry and
# the AppStream metadata. The extra files are staged in target/package (tauri.conf.json's
# bundle.linux.*.files point there); the version is the workspace's (Cargo.toml), the
# commit the one build.rs embeds. The checks: the .deb unpacked with `dpkg-deb -x` into a
# temporary folder, its `registrar --version` and `registrar-app --version` run from there,
# the man page, completions, desktop entry (desktop-file-validate) and AppStream metadata
# (appstreamcli validate) in place, Depends without duplicates, and lintian with no error
# (its warnings listed); the .rpm's file list and requirements.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:---debug}
case "$mode" in
  --debug) profile=debug; bundles=deb ;;
  --release) profile=release; bundles=deb,rpm ;;
  *) echo "usage: $0 --debug|--release" >&2; exit 2 ;;
esac

log=target/package-$profile.log
fail() { echo "package: $*" >&2; exit 1; }

# The two binaries (no-ops when the tests already built them), then stripped copies in
# target/package-root/<profile>, where the bundler takes the app from (it writes its
# bundle-type marker into the binary it packages, so never into the shared build's).
# A release names one commit for both binaries and the changelog, even when others commit
# in the same tree while it builds (build.rs takes REGISTRAR_COMMIT over git). The debug
# build keeps the commit the tests' build embedded (setting it would rebuild the app).
if [ "$profile" = release ]; then
  REGISTRAR_COMMIT=${REGISTRAR_COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
  export REGISTRAR_COMMIT
fi
# One package per cargo run, as the tests build them, so the features stay the same.
cargo_flags=(--locked --quiet)
if [ "$profile" = release ]; then cargo_flags+=(--release); fi
cargo build "${cargo_flags[@]}" -p registrar-cli
cargo build "${cargo_flags[@]}" -p registrar-app
cli=target/$profile/registrar
root_dir=target/package-root
rm -rf "${root_dir:?}/$profile"
mkdir -p "$root_dir/$profile"
install -m 0755 "target/$profile/registrar-app" "$root_dir/$profile/registrar-app"
strip --strip-unneeded "$root_dir/$profile/registrar-app"

stage=target/package
rm -rf "$stage"
mkdir -p "$stage/completions"
install -m 0755 "$cli" "$stage/registrar"
strip --strip-unneeded "$stage/registrar"
"$cli" man --out "$stage/man1" 2>/dev/null
cp src-tauri/packaging/registrar-app.1 "$stage/man1/"
gzip -9n "$stage"/man1/*.1
"$cli" completions bash >"$stage/completions/registrar.bash"
"$cli" completions zsh >"$stage/completions/_registrar"
"$cli" completions fish >"$stage/completions/registrar.fish"

version=$(cargo metadata --format-version 1 --no-deps --locked |
  jq -r '.packages[] | select(.name == "registrar-app") | .version')
[ -n "$version" ] || fail "no version in the workspace's Cargo.toml"
commit=${REGISTRAR_COMMIT:-$("$cli" --version | sed -n 's/.*(commit \(.*\))$/\1/p')}
today=$(date -u +%F)
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$today/" -e "s/@DESKTOP_ID@/Registrar.desktop/" \
  src-tauri/packaging/dev.registrar.desktop.metainfo.xml >"$stage/dev.registrar.desktop.metainfo.xml"
# The .deb's changelog (Debian's format, installed as changelog.gz).
cat >"$stage/changelog" <<EOF
registrar ($version) unstable; urgency=medium

  * Registrar $version, built from commit $commit.

 -- The Registrar maintainers <maintainers@registrar.dev>  $(date -u -R)
EOF
gzip -9n "$stage/changelog"

# The bundles, by the Tauri bundler, from the stripped copies.
export TAURI_APP_PATH=src-tauri
bundle_flags=(--bundles "$bundles" --ci)
if [ "$profile" = debug ]; then bundle_flags+=(--debug); fi
CARGO_TARGET_DIR=$PWD/$root_dir npm --prefix ui exec --offline -- tauri bundle "${bundle_flags[@]}" >"$log" 2>&1 || {
  tail -40 "$log" >&2
  fail "the Tauri bundler failed (full log: $log)"
}

# --- the .deb, unpacked -------------------------------------------------------------
deb=$(ls -t $root_dir/$profile/bundle/deb/*.deb | head -n 1)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

for f in usr/bin/registrar usr/bin/registrar-app \
  usr/share/man/man1/registrar.1.gz usr/share/man/man1/registrar-app.1.gz \
  usr/share/bash-completion/completions/registrar \
  usr/share/zsh/vendor-completions/_registrar \
  usr/share/fish/vendor_completions.d/registrar.fish \
  usr/share/metainfo/dev.registrar.desktop.metainfo.xml \
  usr/share/applications/Registrar.desktop \
  usr/share/doc/registrar/copyright; do
  [ -e "$root/$f" ] || fail "$deb has no /$f"
done

cli_version=$("$root/usr/bin/registrar" --version)
app_version=$("$root/usr/bin/registrar-app" --version)
# Both say the workspace's version and the same commit (the one they were built from;
# HEAD may have moved since, when others commit in the same tree).
[[ $cli_version =~ ^registrar\ $version\ \(commit\ ([0-9a-f]{7,40})\)$ ]] ||
  fail "packaged registrar --version says '$cli_version', expected 'registrar $version (commit <hash>)'"
cli_commit=${BASH_REMATCH[1]}
[[ $app_version =~ ^registrar-app\ $version\ \(commit\ ([0-9a-f]{7,40})\)$ ]] ||
  fail "packaged registrar-app --version says '$app_version', expected 'registrar-app $version (commit <hash>)'"
app_commit=${BASH_REMATCH[1]}
for c in "$cli_commit" "$app_commit"; do
  git cat-file -e "$c^{commit}" 2>/dev/null || fail "a packaged binary names commit $c, which git does not know"
done
if [ "$cli_commit" != "$app_commit" ]; then
  # Only a debug package of a tree others commit to meanwhile; a release pins one commit.
  [ "$profile" = debug ] || fail "the packaged binaries name different commits: $cli_commit and $app_commit"
  echo "note: the debug binaries were built from different commits ($cli_commit, $app_commit)"
fi
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "$deb's Version is not $version"

# Every man page the CLI generates, and the completions really complete registrar.
for page in "$stage"/man1/*.gz; do
  [ -e "$root/usr/share/man/man1/$(basename "$page")" ] || fail "$deb lacks the man page $(basename "$page")"
done
grep -Eq -- '^ *complete -F _registrar .*registrar$' "$root/usr/share/bash-completion/completions/registrar" ||
  fail "the bash completion does not complete registrar"
head -n 1 "$root/usr/share/zsh/vendor-completions/_registrar" | grep -q '#compdef registrar' ||
  fail "the zsh completion does not start with #compdef registrar"
grep -q '^complete -c registrar' "$root/usr/share/fish/vendor_completions.d/registrar.fish" ||
  fail "the fish completion does not complete registrar"

# Depends: each package once, and the keychain alternatives.
depends=$(dpkg-deb -f "$deb" Depends)
dupes=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ *$//' | sort | uniq -d)
[ -z "$dupes" ] || fail "$deb's Depends names twice: $dupes"
grep -q 'gnome-keyring | keepassxc | libkf5wallet-bin' <<<"$depends" ||
  fail "$deb's Depends lacks the Secret Service alternatives: $depends"
# Every shared library the binaries load comes from a package Depends names.
shlibs_dir=$(mktemp -d)
mkdir -p "$shlibs_dir/debian"
printf 'Source: registrar\n\nPackage: registrar\nArchitecture: any\n' >"$shlibs_dir/debian/control"
needed=$(cd "$shlibs_dir" && dpkg-shlibdeps -O "$root/usr/bin/registrar" "$root/usr/bin/registrar-app" 2>/dev/null |
  sed -n 's/^shlibs:Depends=//p' | tr ',' '\n' | sed 's/^ *//; s/ .*//')
rm -rf "$shlibs_dir"
[ -n "$needed" ] || fail "dpkg-shlibdeps found no library the binaries need"
for p in $needed; do
  tr ',|' '\n\n' <<<"$depends" | sed 's/^ *//; s/ .*//' | grep -qx -- "$p" ||
    fail "$deb's Depends lacks $p, which the binaries need (dpkg-shlibdeps)"
done

desktop-file-validate "$root/usr/share/applications/Registrar.desktop" ||
  fail "the desktop entry does not validate"
grep -q '^Keywords=' "$root/usr/share/applications/Registrar.desktop" || fail "the desktop entry has no Keywords"
# --no-net: the screenshot's and homepage's URLs are not fetched (CI has no guaranteed network).
appstreamcli validate --no-net --explain "$root/usr/share/metainfo/dev.registrar.desktop.metainfo.xml" ||
  fail "the AppStream metadata does not validate"

# lintian: no error; its warnings and notes are listed.
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v '^running with root privileges' || true)
if [ -n "$lintian_out" ]; then
  echo "lintian on $(basename "$deb"):"
  sed 's/^/  /' <<<"$lintian_out"
fi
if grep -q '^E: ' <<<"$lintian_out"; then
  fail "lintian reports errors on $deb"
fi
echo "checked $deb ($(du -h "$deb" | cut -f1)): $cli_version; $app_version"

# --- the .rpm -----------------------------------------------------------------------
if [[ $bundles == *rpm* ]]; then
  rpm=$(ls -t $root_dir/$profile/bundle/rpm/*.rpm | head -n 1)
  files=$(rpm -qlp "$rpm" 2>/dev/null)
  for f in /usr/bin/registrar /usr/bin/registrar-app /usr/share/man/man1/registrar.1.gz \
    /usr/share/bash-completion/completions/registrar /usr/share/zsh/site-functions/_registrar \
    /usr/share/fish/vendor_completions.d/registrar.fish \
    /usr/share/metainfo/dev.registrar.desktop.metainfo.xml /usr/share/applications/Registrar.desktop; do
    grep -qx -- "$f" <<<"$files" || fail "$rpm has no $f"
  done
  [ "$(rpm -qp --queryformat '%{VERSION}' "$rpm" 2>/dev/null)" = "$version" ] || fail "$rpm's version is not $version"
  echo "checked $rpm ($(du -h "$rpm" | cut -f1)); requires: $(rpm -qp --requires "$rpm" 2>/dev/null | paste -sd ' ')"
fi
