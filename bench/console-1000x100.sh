#!/usr/bin/env bash
# The web console with a large catalog: 1 000 providers x 100 models (static providers, so nothing is fetched),
# opened in Debian's headless Chromium (bench/ConsoleRender.java through chromedriver). Issue 12: the page stays
# correct and renders in under 1 s in the test browser.
#
# Figures (medians of BENCH_CONSOLE_RUNS fresh page loads, default 5):
#   render_ms  navigation start → first frame painted with both views filled (1 000 provider rows);
#   models_ms  a click on one provider's "Models" → its 100 models listed;
#   filter_ms  typing into the provider filter → the 1 000-row table narrowed;
#   and render_ms in parts: api_ms (GET /api/v1/providers answered), build_ms (parsed, rows built), paint_ms
#   (views in the page → first frame painted). The load average before and after is noted: the machine is shared.
# ConsoleRender also checks every row, a model count, a model search, that the feed is live and that the browser
# console has no error. Needs chromium and chromium-driver (scripts/ensure-services.sh installs them).
# BENCH_CONSOLE_PROVIDERS and BENCH_CONSOLE_MODELS change the size.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init console-1000x100
bench_require curl curl
bench_require python3 python3
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || bench_die "chromium and chromium-driver are needed: apt-get install -y chromium chromium-driver"
bench_ensure_jar

PROVIDERS="${BENCH_CONSOLE_PROVIDERS:-1000}"
MODELS="${BENCH_CONSOLE_MODELS:-100}"
RUNS="${BENCH_CONSOLE_RUNS:-5}"
GOAL_MS=1000
bench_note providers "$PROVIDERS"
bench_note models_per_provider "$MODELS"
bench_note runs "$RUNS"
# the machine is shared: say how busy it was
bench_note load_average_before "$(cut -d' ' -f1 /proc/loadavg)"

# Selenium (a test dependency of the server module) for ConsoleRender.java
(cd "$REPO_ROOT" && ./mvnw -B -q -o -pl switchboard-server dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$BENCH_TMP/classpath.txt" >&2) || bench_die "cannot resolve the test class path (run the tests once)"

port=$(bench_free_port)
{
  bench_config_head "$port" "$BENCH_TMP/data"
  echo "refresh_on_start = true"
  models=$(python3 -c "import sys; n=int(sys.argv[1]); print(', '.join(f'\"model-{i:03d}\"' for i in range(n)))" "$MODELS")
  for i in $(seq -f '%04g' 1 "$PROVIDERS"); do
    printf '\n[[providers]]\nid = "p%s"\nkind = "static"\nmodels = [%s]\n' "$i" "$models"
  done
} >"$BENCH_TMP/console.toml"
bench_start_switchboard switchboard "$BENCH_TMP/console.toml" "$port"
bench_wait_models "$port" "$((PROVIDERS * MODELS))" 180
bench_figure providers_body "$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/api/v1/providers")" bytes

declare -A R=()
out="$BENCH_TMP/render.out"
"$JAVA_HOME/bin/java" -cp "$(cat "$BENCH_TMP/classpath.txt")" "$BENCH_DIR/ConsoleRender.java" \
    --url "http://127.0.0.1:$port/" --providers "$PROVIDERS" --models "$MODELS" --runs "$RUNS" >"$out" 2>"$out.err" \
  || { tail -30 "$out.err" >&2; bench_die "ConsoleRender failed"; }
grep -v '^WARNING\|CdpVersionFinder' "$out.err" >&2 || true
while read -r tag name value; do [ "$tag" = RESULT ] && R[$name]="$value"; done <"$out"
[ -n "${R[render_ms_median]:-}" ] || bench_die "ConsoleRender printed no figures (see $out)"

met=no
[ "${R[render_ms_median]}" -le "$GOAL_MS" ] && met=yes
bench_figure render_ms "${R[render_ms_median]}" ms "<= $GOAL_MS ms" "$met"
bench_figure render_ms_max "${R[render_ms_max]}" ms
bench_figure models_ms "${R[models_ms_median]}" ms
bench_figure filter_ms "${R[filter_ms_median]}" ms
bench_figure api_ms "${R[api_ms_median]}" ms
bench_figure build_ms "${R[build_ms_median]}" ms
bench_figure paint_ms "${R[paint_ms_median]}" ms
bench_note load_average_after "$(cut -d' ' -f1 /proc/loadavg)"
bench_figure rows "${R[rows]}" rows
