#!/bin/sh
# `npm start`: prepare (quiet install, build when stale), then replace this shell with the server
# (`exec`), so the signal npm forwards on SIGTERM/SIGINT reaches the server itself. The server runs
# from the directory npm start was run in (INIT_CWD), so a relative DATA_DIR lands there.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
node "$root/scripts/prepare-start.mjs"
cd "${INIT_CWD:-$PWD}"
exec node --enable-source-maps "$root/services/gateway/dist/main.js" "$@"
