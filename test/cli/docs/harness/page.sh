# shellcheck shell=bash
# Sourced at the top of each page's script (doc-commands.test.ts). Its waits pause with bash's own `read -t` on a pipe
# nobody writes to and read files with `read`: no process is started per poll. A problem of the harness itself (a
# simulator that never printed its export lines, or that a signal ended) goes to $DOCTEST_PROBLEMS, which the test
# reports before it looks for missing commands.

exec {__nap}<> <(:)
__nap() { read -r -t "$1" -u "$__nap" || :; }
__problem() {
  local text="$*"
  text=${text%$'\n'}
  printf '%s\n' "${text//$'\n'/ | }" >> "$DOCTEST_PROBLEMS"
}

# A simulator shown in the foreground runs as a person runs it: started, left until it has printed its export lines,
# then stopped with Ctrl-C (SIGINT). Never a SIGINT before those lines: a background job of a script starts with SIGINT
# ignored (the signal would be lost while bash runs the shim), and node, once started, dies of it (no exit handler, no
# log line) until the command has set its own handler. The limit is a time, not a count of polls, and each simulator
# has a log file of its own, so that no earlier simulator's lines can be taken for this one's.
# `simulate` takes Ctrl-C over before it prints its lines (src/simulator/simulate-command.ts), so a SIGINT sent on
# reading them stops it as Ctrl-C does (test/cli/simulator/simulate-ctrl-c.test.ts); a signal death is a problem.
__foreground_simulate() {
  local log="$DOCTEST_DIR/.foreground-simulator-$((++__simulators)).log" out='' pid status deadline=$((SECONDS + 60))
  : > "$log"
  odin-bulk "$@" > "$log" 2>&1 &
  pid=$!
  while [[ $'\n'$out != *$'\n'"export ODIN_PASSWORD="* ]]; do
    if ! kill -0 "$pid" 2> /dev/null; then
      wait "$pid" # it ended by itself (a bad flag…): the hook logged its exit code
      return
    fi
    if ((SECONDS >= deadline)); then
      __problem "odin-bulk $* printed no export lines within 60 s; stopped with SIGKILL. Its output: $out"
      kill -KILL "$pid"
      wait "$pid"
      return
    fi
    __nap 0.05
    IFS= read -r -d '' out < "$log"
  done
  kill -INT "$pid"
  deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2> /dev/null && ((SECONDS < deadline)); do __nap 0.05; done
  if kill -0 "$pid" 2> /dev/null; then
    __problem "odin-bulk $* was still running 30 s after the SIGINT; stopped with SIGKILL. Its output: $out"
    kill -KILL "$pid"
  fi
  wait "$pid"
  status=$?
  if ((status > 128)); then
    __problem "odin-bulk $* was ended by signal $((status - 128)) (exit status $status) instead of stopping on the SIGINT the test sent once it had printed its export lines. Its output: $out"
  fi
}

# Run last: a job the page stopped itself (kill %1) gets 20 s to end; whatever it left running ends with the page.
__end_of_page() {
  local deadline=$((SECONDS + 20)) jobs_file="$DOCTEST_DIR/.jobs" pids
  while jobs -pr > "$jobs_file" && read -r _ < "$jobs_file" && ((SECONDS < deadline)); do __nap 0.1; done
  mapfile -t pids < "$jobs_file"
  if ((${#pids[@]})); then kill "${pids[@]}" 2> /dev/null; fi
  wait
}
