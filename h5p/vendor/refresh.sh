#!/usr/bin/env bash
# Refresh the vendored H5P player (npm package h5p-standalone, MIT) from the npm registry.
#
#   h5p/vendor/refresh.sh            # the pinned version below
#   h5p/vendor/refresh.sh 3.8.2      # another version: then update the version named in docs/h5p.md
#
# The package's install script insists on yarn, so it is fetched with `npm pack` (no scripts run)
# and only its prebuilt dist/ files are copied, with the licence, into
# h5p/static/h5p/vendor/h5p-standalone/. Needs node/npm and network access to the npm registry;
# nothing is fetched at run time or in tests.
set -euo pipefail

VERSION="${1:-3.8.2}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/../static/h5p/vendor/h5p-standalone"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "h5p-standalone@${VERSION}" >/dev/null
tar -xzf "h5p-standalone-${VERSION}.tgz"
test -f package/dist/main.bundle.js && test -f package/dist/frame.bundle.js && test -f package/LICENSE

rm -rf "$TARGET"
mkdir -p "$TARGET"
# The player's code, styles, fonts and images; not its TypeScript declarations.
cp -R package/dist/main.bundle.js package/dist/main.bundle.js.LICENSE.txt package/dist/frame.bundle.js \
      package/dist/styles package/dist/fonts package/dist/images "$TARGET/"
cp package/LICENSE "$TARGET/LICENSE"
printf '%s\n' "$VERSION" > "$TARGET/VERSION"
echo "h5p-standalone ${VERSION} vendored into ${TARGET#"$HERE/../"}"
