#!/usr/bin/env bash
# Counts the public surface outside the internal packages: public top-level and nested types, and
# their public methods and constructors (as javap -public lists them), from compiled classes.
# Usage: scripts/dev/public-surface.sh [classes-dir]   (default target/classes; run `mvn compile` first)
set -euo pipefail
classes=${1:-target/classes}
[ -d "$classes/io/github/ajsessions" ] || { echo "no compiled classes in $classes (run mvn compile)" >&2; exit 2; }
types=0
methods=0
while IFS= read -r f; do
    name=${f#"$classes"/}
    name=${name%.class}
    name=${name//\//.}
    out=$(javap -public -cp "$classes" "$name" 2>/dev/null) || continue
    # a type is public when javap -public prints its declaration
    if grep -qE '^(public )?[a-z ]*(class|interface|enum|record|@interface) ' <<<"$out" \
            && grep -qE '^public ' <<<"$(head -2 <<<"$out" | tail -1)"; then
        types=$((types + 1))
        n=$(grep -cE '^  public .*\(.*\)' <<<"$out" || true)
        methods=$((methods + n))
        [ -n "${VERBOSE:-}" ] && echo "$name $n"
    fi
done < <(find "$classes/io/github/ajsessions" -name '*.class' -not -path '*/internal/*' | sort)
echo "public types outside internal: $types"
echo "public methods and constructors of those types: $methods"
