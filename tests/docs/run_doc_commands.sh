#!/usr/bin/env bash
# The docs cannot drift: every command of a code block marked runnable in README.md and docs/*.md
# runs and exits 0. A runnable block is a fence with the info string `sh runnable`:
#
#   ```sh runnable
#   build/bin/spinsc describe device.lfsr     # comments are fine
#   ```
#
# Commands run one by one, in order, from a scratch folder laid out like the source tree
# (experiments/, data/, tools/, docs/ link to the source tree; build/ to the build tree; results/
# is fresh), without SPINSC_DATA. A command too long for the test suite gets a short form from an
# HTML comment (invisible on the rendered page) right above the fence:
#
#   <!-- runnable short: quickstart.ini => --train.epochs=1 --data.train_size=1000 -->
#
# which appends the arguments after `=>` to every command of the block containing the text before it.
#   run_doc_commands.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -euo pipefail
source_dir=$1 build_dir=$2 work=$3
fail() { echo "doc commands test FAILED: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/results"
for d in experiments data tools docs plugins devices; do ln -s "$source_dir/$d" "$work/$d"; done
ln -s "$build_dir" "$work/build"

count=0
for doc in "$source_dir/README.md" "$source_dir"/docs/*.md; do
  rel=${doc#"$source_dir"/}
  in_block=0 line_number=0
  shorts=() pending_shorts=()
  while IFS= read -r line || [ -n "$line" ]; do
    line_number=$((line_number + 1))
    if ((in_block == 0)); then
      if [[ $line =~ ^\<\!--\ runnable\ short:\ (.*)\ =\>\ (.*)\ --\>$ ]]; then
        pending_shorts+=("${BASH_REMATCH[1]}"$'\t'"${BASH_REMATCH[2]}")
        continue
      fi
      if [[ $line =~ ^\`\`\`sh\ runnable[[:space:]]*$ ]]; then
        in_block=1
        shorts=("${pending_shorts[@]+"${pending_shorts[@]}"}")
      fi
      [[ $line == \<\!--* ]] || pending_shorts=()
      continue
    fi
    if [[ $line == '```'* ]]; then
      in_block=0 pending_shorts=()
      continue
    fi
    command=${line%%  #*}          # a comment after two spaces
    command=${command%"${command##*[![:space:]]}"}
    [ -z "$command" ] && continue
    for short in "${shorts[@]+"${shorts[@]}"}"; do
      pattern=${short%%$'\t'*} arguments=${short#*$'\t'}
      [[ $command == *"$pattern"* ]] && command+=" $arguments"
    done
    count=$((count + 1))
    echo "== $rel:$line_number: $command"
    if ! output=$(cd "$work" && env -u SPINSC_DATA bash -c "$command" 2>&1); then
      echo "$output" | tail -30
      fail "$rel line $line_number: '$command' exited non-zero"
    fi
  done < "$doc"
  ((in_block == 0)) || fail "$rel: a runnable block is not closed"
done
# README's worked example alone has four: finding fewer means the markers were lost.
((count >= 4)) || fail "only $count runnable commands found in README.md and docs/*.md"
echo "doc commands test passed: $count commands"
