#!/usr/bin/env bash
# Rebuilds compat-plugin-api-0.3.jar from src/ against the servesim api given as the only argument (its jar, or
# api/target/classes). Only to be run against the API this jar pins (see README.md): never rebuild it after an API change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
api="${1:?usage: build.sh API_JAR_OR_CLASSES_FOLDER}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
javac --release 17 -Xlint:all --module-path "$api" -d "$work/classes" $(find "$here/src" -name '*.java' | sort)
rm -f "$here/compat-plugin-api-0.3.jar"
jar --create --date=2026-01-01T00:00:00Z --file "$here/compat-plugin-api-0.3.jar" -C "$work/classes" .
