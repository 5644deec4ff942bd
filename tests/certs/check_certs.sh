#!/bin/sh
# ctest tls_certs: scenarios/certs/make-certs.sh still makes certificates that openssl verifies as
# the TLS scenarios need them, and the committed set (what the scenarios use) is such a set too.
# Usage: check_certs.sh SCENARIO_CERTS_DIR
set -eu
certs=$1
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
at() { date -u -d "$1" +%s; } # a UTC date as openssl -attime wants it

# $1: dir. Every check the scenarios rely on, at the scenarios' network time (2026-01-01 on).
check() {
    d=$1
    day1=$(at 2026-01-01T00:01:00Z)
    day4=$(at 2026-01-04T00:00:00Z)
    for c in server client wrong-host expires-day3; do
        openssl verify -attime "$day1" -CAfile "$d/ca.pem" "$d/$c.pem" >/dev/null || fail "$d/$c.pem not valid on day 1"
    done
    openssl verify -attime "$day4" -CAfile "$d/ca.pem" "$d/server.pem" >/dev/null || fail "$d/server.pem not valid on day 4"
    openssl verify -attime "$day4" -CAfile "$d/ca.pem" "$d/expires-day3.pem" 2>&1 | grep -q "certificate has expired" ||
        fail "$d/expires-day3.pem still valid on day 4"
    openssl verify -attime "$day1" -CAfile "$d/ca.pem" "$d/wrong-ca.pem" 2>&1 | grep -q "unable to get local issuer" ||
        fail "$d/wrong-ca.pem verifies against ca.pem"
    openssl verify -attime "$day1" -CAfile "$d/other-ca.pem" "$d/wrong-ca.pem" >/dev/null || fail "$d/wrong-ca.pem not other-ca's"
    openssl verify -attime "$day1" -verify_hostname secure.example -CAfile "$d/ca.pem" "$d/server.pem" >/dev/null ||
        fail "$d/server.pem is not secure.example's"
    openssl verify -attime "$day1" -verify_hostname secure.example -CAfile "$d/ca.pem" "$d/wrong-host.pem" 2>&1 |
        grep -q "hostname mismatch" || fail "$d/wrong-host.pem matches secure.example"
    openssl verify -attime "$day1" -purpose sslclient -CAfile "$d/ca.pem" "$d/client.pem" >/dev/null || fail "$d/client.pem is no client certificate"
    for c in server wrong-ca wrong-host expires-day3; do
        [ "$(openssl x509 -in "$d/$c.pem" -noout -pubkey)" = "$(openssl pkey -in "$d/server.key" -pubout)" ] ||
            fail "$d/$c.pem does not match server.key"
    done
    [ "$(openssl x509 -in "$d/client.pem" -noout -pubkey)" = "$(openssl pkey -in "$d/client.key" -pubout)" ] ||
        fail "$d/client.pem does not match client.key"
}

"$certs/make-certs.sh" "$fresh" >/dev/null
check "$fresh"
check "$certs"
echo "certificates OK"
