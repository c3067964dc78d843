#!/bin/bash
# fetch every package of patterns/design-corpora-s9.tsv (no reading of contents)
T="$(cd "$(dirname "$0")/../.." && pwd)"; R=/tmp/cmpwork/design9
mkdir -p $R && cd $R
grep -v '^#' $T/patterns/design-corpora-s9.tsv | tail -n +2 | while IFS=$'\t' read reg name coord half _; do
  dest=$half/$reg-$name
  [ -d "$dest" ] && continue
  mkdir -p dl/$name && cd dl/$name
  case $reg in
    maven) mvn -q dependency:copy -Dartifact=$coord:jar:sources -DoutputDirectory=. >log 2>&1; f=$(ls *-sources.jar 2>/dev/null|head -1); cd ../..; [ -n "$f" ] && mkdir -p $dest && (cd $dest && unzip -q $R/dl/$name/$f) ;;
    pypi) pip download --no-binary :all: --no-deps -q "$coord" -d . >log 2>&1; f=$(ls *.tar.gz *.zip 2>/dev/null|head -1); cd ../..; [ -n "$f" ] && mkdir -p $dest && tar xzf dl/$name/$f -C $dest --strip-components=1 ;;
    npm) npm pack "$coord" --silent >log 2>&1; f=$(ls *.tgz 2>/dev/null|head -1); cd ../..; [ -n "$f" ] && mkdir -p $dest && tar xzf dl/$name/$f -C $dest --strip-components=1 ;;
  esac
  [ -d "$dest" ] && echo "ok $reg $name" || echo "FAIL $reg $name"
done
