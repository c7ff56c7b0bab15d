#!/usr/bin/env bash
# OpenLink Virtuoso (Debian's virtuoso-opensource) as the team's shared SPARQL endpoint for the last build.
#
# Usage: scripts/virtuoso.sh install | start | push [FILE] | status | stop
#   install   apt-install virtuoso-opensource when virtuoso-t is missing (root or sudo)
#   start     write $VIRTUOSO_DIR/virtuoso.ini, create the database with a random admin password on first
#             use, start the server on loopback, wait until /sparql answers, print the endpoints
#   push      load FILE (default: $GRAPHKIT_OUT/graph.nq, the last build) with the bulk loader
#             (ld_dir + rdf_loader_run); each named graph in the file replaces the graph of that name
#   status    whether it runs, its endpoints and the triples per named graph
#   stop      shut the server down (checkpoint first) and wait until its process is gone
# Environment (defaults):
#   VIRTUOSO_PORT=8890  VIRTUOSO_ISQL_PORT=1111  GRAPHKIT_OUT=out  VIRTUOSO_DIR=$GRAPHKIT_OUT/virtuoso
#   VIRTUOSO_MAX_ROWS=100000 (ResultSetMaxRows)  VIRTUOSO_QUERY_TIMEOUT=60 (s, MaxQueryExecutionTime)
#   VIRTUOSO_BUFFERS=20000 (8 kB pages of cache, NumberOfBuffers)
# Both ports are bound to 127.0.0.1 only. The admin user is dba; its password is random per data
# directory and kept in $VIRTUOSO_DIR/dba.password (mode 0600); the default dba/dba is never active.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${VIRTUOSO_PORT:-8890}"
ISQL_PORT="${VIRTUOSO_ISQL_PORT:-1111}"
OUT="${GRAPHKIT_OUT:-out}"
DIR="$(realpath -m "${VIRTUOSO_DIR:-$OUT/virtuoso}")"
MAX_ROWS="${VIRTUOSO_MAX_ROWS:-100000}"
QUERY_TIMEOUT="${VIRTUOSO_QUERY_TIMEOUT:-60}"
BUFFERS="${VIRTUOSO_BUFFERS:-20000}"
PY="${PYTHON:-.venv/bin/python}"
INI="$DIR/virtuoso.ini"
PIDFILE="$DIR/virtuoso.pid"
PWFILE="$DIR/dba.password"
BASE="http://127.0.0.1:$PORT"

say() { echo "virtuoso: $*" >&2; }
die() { echo "virtuoso: error: $*" >&2; exit 1; }

# ---- install -------------------------------------------------------------------------------------

cmd_install() {
  if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
    return 0
  fi
  say "installing Debian's virtuoso-opensource"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "virtuoso-opensource is not installed and there is no sudo: apt-get install virtuoso-opensource as root"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here: install OpenLink Virtuoso 7 (virtuoso-t and isql-vt on PATH) by hand"
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null \
    || die "apt-get install virtuoso-opensource failed"
  # The package starts its own system service (ports 1111/8890, admin password from debconf, often
  # dba/dba) where the init system allows it. graphkit runs its own server from $VIRTUOSO_DIR, so
  # the packaged one is stopped and kept from starting at boot.
  if [ -x /etc/init.d/virtuoso-opensource-7 ] && /etc/init.d/virtuoso-opensource-7 status >/dev/null 2>&1; then
    say "stopping and disabling the packaged system service (graphkit runs its own server)"
    $sudo /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
    $sudo update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true
    command -v systemctl >/dev/null 2>&1 && $sudo systemctl disable --now virtuoso-opensource-7 >/dev/null 2>&1 || true
  fi
  command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t is still missing after the install"
}

# ---- helpers -------------------------------------------------------------------------------------

alive() {  # process $1 exists and is not a zombie
  local stat
  stat="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

running_pid() {  # the server's pid when it runs, else nothing
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && alive "$pid" && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "virtuoso-t" ] && echo "$pid"
}

