#!/bin/bash
# Fetch every package of a design corpus set without reading any contents.
# Usage: fetch.sh [--set s8|s9|s10]   (s8: patterns/design-corpora.tsv into target/design8;
# s9: design-corpora-s9.tsv into /tmp/cmpwork/design9; s10: design-corpora-s10.tsv into
# /tmp/cmpwork/design10, with its labelled teaching packages into labelled/)
T="$(cd "$(dirname "$0")/../.." && pwd)"
SET=s8; [ "$1" = "--set" ] && SET=$2
case $SET in
  s8) TSV=$T/patterns/design-corpora.tsv; R=$T/target/design8 ;;
  s9) TSV=$T/patterns/design-corpora-s9.tsv; R=/tmp/cmpwork/design9 ;;
  s10) TSV=$T/patterns/design-corpora-s10.tsv; R=/tmp/cmpwork/design10 ;;
  *) echo "unknown set $SET" >&2; exit 2 ;;
esac
mkdir -p $R && cd $R
grep -v '^#' $TSV | grep -E '^(maven|pypi|npm)	' | while IFS=$'\t' read reg name coord half _; do
  dest=$half/$reg-$name
  [ -d "$dest" ] && continue
  mkdir -p dl/$name && cd dl/$name
  case $reg in
    maven) mvn -q dependency:copy -Dartifact=$coord:jar:sources -DoutputDirectory=. >log 2>&1; f=$(ls *-sources.jar 2>/dev/null|head -1); cd ../..; [ -n "$f" ] && mkdir -p $dest && (cd $dest && unzip -q $R/dl/$name/$f) ;;
    pypi) pip download --no-binary :all: --no-deps -q "$coord" -d . >log 2>&1; f=$(ls *.tar.gz *.zip 2>/dev/null|head -1)
      # an sdist whose build backend cannot prepare it here (lagom: flit): its wheel's .py files
      [ -z "$f" ] && pip download --only-binary :all: --no-deps -q "$coord" -d . >>log 2>&1 && w=$(ls *.whl 2>/dev/null|head -1)
      cd ../..; if [ -n "$f" ]; then mkdir -p $dest && tar xzf dl/$name/$f -C $dest --strip-components=1; elif [ -n "$w" ]; then mkdir -p $dest && unzip -q dl/$name/$w -d $dest; fi ;;
    npm) npm pack "$coord" --silent >log 2>&1; f=$(ls *.tgz 2>/dev/null|head -1); cd ../..; [ -n "$f" ] && mkdir -p $dest && tar xzf dl/$name/$f -C $dest --strip-components=1 ;;
  esac
  [ -d "$dest" ] && echo "ok $reg $name" || echo "FAIL $reg $name"
done
# labelled teaching packages (s10 names them in `labelled-package` rows)
grep -E '^labelled-package	' $TSV | tail -n +2 | while IFS=$'\t' read _ folder spec kind; do
  dest=labelled/$folder
  [ -d "$dest" ] && continue
  mkdir -p dl/$folder
  if [ "$kind" = wheel ]; then
    (cd dl/$folder && pip download --no-deps --only-binary=:all: --python-version 3.12 -q "$spec" -d . >log 2>&1)
    f=$(ls dl/$folder/*.whl 2>/dev/null | head -1); [ -n "$f" ] && mkdir -p $dest && unzip -q "$f" -d $dest
  else
    (cd dl/$folder && pip download --no-binary :all: --no-deps -q "$spec" -d . >log 2>&1)
    f=$(ls dl/$folder/*.tar.gz 2>/dev/null | head -1); [ -n "$f" ] && mkdir -p labelled && tar xzf "$f" -C labelled
  fi
  [ -d "$dest" ] && echo "ok labelled $folder" || echo "FAIL labelled $folder"
done
