#!/bin/sh
# Builds the web front end into web/dist/app, installing the npm packages first when
# node_modules is missing or older than package-lock.json, and does nothing when dist/app was
# built from the sources as they are now: dist/app/.stamp holds a digest of the sources, the
# lock file and the Vite config, written after each build. So the run command
#
#	web/build.sh && go run .
#
# spends its 30 s on npm only when something the build reads has changed.
set -eu
cd "$(dirname "$0")"

stamp=$(find src explore curate article index.html package.json package-lock.json vite.config.js -type f 2>/dev/null |
	LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
elif [ -f dist/app/index.html ] && [ "$(cat dist/app/.stamp 2>/dev/null)" = "$stamp" ]; then
	echo "web front end up to date (web/dist/app)"
	exit 0
fi
npm run build
echo "$stamp" >dist/app/.stamp
