# Bash completion for spinsc: commands, experiment files, results files, `describe` names and
# `run` overrides (--section.key=, --sweep.section.key=). The names and keys come from the spinsc
# being completed (`spinsc describe --names` / `--keys`), so plugins on SPINSC_PLUGIN_PATH are in.
# Installed as <prefix>/share/bash-completion/completions/spinsc (loaded on demand by the
# bash-completion package); or: source tools/completion/spinsc.bash
_spinsc() {
  local cur prev words cword
  if declare -F _init_completion > /dev/null; then
    _init_completion -n = || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local spinsc=${words[0]}
  if ((cword == 1)); then
    local commands
    commands=$("$spinsc" --help 2> /dev/null | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local command=${words[1]}
  case $command in
    run)
      if [[ $prev == -o || $prev == --output ]]; then
        COMPREPLY=($(compgen -f -X '!*.h5' -- "$cur") $(compgen -d -- "$cur"))
        compopt -o filenames 2> /dev/null
        return
      fi
      if [[ $cur == --*=* ]]; then  # a key's value: files (trace files, data folders)
        COMPREPLY=($(compgen -P "${cur%%=*}=" -f -- "${cur#*=}"))
        return
      fi
      if [[ $cur == --* ]]; then
        local keys options="--output= --force --help"
        keys=$("$spinsc" describe --keys 2> /dev/null)
        if [[ $cur == --sweep.* ]]; then
          COMPREPLY=($(compgen -P --sweep. -S = -W "$keys repeats mode" -- "${cur#--sweep.}"))
        else
          COMPREPLY=($(compgen -P -- -S = -W "$keys" -- "${cur#--}") $(compgen -W "$options --sweep." -- "$cur"))
        fi
        compopt -o nospace 2> /dev/null
        return
      fi
      COMPREPLY=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur"))
      compopt -o filenames 2> /dev/null
      ;;
    show | plot)
      if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--help --csv --columns= --width= --output --kind --length" -- "$cur"))
        return
      fi
      COMPREPLY=($(compgen -f -X '!*.h5' -- "$cur") $(compgen -d -- "$cur"))
      compopt -o filenames 2> /dev/null
      ;;
    describe)
      ((cword == 2)) && COMPREPLY=($(compgen -W "$("$spinsc" describe --names 2> /dev/null) --help" -- "$cur"))
      ;;
    *)
      COMPREPLY=($(compgen -f -- "$cur"))
      compopt -o filenames 2> /dev/null
      ;;
  esac
}
complete -F _spinsc spinsc
