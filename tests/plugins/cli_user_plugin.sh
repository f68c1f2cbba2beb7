#!/usr/bin/env bash
# A user plugin named in platform.yaml plugin_dirs shows up in `plugins list`, can be used in a
# blueprint, and backtests; one built against another API version is refused by name.
set -euo pipefail
cli="$1" config="$2" plugins="$3" work="$4"
rm -rf "$work" && mkdir -p "$work" && cp -r "$config" "$work/config"
cp -r "$plugins/good" "$work/user_plugins"
sed -i 's|^plugin_dirs: \[\]|plugin_dirs: [user_plugins]|' "$work/config/platform.yaml"
grep -q "plugin_dirs: \[user_plugins\]" "$work/config/platform.yaml"
"$cli" plugins list --config "$work/config" > "$work/list.txt"
grep -q "^volume_spike .*opportunity" "$work/list.txt"
"$cli" plugins show volume_spike --config "$work/config" | grep -q "factor"
# Use it next to ma_cross in the trend blueprint.
sed -i 's|^  opportunity:.*|&\n    - plugin: volume_spike\n      params: {period: 20, factor: 2.5}|' "$work/config/runs/trend_follower.yaml"
"$cli" validate --config "$work/config" | grep -q "config OK"
"$cli" backtest --config "$work/config" --link trend_synth --out "$work/run" --quiet > "$work/run.log"
grep -q '"worker":"volume_spike"' "$work/run/trend_synth/journal.jsonl"
# A bad parameter of the user plugin is checked against its manifest like a built-in's.
if "$cli" validate --config "$work/config" --set runs.trend_follower.workforce.opportunity[0].params.factor=0.5 2> "$work/err.txt"; then exit 1; fi
grep -q "out of range" "$work/err.txt"
# The API-99 build is refused with a message that says why.
rm -rf "$work/user_plugins" && cp -r "$plugins/api99" "$work/user_plugins"
if "$cli" validate --config "$work/config" 2> "$work/err99.txt"; then exit 1; fi
grep -Eq "built against plugin API 99\.[0-9]+, this platform provides 2\.[0-9]+" "$work/err99.txt"
echo "user plugin via platform.yaml OK"
