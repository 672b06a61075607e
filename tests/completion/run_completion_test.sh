#!/usr/bin/env bash
# Bash completion (tools/completion/spinsc.bash): commands, experiment files, `describe` names and
# `run` overrides (--section.key=, --sweep.section.key=) complete as documented. Runs the
# completion function the way bash calls it (COMP_WORDS, COMP_CWORD), without the bash-completion
# package (its absence is the harder case: the script falls back to plain COMP_WORDS).
#   run_completion_test.sh SOURCE_DIR SPINSC_CLI
set -euo pipefail
source_dir=$1 spinsc=$2
fail() { echo "completion test FAILED: $*" >&2; exit 1; }
# shellcheck source=/dev/null
source "$source_dir/tools/completion/spinsc.bash"
compopt() { :; }  # only valid inside a real completion; the test calls the function directly
complete_words() {  # complete_words WORD... : completions of the last word
  COMP_WORDS=("$spinsc" "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _spinsc
  printf '%s\n' "${COMPREPLY[@]+"${COMPREPLY[@]}"}"
}
expect() {  # expect "WORDS" COMPLETION
  local got
  got=$(cd "$source_dir" && complete_words $1)
  grep -qxF -- "$2" <<< "$got" || fail "'spinsc $1<TAB>' does not offer '$2'; it offers: $(tr '\n' ' ' <<< "$got")"
  echo "ok: spinsc $1 -> $2"
}
expect "ru" "run"
expect "sh" "show"
expect "exp" "experiments"
expect "run experiments/quick" "experiments/quickstart.ini"
expect "run experiments/quickstart.ini --data.pa" "--data.path="
expect "run experiments/quickstart.ini --sweep.device.pl" "--sweep.device.plugin="
expect "run experiments/quickstart.ini --device.lfsr.wid" "--device.lfsr.width="
expect "describe device.lf" "device.lfsr"
expect "describe netw" "network"
echo "completion test passed"
