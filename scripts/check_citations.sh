#!/usr/bin/env bash
# The repository stands alone: no file in it may cite the team's workbench (the settled-decision,
# format-note and style pages kept outside the repository, or any path under ../shared other
# than the recorded data that tests read) or an issue number. What the code relies on is
# written in docs/ (docs/decisions.md). Run by .ci/run; prints each offending line and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# One alternative per kind of citation (PCRE):
#   the workbench pages by name; ../shared/<not data>; an absolute workbench path;
#   "issue 5", "issues #7"; "(issue ...)"; "the traffic issue" and the like; "issue target".
pattern='\b(DECISIONS|FORMATS|STYLE)(\.md)?\b(?!_)|\bNOTES\.md\b'
pattern+='|\.\./shared/(?!data\b)|/work/shared\b'
pattern+='|\bissues? *#? *[0-9]+|\(issue\b'
pattern+='|\b(analysis|traffic|loaders?|cartography|redesign|scale|map|fidelity|formats?|window|export|video|performance|python|tiles|archives?|cli|threads?|round[- ]two) issues?\b'
pattern+='|\bissue target'
if git grep -nIP --untracked -e "$pattern" -- . ':!tests/data' ':!fuzz/corpus' ':!scripts/check_citations.sh' ; then
  echo "check_citations: the lines above cite files outside the repository or issue numbers;" >&2
  echo "say the reason itself (and put settled rules into docs/)" >&2
  exit 1
fi
echo "check_citations: no citations of outside files or issues"
