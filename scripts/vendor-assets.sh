#!/usr/bin/env bash
# Copy the pinned front-end packages Hamseda serves into core/static/vendor/.
#
# Government intranets have no internet, so every asset is committed and served by
# the project itself; npm is needed only by whoever runs this script to bump a
# version, never at install time. Running it again gives the same files.
#
# Each tarball is checked against the sha512 pinned below (the npm registry's
# `dist.integrity`), so a bump is a deliberate two-line change:
#     npm view bootstrap@5.3.10 dist.integrity
set -euo pipefail

# name|npm spec|sha512 integrity
PACKAGES=(
    "bootstrap|bootstrap@5.3.9|sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
    "vazirmatn|vazirmatn@33.0.3|sha512-fbjNc0CMjazZpIegWzz9OHGzI1APFboT+x7ZecXlUCtDe/nkyx7gtCTZnWS/+eeXG7fbfXymCPKJI8EsnM3iqw=="
    "bootstrap-icons|bootstrap-icons@1.13.2|sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="
    "jalalidatepicker|@majidh1/jalalidatepicker@0.9.12|sha512-KsQ8yEXQph46CLeKxhrUvdYxD3now5EvhulDWlAOnV5YZKwX8PHcEBUy0EZUxDBgN54H9n31uy2kBMARgi7OWA=="
    "chartjs|chart.js@4.6.1|sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/src/hamseda/core/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "vendor-assets: npm is needed to run this script" >&2; exit 1; }

fetch() {  # fetch NAME SPEC INTEGRITY -> unpacked into $WORK/NAME/package
    local name=$1 spec=$2 integrity=$3 tgz actual
    mkdir -p "$WORK/$name"
    tgz="$(cd "$WORK/$name" && npm pack --silent "$spec" | tail -n 1)"
    actual="sha512-$(node -e '
        const c = require("crypto"), fs = require("fs");
        process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
    ' "$WORK/$name/$tgz")"
    if [[ "$actual" != "$integrity" ]]; then
        echo "vendor-assets: $spec integrity mismatch: got $actual" >&2
        exit 1
    fi
    tar -xzf "$WORK/$name/$tgz" -C "$WORK/$name"
}

# Whitenoise's CompressedManifestStaticFilesStorage follows sourceMappingURL
# comments and fails collectstatic on the .map files we do not ship.
strip_source_maps() {
    sed -i -E -e '/^\/\*# sourceMappingURL=.*\*\/$/d' -e '/^\/\/# sourceMappingURL=.*$/d' \
        -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' "$@"
    if grep -l 'sourceMappingURL' "$@"; then
        echo "vendor-assets: a sourceMappingURL survived in the files above" >&2
        exit 1
    fi
}

versions="$WORK/VERSIONS.txt"
{
    echo "# Written by scripts/vendor-assets.sh; edit the script, not this file."
    echo "# folder  npm package  integrity"
} >"$versions"

for entry in "${PACKAGES[@]}"; do
    IFS='|' read -r name spec integrity <<<"$entry"
    echo "vendor-assets: $spec"
    fetch "$name" "$spec" "$integrity"
    src="$WORK/$name/package"
    out="$WORK/out/$name"
    mkdir -p "$out"
    case "$name" in
    bootstrap)
        cp "$src/dist/css/bootstrap.rtl.min.css" "$src/dist/js/bootstrap.bundle.min.js" \
            "$src/LICENSE" "$out/"
        strip_source_maps "$out/bootstrap.rtl.min.css" "$out/bootstrap.bundle.min.js"
        ;;
    vazirmatn)
        # The "[wght]" in the upstream name is renamed away: brackets are not
        # valid unescaped in a URL path and some proxies reject them.
        cp "$src/fonts/webfonts/Vazirmatn[wght].woff2" "$out/Vazirmatn-Variable.woff2"
        # Static TTFs for WeasyPrint (PDF reports), which wants plain weights.
        mkdir -p "$out/ttf"
        cp "$src/fonts/ttf/Vazirmatn-Regular.ttf" "$src/fonts/ttf/Vazirmatn-Bold.ttf" "$out/ttf/"
        cp "$src/OFL.txt" "$src/AUTHORS.txt" "$out/"
        cat >"$out/vazirmatn.css" <<'CSS'
/* Vazirmatn variable font, served locally (scripts/vendor-assets.sh). */
@font-face {
  font-family: "Vazirmatn";
  src: url("Vazirmatn-Variable.woff2") format("woff2-variations"),
       url("Vazirmatn-Variable.woff2") format("woff2");
  font-weight: 100 900;
  font-style: normal;
  font-display: swap;
}
CSS
        ;;
    bootstrap-icons)
        mkdir -p "$out/fonts"
        # The CSS refers to fonts/bootstrap-icons.woff2?<hash>: keep that layout.
        cp "$src/font/bootstrap-icons.min.css" "$src/LICENSE" "$out/"
        cp "$src/font/fonts/bootstrap-icons.woff2" "$src/font/fonts/bootstrap-icons.woff" "$out/fonts/"
        strip_source_maps "$out/bootstrap-icons.min.css"
        ;;
    jalalidatepicker)
        cp "$src/dist/jalalidatepicker.min.js" "$src/dist/jalalidatepicker.min.css" \
            "$src/LICENSE" "$out/"
        strip_source_maps "$out/jalalidatepicker.min.js" "$out/jalalidatepicker.min.css"
        ;;
    chartjs)
        # The UMD build defines window.Chart for the monitoring dashboards' plain script.
        cp "$src/dist/chart.umd.min.js" "$src/LICENSE.md" "$out/"
        strip_source_maps "$out/chart.umd.min.js"
        ;;
    esac
    printf '%s  %s  %s\n' "$name" "$spec" "$integrity" >>"$versions"
done

# Replace only the folders this script owns, so a rerun leaves no stale files.
mkdir -p "$VENDOR"
for entry in "${PACKAGES[@]}"; do
    name="${entry%%|*}"
    rm -rf "${VENDOR:?}/$name"
    cp -R "$WORK/out/$name" "$VENDOR/$name"
done
cp "$versions" "$VENDOR/VERSIONS.txt"
echo "vendor-assets: done, see $VENDOR/VERSIONS.txt"
