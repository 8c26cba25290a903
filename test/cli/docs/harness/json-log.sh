# shellcheck shell=bash
# log_call TOOL FIELDS ARG…: appends {"tool":TOOL,"args":[ARG…],FIELDS} to $DOCTEST_LOG, the invocation log.
log_call() {
  local tool=$1 fields=$2 line sep='' a
  shift 2
  line="{\"tool\":\"$tool\",\"args\":["
  for a in "$@"; do
    a=${a//\\/\\\\}
    a=${a//\"/\\\"}
    a=${a//$'\t'/\\t}
    a=${a//$'\n'/\\n}
    a=${a//$'\r'/\\r}
    line+="$sep\"$a\""
    sep=,
  done
  printf '%s],%s}\n' "$line" "$fields" >> "$DOCTEST_LOG"
}
