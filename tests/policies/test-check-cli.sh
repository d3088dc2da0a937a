#!/usr/bin/env bash
# `pgsandbox check` end to end: the built binary on the shipped examples,
# the good and bad fixtures, a directory, --json, and usage errors. Asserts
# on what the operator sees: exit status, stdout, stderr lines.
#   test-check-cli.sh PATH/TO/pgsandbox SOURCE_DIR
set -u
bin=$1
src=$2
data=$src/tests/policies/data
failures=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fail() {
        echo "FAIL: $*" >&2
        failures=$((failures + 1))
}

# run DIR ARGS...: runs the binary in DIR; sets $rc, and $out/$err hold the output.
run() {
        local dir=$1
        shift
        (cd "$dir" && "$bin" "$@") >"$out" 2>"$err"
        rc=$?
}

expect_rc() {
        [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1 (stderr: $(head -c 500 "$err"))"
}

# 0. The demo policies (scripts/demo) are valid.
run "$src/policies/demo" check escapes.policy flaky.policy forks.policy hog.policy panics.policy web.policy
expect_rc 0 "demo policies"
[ "$(grep -c '^\[Service\]$' "$out")" -eq 6 ] || fail "demo: expected 6 effective policies on stdout"

# 1. The shipped examples are valid.
run "$src/policies/examples" check web-server.policy batch-job.policy notify-service.policy locked-down.policy
expect_rc 0 "examples"
[ "$(grep -c '^\[Service\]$' "$out")" -eq 4 ] || fail "examples: expected 4 effective policies on stdout"
[ -s "$err" ] && fail "examples: unexpected stderr: $(cat "$err")"
n=$(ls "$src"/policies/examples/*.policy | wc -l)
[ "$n" -ge 4 ] || fail "expected at least 4 example policies, found $n"
run "$src/policies/examples" check .
expect_rc 0 "examples as a directory"

# 2. Good fixtures print exactly their expected effective policy.
for f in "$data"/good/*.policy; do
        name=$(basename "$f")
        run "$data/good" check "$name"
        expect_rc 0 "$name"
        cmp -s "$out" "${f%.policy}.expected" || fail "$name: stdout differs from ${name%.policy}.expected"
done

# 3. Each bad fixture: exit 1, nothing on stdout, exactly the expected error line.
for f in "$data"/bad/*.policy; do
        name=$(basename "$f")
        run "$data/bad" check "$name"
        expect_rc 1 "$name"
        [ -s "$out" ] && fail "$name: unexpected stdout"
        cmp -s "$err" "${f%.policy}.stderr" || fail "$name: stderr '$(cat "$err")', expected '$(cat "${f%.policy}.stderr")'"
done

# 4. Bad and good together: the good one is printed, the bad ones reported, exit 1.
run "$data/bad" check typo.policy "$data/good/minimal.policy" negative-memory.policy
expect_rc 1 "mixed"
grep -q '^Name=minimal$' "$out" || fail "mixed: the valid policy was not printed"
[ "$(wc -l <"$err")" -eq 2 ] || fail "mixed: expected 2 error lines, got: $(cat "$err")"

# 5. A directory: all-or-report, duplicate names.
run "$data" check dir
expect_rc 1 "dir"
grep -q '^Name=c$' "$out" && grep -q '^Name=f$' "$out" || fail "dir: c and f should load"
grep -qx "dir/b-bad.policy:4:11: invalid size '-1' for MemoryMax=: sizes cannot be negative" "$err" || fail "dir: b-bad error missing: $(cat "$err")"
grep -qx "dir/d-web-again.policy:1:1: duplicate service name 'web': also used by dir/a-web.policy; neither file is loaded" "$err" ||
        fail "dir: duplicate error missing: $(cat "$err")"

# 6. --json
run "$src/policies/examples" check --json web-server.policy
expect_rc 0 "--json"
grep -q '^{"Valid":true,"Policies":\[{"File":"web-server.policy","Service":{"Name":"web-server"' "$out" || fail "--json: unexpected output: $(head -c 300 "$out")"
if command -v python3 >/dev/null; then
        python3 -m json.tool "$out" >/dev/null || fail "--json: not valid JSON"
fi
run "$data/bad" check --json negative-memory.policy
expect_rc 1 "--json bad"
grep -qF '{"Valid":false,"Policies":[],"Errors":[{"File":"negative-memory.policy","Line":5,"Column":11,"Message":"invalid size '"'"'-1'"'"' for MemoryMax=: sizes cannot be negative"}]}' "$out" ||
        fail "--json bad: unexpected output: $(cat "$out")"

# 7. Usage and unreadable files.
run "$src" check
expect_rc 2 "no arguments"
run "$src" check --bogus x.policy
expect_rc 2 "unknown option"
run "$src" check --help
expect_rc 0 "--help"
grep -q -- '--json' "$out" && grep -q 'Exit status: 0 if every file is valid, 1 if any is not' "$out" || fail "--help text"
run "$src" check /nonexistent/x.policy
expect_rc 1 "missing file"
grep -qx '/nonexistent/x.policy: cannot read: No such file or directory' "$err" || fail "missing file: $(cat "$err")"

empty=$(mktemp -d)
run "$src" check "$empty"
rmdir "$empty"
expect_rc 1 "empty directory"
grep -q 'no \*.policy files in this directory' "$err" || fail "empty directory: $(cat "$err")"

if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
fi
echo "all pgsandbox check tests passed"
