#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for CI and for a developer (issue 15).
#
#   .ci/postgres.sh start DIR   initdb into DIR/data (as OS user postgres), start it on a free port
#                               listening on 127.0.0.1 and on a Unix socket in DIR, create database
#                               `madoguchi`, write DIR/env (source it before `swift test`)
#   .ci/postgres.sh stop DIR    pg_ctl stop -m fast, whatever state the cluster is in
#
# pg_hba.conf:   local all postgres peer
#                local madoguchi all peer map=madoguchi
#                host  madoguchi all 127.0.0.1/32 scram-sha-256
# pg_ident.conf (map `madoguchi`): every OS account in MADOGUCHI_PG_ACCOUNTS (space separated;
# created with useradd -m when missing) as the role of the same name, and any "os:role" pair given
# there. The OS account running this script (root in CI) is mapped to a role of its own name, created
# as a superuser: it is the administrator the tests and `madoguchi db` use (peer, never a password).
# MADOGUCHI_BIN=/path/to/madoguchi runs `madoguchi db init` on the new database (otherwise the tests do).
#
# TLS on the TCP listener with a throwaway CA (DIR/tls/ca.pem) and a certificate for 127.0.0.1.
# DIR/env exports MADOGUCHI_TEST_PG_SOCKET_DIR, MADOGUCHI_TEST_PG_PORT, MADOGUCHI_TEST_PG_DATABASE,
# MADOGUCHI_TEST_PG_ADMIN_ROLE and MADOGUCHI_TEST_PG_CA_FILE (when openssl is there). DIR is 0755 (the socket is there: other OS accounts must reach it);
# DIR/data is 0700.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$(realpath -m "$2")

bindir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

as_postgres() { runuser -u postgres -- "$@"; }

case "$cmd" in
stop)
  bin=$(bindir || true)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  exit 0
  ;;
start) ;;
*) usage ;;
esac

if [ -z "$(bindir || true)" ]; then
  echo "installing: postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
bin=$(bindir)
# Debian's package starts no cluster of its own here (policy-rc.d), and we use none of its clusters.

if [ -e "$dir/data" ]; then echo "$dir/data exists already: give an empty or new folder" >&2; exit 1; fi
mkdir -p "$dir"
chown postgres: "$dir"
chmod 0755 "$dir"

# A free TCP port on 127.0.0.1.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    local p
    for _ in $(seq 200); do
      p=$((20000 + RANDOM % 20000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    echo 54329
  fi
}
port=$(free_port)

as_postgres "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
  --auth-local=peer --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
chmod 0700 "$dir/data"

cat >>"$dir/data/postgresql.conf" <<EOF

# .ci/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
password_encryption = 'scram-sha-256'
fsync = on
log_connections = on
EOF

cat >"$dir/data/pg_hba.conf" <<EOF
# .ci/postgres.sh: the administrator by peer, the office's staff by peer through map "madoguchi",
# and by SCRAM from 127.0.0.1.
local   all         postgres                 peer
local   madoguchi   all                      peer map=madoguchi
host    madoguchi   all       127.0.0.1/32   scram-sha-256
EOF

admin=$(id -un)
{
  echo "# MAPNAME  SYSTEM-USERNAME  PG-USERNAME  (.ci/postgres.sh)"
  echo "madoguchi  $admin  $admin"
  for account in ${MADOGUCHI_PG_ACCOUNTS:-}; do
    os=${account%%:*}; role=${account#*:}
    if ! id -u "$os" >/dev/null 2>&1; then useradd -m "$os"; fi
    echo "madoguchi  $os  $role"
  done
} >"$dir/data/pg_ident.conf"
chown postgres: "$dir/data/pg_hba.conf" "$dir/data/pg_ident.conf"

# TLS for the TCP listener (the tests connect with TLS required against this CA): a throwaway CA and
# a server certificate for 127.0.0.1 and localhost, EC P-256, valid 7 days. Without openssl: no TLS.
tls_ca=
if command -v openssl >/dev/null 2>&1; then
  mkdir -p "$dir/tls"
  (
    cd "$dir/tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 \
      -subj "/CN=madoguchi test CA" -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
      -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 \
      -extfile server.ext -out server.pem 2>/dev/null
    rm -f server.csr server.ext ca.srl ca.key
  )
  chown postgres: "$dir/tls/server.key" "$dir/tls/server.pem"
  chmod 0600 "$dir/tls/server.key"
  chmod 0644 "$dir/tls/ca.pem" "$dir/tls/server.pem"
  cat >>"$dir/data/postgresql.conf" <<EOF
ssl = on
ssl_cert_file = '$dir/tls/server.pem'
ssl_key_file = '$dir/tls/server.key'
EOF
  tls_ca="$dir/tls/ca.pem"
fi

as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start >/dev/null \
  || { cat "$dir/log" >&2; exit 1; }

psql_postgres() { as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_postgres -d postgres -c "CREATE DATABASE madoguchi"
# The administrator (the account running this script, root in CI): a superuser role of its own name,
# reached by peer through map "madoguchi". `madoguchi db` defaults to it.
if [ "$admin" != postgres ]; then
  psql_postgres -d postgres -c "CREATE ROLE \"$admin\" LOGIN SUPERUSER"
fi

cat >"$dir/env" <<EOF
export MADOGUCHI_TEST_PG_SOCKET_DIR='$dir'
export MADOGUCHI_TEST_PG_PORT=$port
export MADOGUCHI_TEST_PG_DATABASE=madoguchi
export MADOGUCHI_TEST_PG_ADMIN_ROLE='$admin'
export MADOGUCHI_TEST_PG_ACCOUNTS='${MADOGUCHI_PG_ACCOUNTS:-}'
EOF
if [ -n "$tls_ca" ]; then echo "export MADOGUCHI_TEST_PG_CA_FILE='$tls_ca'" >>"$dir/env"; fi

if [ -n "${MADOGUCHI_BIN:-}" ]; then
  "$MADOGUCHI_BIN" db init --socket-dir "$dir" --port "$port" --database madoguchi
fi
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $dir (port $port); source $dir/env"
