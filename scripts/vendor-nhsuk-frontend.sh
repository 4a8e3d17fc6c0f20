#!/usr/bin/env bash
# Vendors NHS.UK frontend's built CSS, JavaScript and images into static/vendor/nhsuk-frontend/
# from the npm registry's tarball, checked against its integrity hash. Run from anywhere:
#   scripts/vendor-nhsuk-frontend.sh            # the pinned version
#   scripts/vendor-nhsuk-frontend.sh 10.6.1     # another version (then update INTEGRITY and PROVENANCE.md)
# Two changes to the dist CSS, both so that it is served from this site alone (the strict CSP):
#   - the @font-face rules (Frutiger, on assets.nhs.uk, licensed and not in the package) are
#     dropped, so text falls back to Arial as the NHS.UK stack says;
#   - url(/assets/...) becomes url(assets/...), relative to the CSS file.
set -euo pipefail

VERSION="${1:-10.6.1}"
INTEGRITY="${INTEGRITY:-sha512-PZorqQZjZx/A26yJoskCL9z0ib6AtkAyF0o4K/RHr8zRrJyXrUOCnMbjy0VNXsGO4tfTNMwqlkwATKs4a0xayw==}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/static/vendor/nhsuk-frontend"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack "nhsuk-frontend@$VERSION" --json > pack.json
got="$(python3 -c 'import json; print(json.load(open("pack.json"))[0]["integrity"])')"
if [ "$got" != "$INTEGRITY" ]; then
  echo "Integrity of nhsuk-frontend@$VERSION is $got, expected $INTEGRITY" >&2
  exit 1
fi
tar xzf "nhsuk-frontend-$VERSION.tgz"
DIST="package/dist/nhsuk"

rm -rf "$DEST"
mkdir -p "$DEST/assets/images"
python3 - "$DIST/nhsuk-frontend.min.css" "$DEST/nhsuk-frontend.min.css" <<'PY'
import re
import sys

css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = css.replace("url(/assets/", "url(assets/")
css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
assert "assets.nhs.uk" not in css and "url(/" not in css
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
sed 's|//# sourceMappingURL=.*$||' "$DIST/nhsuk-frontend.min.js" > "$DEST/nhsuk-frontend.min.js"
for image in favicon.ico favicon.svg nhsuk-icon-180.png \
  nhsuk-icon-arrow-down.svg nhsuk-icon-arrow-up.svg nhsuk-icon-arrow-up-down.svg nhsuk-icon-cross.svg \
  nhsuk-icon-arrow-left.svg nhsuk-icon-arrow-right.svg nhsuk-icon-arrow-right-circle.svg \
  nhsuk-icon-chevron-right-circle.svg nhsuk-icon-tick.svg; do
  cp "$DIST/assets/images/$image" "$DEST/assets/images/$image"
done
cp package/package.json "$DEST/package.json"
echo "Vendored nhsuk-frontend@$VERSION into $DEST"