http_status() {  # HTTP status of GET $1 on the server (000 when nothing answers), curl-free
  local line
  line="$( { exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3 && head -n 1 <&3; } 2>/dev/null || true)"
  set -- $line
  echo "${2:-000}"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

isql() {  # run the SQL file $1 as dba; fail on any error the server reports
  local out
  out="$(isql-vt "127.0.0.1:$ISQL_PORT" dba "$(cat "$PWFILE")" VERBOSE=OFF BANNER=OFF PROMPT=OFF ECHO=OFF <"$1" 2>&1)" || true
  if grep -q '^\*\*\* Error' <<<"$out"; then
    echo "$out" >&2
    die "SQL failed (see above)"
  fi
  printf '%s\n' "$out"
}

sparql_csv() {  # an anonymous SPARQL query on /sparql, CSV on stdout
  "$PY" - "$BASE/sparql" "$1" <<'EOF'
import sys, urllib.parse, urllib.request
url = sys.argv[1] + "?" + urllib.parse.urlencode({"query": sys.argv[2]})
req = urllib.request.Request(url, headers={"Accept": "text/csv"})
with urllib.request.urlopen(req, timeout=60) as r:
    sys.stdout.write(r.read().decode("utf-8"))
EOF
}

write_ini() {
  cat >"$INI" <<EOF
; written by scripts/virtuoso.sh - regenerated at each start (edit the script's environment instead)
[Database]
DatabaseFile       = $DIR/virtuoso.db
ErrorLogFile       = $DIR/virtuoso.log
LockFile           = $DIR/virtuoso.lck
TransactionFile    = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DIR/virtuoso-temp.db
TransactionFile    = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort                = 127.0.0.1:$ISQL_PORT
LiteMode                  = 0
DisableUnixSocket         = 1
DisableTcpSocket          = 0
MaxClientConnections      = 10
CheckpointInterval        = 60
O_DIRECT                  = 0
CaseMode                  = 2
MaxStaticCursorRows       = 5000
CheckpointAuditTrail      = 0
AllowOSCalls              = 0
SchedulerInterval         = 10
DirsAllowed               = ., $DIR/load
ThreadCleanupInterval     = 0
ThreadThreshold           = 10
ResourcesCleanupInterval  = 0
FreeTextBatchSize         = 100000
SingleCPU                 = 0
PrefixResultNames         = 0
RdfFreeTextRulesSize      = 100
IndexTreeMaps             = 64
MaxQueryMem               = 1G
VectorSize                = 1000
MaxVectorSize             = 1000000
AdjustVectorSize          = 0
ThreadsPerQuery           = 2
AsyncQueueMaxThreads      = 4
NumberOfBuffers           = $BUFFERS
MaxDirtyBuffers           = $((BUFFERS * 3 / 4))

[HTTPServer]
ServerPort                = 127.0.0.1:$PORT
ServerRoot                = $DIR/vsp
MaxClientConnections      = 10
DavRoot                   = DAV
EnabledDavVSP             = 0
HTTPProxyEnabled          = 0
TempASPXDir               = 0
ServerThreads             = 10
MaxKeepAlives             = 10
KeepAliveTimeout          = 10
HTTPThreadSize            = 280000
HttpPrintWarningsInOutput = 0
Charset                   = UTF-8
EnabledGzipContent        = 1

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$PORT

[SPARQL]
ResultSetMaxRows           = $MAX_ROWS
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = $QUERY_TIMEOUT
DefaultQuery               = SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
DeferInferenceRulesInit    = 0
EOF
}

print_endpoints() {
  echo "SPARQL query endpoint : $BASE/sparql   (anonymous, read-only)"
  echo "SPARQL update endpoint: $BASE/sparql-auth   (HTTP digest auth: user dba, password in $PWFILE)"
  echo "Publish the last build: scripts/virtuoso.sh push   or   graphkit push --endpoint $BASE/sparql \\"
  echo "    --update-endpoint $BASE/sparql-auth --user dba --password \"\$(cat $PWFILE)\""
}

# ---- start ---------------------------------------------------------------------------------------

cmd_start() {
  cmd_install
  if pid="$(running_pid)"; then
    say "already running (pid $pid, $DIR)"
    print_endpoints
    return 0
  fi
  port_busy "$PORT" && die "port $PORT is in use: set VIRTUOSO_PORT to a free port"
  port_busy "$ISQL_PORT" && die "port $ISQL_PORT is in use: set VIRTUOSO_ISQL_PORT to a free port"
  umask 077
  mkdir -p "$DIR/load" "$DIR/vsp"
  write_ini
  rm -f "$DIR/virtuoso.lck"
  if [ ! -f "$DIR/virtuoso.db" ]; then
    # A new database: create it and set a random admin password in one offline run (the server
    # exits after the change without opening a port, so dba/dba never answers). 16 characters:
    # virtuoso-t silently ignores a longer +pwddba (the login then fails).
    head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16 >"$PWFILE"
    chmod 600 "$PWFILE"
    local pw
    pw="$(cat "$PWFILE")"
    (cd "$DIR" && virtuoso-t +configfile "$INI" +foreground +pwdold dba +pwddba "$pw" +pwddav "$pw" \
      >>"$DIR/server.out" 2>&1) || die "creating the database failed; see $DIR/virtuoso.log"
    grep -q "The DBA password is changed" "$DIR/virtuoso.log" || die "the admin password was not set; see $DIR/virtuoso.log"
    rm -f "$DIR/.secured"
  fi
  [ -s "$PWFILE" ] || die "$PWFILE is missing: remove $DIR to start from an empty database"
  (cd "$DIR" && exec setsid virtuoso-t +configfile "$INI" +foreground >>"$DIR/server.out" 2>&1 </dev/null) &
  echo $! >"$PIDFILE"
  local pid
  pid="$(cat "$PIDFILE")"
  local deadline=$((SECONDS + ${VIRTUOSO_START_TIMEOUT:-120}))
  until [ "$(http_status '/sparql?query=ASK%7B%7D')" = 200 ]; do
    if ! alive "$pid"; then
      tail -n 20 "$DIR/virtuoso.log" >&2 || true
      rm -f "$PIDFILE"
      die "the server exited while starting (log: $DIR/virtuoso.log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { kill "$pid" 2>/dev/null || true; die "no answer from $BASE/sparql within ${VIRTUOSO_START_TIMEOUT:-120} s"; }
    sleep 0.2
  done
  if [ ! -f "$DIR/.secured" ]; then
    secure_system_graphs
    touch "$DIR/.secured"
  fi
  say "running (pid $pid, data in $DIR)"
  print_endpoints
}

secure_system_graphs() {
  # Virtuoso keeps its own metadata as RDF graphs (virtrdf#, ldp#, the service description) and,
  # without FROM, answers over every graph: anonymous queries would see them in the union default
  # graph and in GRAPH ?g. They are made private graphs that the anonymous user cannot read; every
  # other graph (all that push loads) stays readable by everyone.
  local sql="$DIR/secure.sql" g
  echo "DB.DBA.RDF_GRAPH_GROUP_CREATE ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 1);" >"$sql"
  while IFS= read -r g; do
    g="${g//\"/}"; g="${g%$'\r'}"
    [ -n "$g" ] || continue
    echo "DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', '${g//\'/\'\'}');" >>"$sql"
  done < <(sparql_csv 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }' | tail -n +2)
  cat >>"$sql" <<'EOF'
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1, 0);
checkpoint;
EOF
  isql "$sql" >/dev/null
  rm -f "$sql"
}

# ---- push ----------------------------------------------------------------------------------------

cmd_push() {
  local file="${1:-$OUT/graph.nq}"
  [ -f "$file" ] || die "no built graph at $file: run graphkit build first (or give a .nq file)"
  case "$file" in *.nq) ;; *) die "$file: push loads N-Quads (.nq), such as out/graph.nq" ;; esac
  running_pid >/dev/null || die "the server is not running: scripts/virtuoso.sh start"
  local t0=$SECONDS
  local started
  started="$(date +%s.%N)"
  rm -f "$DIR/load/"*
  ln -f "$(realpath "$file")" "$DIR/load/graph.nq" 2>/dev/null || cp "$file" "$DIR/load/graph.nq"
  # the named graphs in the file (parsing it also checks it before anything is replaced)
  local graphs
  graphs="$("$PY" - "$DIR/load/graph.nq" <<'EOF'
