#!/bin/sh
# The certificates of the TLS scenarios (scenarios/tls_*.yaml), made with the openssl command line
# (OpenSSL 3.0). The generated files are committed; run this to make a fresh set:
#
#   scenarios/certs/make-certs.sh [DIR]      # DIR: where to write them (default: this script's folder)
#
# What it writes (RSA 2048 keys, SHA-256; every server certificate uses server.key):
#   ca.pem, ca.key                the CA the device trusts (AT+SSLCRT=0), CN "dtu-sim scenario CA"
#   server.pem                    the server: CN secure.example; SAN DNS secure.example,
#                                 broker.example, mqtt.example, localhost, IP 127.0.0.1
#   other-ca.pem, other-ca.key    an unrelated CA
#   wrong-ca.pem                  as server.pem, signed by other-ca (the device refuses: wrong CA)
#   wrong-host.pem                CN and SAN DNS wrong.example (refused: hostname mismatch)
#   expires-day3.pem              as server.pem, valid 2026-01-01 00:00 to 2026-01-03 12:00 UTC: a
#                                 scenario's network time starts at 2026-01-01, so it is good on
#                                 day 1 and expired from day 3 noon
#   client.pem, client.key        the device's certificate for AT+SSLAUTH=ALL: CN dtu-device,
#                                 clientAuth, signed by ca
# The CAs, server.pem, wrong-ca.pem, wrong-host.pem and client.pem are valid 2025-01-01 to
# 2045-01-01, so they also work in real time (--real-time checks them against the host's clock).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

long_start=20250101000000Z
long_end=20450101000000Z

# `openssl ca` needs a database and a config; SANs come from the requests.
ca_config() { # $1: name of the CA (its files in $out)
    mkdir -p "$work/$1"
    : >"$work/$1/index.txt"
    echo 1000 >"$work/$1/serial"
    cat >"$work/$1.cnf" <<CNF
[ ca ]
default_ca = this_ca
[ this_ca ]
database = $work/$1/index.txt
new_certs_dir = $work/$1
serial = $work/$1/serial
certificate = $out/$1.pem
private_key = $out/$1.key
default_md = sha256
policy = any_name
copy_extensions = copy
unique_subject = no
[ any_name ]
commonName = supplied
[ ca_cert ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ server_cert ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
[ client_cert ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
CNF
}

# A self-signed CA valid from long before the scenarios' 2026-01-01 (`openssl req -x509` of
# OpenSSL 3.0 can only start at the host's now).
make_ca() { # $1: file name, $2: CN
    ca_config "$1"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/$1.key" 2>/dev/null
    openssl req -new -key "$out/$1.key" -subj "/CN=$2" -out "$work/$1.csr" 2>/dev/null
    openssl ca -batch -notext -selfsign -config "$work/$1.cnf" -keyfile "$out/$1.key" -extensions ca_cert \
        -startdate $long_start -enddate $long_end -in "$work/$1.csr" -out "$out/$1.pem" 2>/dev/null
}

# $1: CA, $2: output name, $3: key file, $4: CN, $5: SAN, $6: extensions, $7: start, $8: end
sign() {
    openssl req -new -key "$3" -subj "/CN=$4" -addext "subjectAltName=$5" -out "$work/$2.csr" 2>/dev/null
    openssl ca -batch -notext -config "$work/$1.cnf" -extensions "$6" -startdate "$7" -enddate "$8" \
        -in "$work/$2.csr" -out "$out/$2.pem" 2>/dev/null
}

names="DNS:secure.example,DNS:broker.example,DNS:mqtt.example,DNS:localhost,IP:127.0.0.1"

make_ca ca "dtu-sim scenario CA"
make_ca other-ca "dtu-sim other CA"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/server.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/client.key" 2>/dev/null

sign ca server "$out/server.key" secure.example "$names" server_cert $long_start $long_end
sign other-ca wrong-ca "$out/server.key" secure.example "$names" server_cert $long_start $long_end
sign ca wrong-host "$out/server.key" wrong.example "DNS:wrong.example" server_cert $long_start $long_end
sign ca expires-day3 "$out/server.key" secure.example "$names" server_cert 20260101000000Z 20260103120000Z
sign ca client "$out/client.key" dtu-device "DNS:dtu-device" client_cert $long_start $long_end
echo "certificates written to $out"
