#!/usr/bin/env bash
# Regenerates the golden output of the complete test site after an intended change to the
# output. Review `git diff tests/golden` before committing it: every changed line is a change
# residents will see.
set -euo pipefail
cd "$(dirname "$0")/.."
site=tests/sites/complete
# tests/golden/complete carries the build marker (.gongshi-build) like any build output, so the
# build replaces it; a failed build leaves it as it was.
.venv/bin/gongshi --settings "$site/pelicanconf.py" build \
    --content "$site/content" --output tests/golden/complete --now "$(cat "$site/NOW")"
# Pagefind's index is not golden output (test_build.py leaves it out; determinism covers it).
rm -rf tests/golden/complete/pagefind
# The manifest hashes pagefind/ too (tests/test_deploy.py covers it).
rm -f tests/golden/complete/.gongshi-manifest.json