import sys
import pyoxigraph as ox
names = set()
try:
    for q in ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_QUADS):
        if isinstance(q.graph_name, ox.NamedNode):
            names.add(q.graph_name.value)
except SyntaxError as e:
    sys.exit(f"virtuoso: error: {sys.argv[1]} is not valid N-Quads: {e}")
print("\n".join(sorted(names)))
EOF
  )" || die "cannot read $file"
  [ -n "$graphs" ] || die "$file has no named graphs"
  local sql="$DIR/push.sql" g
  {
    echo "log_enable (3, 1);"
    while IFS= read -r g; do
      echo "DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id ('${g//\'/\'\'}');"
    done <<<"$graphs"
    echo "DELETE FROM DB.DBA.LOAD_LIST WHERE LL_FILE LIKE '$DIR/load/%';"
    echo "ld_dir ('$DIR/load', 'graph.nq', 'urn:graphkit:default-graph');"
    echo "rdf_loader_run ();"
    echo "checkpoint;"
    echo "SELECT 'LOAD-ERROR', LL_FILE, LL_ERROR FROM DB.DBA.LOAD_LIST WHERE LL_ERROR IS NOT NULL;"
  } >"$sql"
  local out
  out="$(isql "$sql")"
  rm -f "$sql" "$DIR/load/graph.nq"
  if grep -q "LOAD-ERROR" <<<"$out"; then
    echo "$out" | grep "LOAD-ERROR" >&2
    die "the bulk loader refused $file (see above)"
  fi
  local seconds
  seconds="$("$PY" -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$started")"
  echo "Pushed $file to $BASE/sparql with the bulk loader in $seconds s; triples per named graph:"
  sparql_csv 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g' \
    | tail -n +2 | tr -d '"' | awk -F, '{ printf "  %9s  %s\n", $2, $1 }'
  : "$t0"
}

# ---- status / stop -------------------------------------------------------------------------------

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid, data in $DIR)"
    print_endpoints
    sparql_csv 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g' \
      | tail -n +2 | tr -d '"' | awk -F, '{ printf "  %9s  %s\n", $2, $1 }'
  else
    echo "not running (data in $DIR)"
    return 3
  fi
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PIDFILE"
    say "not running"
    return 0
  fi
  # a clean shutdown: checkpoint, then exit (falls back to signals if the SQL port does not answer)
  if [ -s "$PWFILE" ]; then
    timeout 30 isql-vt "127.0.0.1:$ISQL_PORT" dba "$(cat "$PWFILE")" -K >/dev/null 2>&1 || true
  fi
  local i
  for i in $(seq 1 150); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do alive "$pid" || break; sleep 0.2; done
  fi
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  alive "$pid" && die "process $pid is still running"
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  push) shift; cmd_push "$@" ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
