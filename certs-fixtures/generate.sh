#!/usr/bin/env bash
# Regenerates every generated TLS fixture under certs-fixtures/ from scratch.
#
#   bash certs-fixtures/generate.sh        (works from any cwd)
#
# Needs only the `openssl` CLI (written against OpenSSL 3.0) and coreutils.
# Validity dates are FIXED so tests are reproducible; keys and serial numbers
# are fresh random values on every run. All private keys are TEST-ONLY.
# `real/`, README.md and this script are never touched.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/chainscope-fixtures.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

GENERATED_DIRS=(
  rsa ecdsa ed25519 expired not-yet-valid wrong-order missing-intermediate
  self-signed ca-as-leaf wildcard ip-san name-constrained
  cn-only client-eku rsa1024 sha1 no-aki key-mismatch
  csr garbage
)

# --- fixed dates -------------------------------------------------------------
CA_START=20250101000000Z
CA_END=20450101000000Z
LEAF_START=20250601000000Z
LEAF_END=20350601000000Z
CRL_LAST=20250701000000Z
CRL_NEXT=20450101000000Z
REVOKED_AT=250615000000Z   # index.txt uses UTCTime (YYMMDDHHMMSSZ)

O="Chainscope Tests"

# A minimal config, so Debian's /etc/ssl/openssl.cnf does not leak in.
cat >"$TMP/base.cnf" <<'EOF'
[req]
distinguished_name = req_dn
prompt = no
[req_dn]
CN = placeholder
EOF
export OPENSSL_CONF="$TMP/base.cnf"

# --- helpers -----------------------------------------------------------------

# genkey TYPE OUT  -> unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY")
genkey() {
  local type=$1 out=$2
  case $type in
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out" ;;
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$out" ;;
    p256)    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$out" ;;
    p384)    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "$out" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$out" ;;
    *) echo "unknown key type $type" >&2; exit 1 ;;
  esac 2>/dev/null
  chmod 644 "$out"
}

# Digest for a signing key type ("default" = none for Ed25519).
md_for() { case $1 in ed25519) echo default ;; *) echo sha256 ;; esac; }

# ca_db NAME -> creates an `openssl ca` database in $TMP/ca/NAME, echoes its config
ca_db() {
  local d="$TMP/ca/$1"
  mkdir -p "$d/newcerts"
  : >"$d/index.txt"
  echo 01 >"$d/crlnumber"
  cat >"$d/ca.cnf" <<EOF
[ca]
default_ca = CA_default
[CA_default]
dir              = $d
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
crlnumber        = \$dir/crlnumber
default_md       = sha256
policy           = policy_any
unique_subject   = no
copy_extensions  = none
email_in_dn      = no
rand_serial      = yes
name_opt         = ca_default
cert_opt         = ca_default
crl_extensions   = crl_ext
[policy_any]
commonName       = optional
organizationName = optional
[crl_ext]
authorityKeyIdentifier = keyid:always
EOF
  echo "$d/ca.cnf"
}

# csr KEY SUBJ OUT
csr() { openssl req -new -key "$1" -subj "$2" -out "$3"; }

# sign CACNF CAKEY CACERT|"" CSR OUT START END EXTFILE MD   (CACERT "" = self-sign)
sign() {
  local cnf=$1 cakey=$2 cacert=$3 req=$4 out=$5 start=$6 end=$7 ext=$8 md=$9
  local issuer=(-selfsign)
  [[ -n $cacert ]] && issuer=(-cert "$cacert")
  openssl ca -batch -notext -preserveDN -rand_serial -config "$cnf" \
    "${issuer[@]}" -keyfile "$cakey" -md "$md" -in "$req" -out "$out" \
    -startdate "$start" -enddate "$end" -extfile "$ext" -extensions ext \
    2>"$TMP/ca.log" || { cat "$TMP/ca.log" >&2; exit 1; }
}

# Extension sections ----------------------------------------------------------
ext_root() {
  cat >"$1" <<EOF
[ext]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
}

# ext_inter OUT BASICCONSTRAINTS [NAMECONSTRAINTS]
ext_inter() {
  cat >"$1" <<EOF
[ext]
basicConstraints       = $2
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
  if [[ -n ${3:-} ]]; then echo "nameConstraints        = $3" >>"$1"; fi
}

# ext_leaf OUT KEYTYPE SAN EKU AIA_URL [AKI=yes] [BC] [KU]
#   SAN/AIA_URL may be "" to omit; KU defaults by key type.
ext_leaf() {
  local out=$1 kt=$2 san=$3 eku=$4 aia=$5 aki=${6:-yes} bc=${7:-CA:FALSE} ku=${8:-}
  if [[ -z $ku ]]; then
    case $kt in rsa*) ku="critical, digitalSignature, keyEncipherment" ;;
                *)    ku="critical, digitalSignature" ;; esac
  fi
  {
    echo "[ext]"
    echo "basicConstraints       = $bc"
    echo "keyUsage               = $ku"
    echo "extendedKeyUsage       = $eku"
    [[ -n $san ]] && echo "subjectAltName         = $san"
    echo "subjectKeyIdentifier   = hash"
    # openssl 3.0 `ca` adds an AKI by default; "none" is the way to suppress it.
    if [[ $aki == yes ]]; then echo "authorityKeyIdentifier = keyid:always"
    else echo "authorityKeyIdentifier = none"; fi
    [[ -n $aia ]] && echo "authorityInfoAccess    = caIssuers;URI:$aia"
    true
  } >"$out"
}

std_san() { echo "DNS:$1.chainscope.test, DNS:localhost, IP:127.0.0.1, IP:::1"; }
aia_url() { echo "http://127.0.0.1:1/$1-inter.der"; }

# make_ca DIR NAME KIND KEYTYPE [opts...]
#   Creates DIR/root.{pem,key}, DIR/inter.{pem,key}, DIR/inter.der and the
#   CA databases $TMP/ca/NAME-root, $TMP/ca/NAME-inter.
#   opts: root_start= root_end= inter_start= inter_end= inter_bc= inter_nc=
make_ca() {
  local dir=$1 name=$2 kind=$3 kt=$4; shift 4
  local root_start=$CA_START root_end=$CA_END inter_start=$CA_START inter_end=$CA_END
  local inter_bc="critical, CA:TRUE, pathlen:0" inter_nc=""
  local kv; for kv in "$@"; do local "$kv"; done
  local md; md=$(md_for "$kt")
  mkdir -p "$dir"

  genkey "$kt" "$dir/root.key"
  csr "$dir/root.key" "/O=$O/CN=Chainscope Test $kind Root CA" "$TMP/r.csr"
  ext_root "$TMP/r.ext"
  local rcnf; rcnf=$(ca_db "$name-root")
  sign "$rcnf" "$dir/root.key" "" "$TMP/r.csr" "$dir/root.pem" \
    "$root_start" "$root_end" "$TMP/r.ext" "$md"

  genkey "$kt" "$dir/inter.key"
  csr "$dir/inter.key" "/O=$O/CN=Chainscope Test $kind Intermediate CA" "$TMP/i.csr"
  ext_inter "$TMP/i.ext" "$inter_bc" "$inter_nc"
  sign "$rcnf" "$dir/root.key" "$dir/root.pem" "$TMP/i.csr" "$dir/inter.pem" \
    "$inter_start" "$inter_end" "$TMP/i.ext" "$md"
  ca_db "$name-inter" >/dev/null
  echo "$kt" >"$TMP/ca/$name-inter/keytype"
  openssl x509 -in "$dir/inter.pem" -outform DER -out "$dir/inter.der"
}

# issue DIR NAME KEYTYPE PREFIX SUBJ EXTFILE [start] [end] [md]
#   Signs a new key DIR/PREFIX.key with DIR/inter.key -> DIR/PREFIX.pem
issue() {
  local dir=$1 name=$2 kt=$3 prefix=$4 subj=$5 ext=$6
  local start=${7:-$LEAF_START} end=${8:-$LEAF_END} md=${9:-}
  if [[ -z $md ]]; then md=$(md_for "$(cat "$TMP/ca/$name-inter/keytype")"); fi
  genkey "$kt" "$dir/$prefix.key"
  csr "$dir/$prefix.key" "$subj" "$TMP/l.csr"
  sign "$TMP/ca/$name-inter/ca.cnf" "$dir/inter.key" "$dir/inter.pem" "$TMP/l.csr" \
    "$dir/$prefix.pem" "$start" "$end" "$ext" "$md"
}

# bundles DIR -> chain.pem (leaf, inter) and fullchain-with-root.pem (leaf, inter, root)
bundles() {
  cat "$1/leaf.pem" "$1/inter.pem" >"$1/chain.pem"
  cat "$1/leaf.pem" "$1/inter.pem" "$1/root.pem" >"$1/fullchain-with-root.pem"
}

# std_chain DIR NAME KIND KEYTYPE : a complete good chain with the standard leaf
std_chain() {
  local dir=$1 name=$2 kind=$3 kt=$4
  make_ca "$dir" "$name" "$kind" "$kt"
  ext_leaf "$TMP/l.ext" "$kt" "$(std_san "$name")" "serverAuth, clientAuth" "$(aia_url "$name")"
  issue "$dir" "$name" "$kt" leaf "/CN=$name.chainscope.test" "$TMP/l.ext"
  bundles "$dir"
}

# --- wipe generated dirs -----------------------------------------------------
for d in "${GENERATED_DIRS[@]}"; do rm -rf "${HERE:?}/$d"; done

# --- good chains -------------------------------------------------------------
echo "== rsa"
D=$HERE/rsa
std_chain "$D" rsa RSA rsa2048
openssl x509 -in "$D/leaf.pem" -outform DER -out "$D/leaf.der"
openssl crl2pkcs7 -nocrl -certfile "$D/chain.pem" -outform DER -out "$D/chain.p7b"
openssl crl2pkcs7 -nocrl -certfile "$D/chain.pem" -outform PEM -out "$D/chain.p7b.pem"
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:chainscope -in "$D/leaf.key" -out "$D/leaf.enc.key"
openssl rsa -in "$D/leaf.key" -traditional -out "$D/leaf.rsa.key" 2>/dev/null
{ openssl x509 -in "$D/leaf.pem" -text; openssl x509 -in "$D/inter.pem" -text; } >"$D/chain-with-text.pem"
openssl x509 -in "$D/root.pem" -trustout -addtrust serverAuth -out "$D/trusted.pem"
# CRLs: root and inter, both empty
RCNF=$TMP/ca/rsa-root/ca.cnf ICNF=$TMP/ca/rsa-inter/ca.cnf
openssl ca -batch -gencrl -config "$RCNF" -cert "$D/root.pem" -keyfile "$D/root.key" -md sha256 \
  -crl_lastupdate "$CRL_LAST" -crl_nextupdate "$CRL_NEXT" -out "$D/root.crl.pem" 2>/dev/null
openssl ca -batch -gencrl -config "$ICNF" -cert "$D/inter.pem" -keyfile "$D/inter.key" -md sha256 \
  -crl_lastupdate "$CRL_LAST" -crl_nextupdate "$CRL_NEXT" -out "$D/inter.crl.pem" 2>/dev/null
# revoked leaf + a CRL revoking it (keyCompromise), revocation date fixed
ext_leaf "$TMP/l.ext" rsa2048 "$(std_san rsa)" "serverAuth, clientAuth" "$(aia_url rsa)"
issue "$D" rsa rsa2048 revoked-leaf "/CN=revoked.chainscope.test" "$TMP/l.ext"
openssl ca -batch -config "$ICNF" -cert "$D/inter.pem" -keyfile "$D/inter.key" \
  -revoke "$D/revoked-leaf.pem" -crl_reason keyCompromise 2>/dev/null
awk -F'\t' -v OFS='\t' -v t="$REVOKED_AT" '$1=="R"{sub(/^[0-9]+Z/, t, $3)}1' \
  "$TMP/ca/rsa-inter/index.txt" >"$TMP/idx" && cp "$TMP/idx" "$TMP/ca/rsa-inter/index.txt"
openssl ca -batch -gencrl -config "$ICNF" -cert "$D/inter.pem" -keyfile "$D/inter.key" -md sha256 \
  -crl_lastupdate "$CRL_LAST" -crl_nextupdate "$CRL_NEXT" -out "$D/inter-revoking.crl.pem" 2>/dev/null

echo "== ecdsa"
D=$HERE/ecdsa
std_chain "$D" ecdsa ECDSA p256
ext_leaf "$TMP/l.ext" p384 "$(std_san ecdsa)" "serverAuth, clientAuth" "$(aia_url ecdsa)"
issue "$D" ecdsa p384 p384-leaf "/CN=ecdsa.chainscope.test" "$TMP/l.ext"

echo "== ed25519"
std_chain "$HERE/ed25519" ed25519 Ed25519 ed25519

# --- validity-period defects -------------------------------------------------
echo "== expired"
D=$HERE/expired
# CA valid 2019..2045 so that the leaf's window is the only defect, whatever --at is used.
make_ca "$D" expired Expired p256 root_start=20190101000000Z inter_start=20190101000000Z
ext_leaf "$TMP/l.ext" p256 "$(std_san expired)" "serverAuth, clientAuth" "$(aia_url expired)"
issue "$D" expired p256 leaf "/CN=expired.chainscope.test" "$TMP/l.ext" 20200101000000Z 20210101000000Z
bundles "$D"

echo "== expired/inter-expired"
D=$HERE/expired/inter-expired
make_ca "$D" inter-expired "Expired-Intermediate" p256 root_start=20190101000000Z \
  inter_start=20200101000000Z inter_end=20210101000000Z
ext_leaf "$TMP/l.ext" p256 "$(std_san inter-expired)" "serverAuth, clientAuth" "$(aia_url inter-expired)"
issue "$D" inter-expired p256 leaf "/CN=inter-expired.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== not-yet-valid"
D=$HERE/not-yet-valid
# CA valid 2025..2099 so that only the leaf's notBefore is the defect.
make_ca "$D" not-yet-valid Not-Yet-Valid p256 root_end=20991231235959Z inter_end=20991231235959Z
ext_leaf "$TMP/l.ext" p256 "$(std_san not-yet-valid)" "serverAuth, clientAuth" "$(aia_url not-yet-valid)"
issue "$D" not-yet-valid p256 leaf "/CN=not-yet-valid.chainscope.test" "$TMP/l.ext" 20900101000000Z 20950101000000Z
bundles "$D"

# --- chain-shape defects -----------------------------------------------------
echo "== wrong-order"
D=$HERE/wrong-order
std_chain "$D" wrong-order Wrong-Order p256
cat "$D/inter.pem" "$D/leaf.pem" >"$D/chain.pem"   # inter first: the defect

echo "== missing-intermediate"
D=$HERE/missing-intermediate
std_chain "$D" missing-intermediate Missing-Intermediate p256
cp "$D/leaf.pem" "$D/chain.pem"                     # leaf only: the defect

echo "== self-signed"
D=$HERE/self-signed
mkdir -p "$D"
genkey p256 "$D/key.pem"
csr "$D/key.pem" "/CN=self-signed.chainscope.test" "$TMP/s.csr"
ext_leaf "$TMP/s.ext" p256 "DNS:self-signed.chainscope.test, DNS:localhost, IP:127.0.0.1" "serverAuth" ""
sign "$(ca_db self-signed)" "$D/key.pem" "" "$TMP/s.csr" "$D/cert.pem" "$LEAF_START" "$LEAF_END" "$TMP/s.ext" sha256

echo "== ca-as-leaf"
D=$HERE/ca-as-leaf
# The intermediate has NO pathlen limit here; the "leaf" is issued by the intermediate.
make_ca "$D" ca-as-leaf CA-as-Leaf p256 "inter_bc=critical, CA:TRUE"
ext_leaf "$TMP/l.ext" p256 "$(std_san ca-as-leaf)" "serverAuth, clientAuth" "$(aia_url ca-as-leaf)" yes \
  "critical, CA:TRUE" "critical, digitalSignature, keyCertSign, cRLSign"
issue "$D" ca-as-leaf p256 leaf "/CN=ca-as-leaf.chainscope.test" "$TMP/l.ext"
bundles "$D"

# --- name shapes -------------------------------------------------------------
echo "== wildcard"
D=$HERE/wildcard
make_ca "$D" wildcard Wildcard p256
ext_leaf "$TMP/l.ext" p256 "DNS:*.wild.chainscope.test, DNS:wild.chainscope.test" "serverAuth, clientAuth" "$(aia_url wildcard)"
issue "$D" wildcard p256 leaf "/CN=*.wild.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== ip-san"
D=$HERE/ip-san
make_ca "$D" ip-san IP-SAN p256
ext_leaf "$TMP/l.ext" p256 "IP:127.0.0.1, IP:::1, IP:10.1.2.3" "serverAuth, clientAuth" "$(aia_url ip-san)"
issue "$D" ip-san p256 leaf "/CN=ip-san.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== name-constrained"
D=$HERE/name-constrained
# The critical nameConstraints extension is on the INTERMEDIATE.
make_ca "$D" name-constrained Name-Constrained p256 \
  "inter_nc=critical, permitted;DNS:.allowed.chainscope.test, permitted;DNS:allowed.chainscope.test, permitted;IP:127.0.0.0/255.0.0.0"
ext_leaf "$TMP/l.ext" p256 "DNS:good.allowed.chainscope.test, IP:127.0.0.1" "serverAuth, clientAuth" "$(aia_url name-constrained)"
issue "$D" name-constrained p256 leaf "/CN=good.allowed.chainscope.test" "$TMP/l.ext"
ext_leaf "$TMP/l.ext" p256 "DNS:evil.example.com" "serverAuth, clientAuth" "$(aia_url name-constrained)"
issue "$D" name-constrained p256 bad-leaf "/CN=evil.example.com" "$TMP/l.ext"
bundles "$D"
cat "$D/bad-leaf.pem" "$D/inter.pem" >"$D/bad-chain.pem"

# --- single-defect (preflight) chains ----------------------------------------
echo "== cn-only"
D=$HERE/cn-only
make_ca "$D" cn-only CN-Only p256
ext_leaf "$TMP/l.ext" p256 "" "serverAuth, clientAuth" "$(aia_url cn-only)"
issue "$D" cn-only p256 leaf "/CN=cn-only.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== client-eku"
D=$HERE/client-eku
make_ca "$D" client-eku Client-EKU p256
ext_leaf "$TMP/l.ext" p256 "$(std_san client-eku)" "clientAuth" "$(aia_url client-eku)"
issue "$D" client-eku p256 leaf "/CN=client-eku.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== rsa1024"
D=$HERE/rsa1024
make_ca "$D" rsa1024 RSA1024 rsa2048
ext_leaf "$TMP/l.ext" rsa1024 "$(std_san rsa1024)" "serverAuth, clientAuth" "$(aia_url rsa1024)"
issue "$D" rsa1024 rsa1024 leaf "/CN=rsa1024.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== sha1"
D=$HERE/sha1
make_ca "$D" sha1 SHA1 rsa2048
ext_leaf "$TMP/l.ext" rsa2048 "$(std_san sha1)" "serverAuth, clientAuth" "$(aia_url sha1)"
issue "$D" sha1 rsa2048 leaf "/CN=sha1.chainscope.test" "$TMP/l.ext" "$LEAF_START" "$LEAF_END" sha1
bundles "$D"

echo "== no-aki"
D=$HERE/no-aki
make_ca "$D" no-aki No-AKI p256
ext_leaf "$TMP/l.ext" p256 "$(std_san no-aki)" "serverAuth, clientAuth" "$(aia_url no-aki)" no
issue "$D" no-aki p256 leaf "/CN=no-aki.chainscope.test" "$TMP/l.ext"
bundles "$D"

echo "== key-mismatch"
D=$HERE/key-mismatch
std_chain "$D" key-mismatch Key-Mismatch p256
genkey p256 "$D/leaf.key"                           # a different P-256 key: the defect

# --- CSRs --------------------------------------------------------------------
echo "== csr"
D=$HERE/csr
mkdir -p "$D"
genkey p256 "$D/request.key"
openssl req -new -key "$D/request.key" -sha256 -subj "/CN=device.hospital.local" \
  -addext "subjectAltName = DNS:device.hospital.local, IP:10.1.2.3" \
  -addext "extendedKeyUsage = serverAuth" -out "$D/request.pem"
# bad-signature.pem: flip the last byte of the DER (inside the signature BIT
# STRING: the last byte of the ECDSA `s` INTEGER), keep the DER structure intact.
openssl req -in "$D/request.pem" -outform DER -out "$TMP/req.der"
n=$(wc -c <"$TMP/req.der")
last=$(od -An -tu1 -j $((n - 1)) -N1 "$TMP/req.der" | tr -d ' ')
printf "\\$(printf '%03o' $((last ^ 0xff)))" |
  dd of="$TMP/req.der" bs=1 seek=$((n - 1)) conv=notrunc status=none
{ echo "-----BEGIN CERTIFICATE REQUEST-----"; openssl base64 -e -in "$TMP/req.der"
  echo "-----END CERTIFICATE REQUEST-----"; } >"$D/bad-signature.pem"

# --- garbage -----------------------------------------------------------------
echo "== garbage"
D=$HERE/garbage
mkdir -p "$D"
# 300 pseudo-random bytes, deterministic (AES-128-CTR keystream under a fixed key).
head -c 300 /dev/zero | openssl enc -aes-128-ctr -nosalt \
  -K 00112233445566778899aabbccddeeff -iv 000102030405060708090a0b0c0d0e0f >"$D/not-a-cert.bin"
genkey p256 "$D/server.key"
head -c 800 "$HERE/rsa/leaf.der" >"$D/truncated.der"
{ cat "$HERE/rsa/leaf.pem"
  echo "-----BEGIN CERTIFICATE-----"
  head -c 192 "$D/not-a-cert.bin" | openssl base64 -e
  echo "-----END CERTIFICATE-----"
  cat "$HERE/rsa/inter.pem"; } >"$D/one-bad-block.pem"
: >"$D/empty.pem"

# --- self-checks (fail the script if a fixture is not what it claims) --------
echo "== checks"
ok()   { openssl verify -CAfile "$1/root.pem" -untrusted "$1/inter.pem" "$1/${2:-leaf.pem}" >/dev/null 2>&1 \
           || { echo "FAIL: expected $1/${2:-leaf.pem} to verify" >&2; exit 1; }; }
notok(){ ! openssl verify -CAfile "$1/root.pem" -untrusted "$1/inter.pem" "$1/${2:-leaf.pem}" >/dev/null 2>&1 \
           || { echo "FAIL: expected $1/${2:-leaf.pem} NOT to verify" >&2; exit 1; }; }
for d in rsa ecdsa ed25519 wrong-order missing-intermediate ca-as-leaf wildcard ip-san \
         name-constrained cn-only client-eku rsa1024 no-aki key-mismatch; do ok "$HERE/$d"; done
ok "$HERE/rsa" revoked-leaf.pem
ok "$HERE/ecdsa" p384-leaf.pem
notok "$HERE/expired"; notok "$HERE/expired/inter-expired"; notok "$HERE/not-yet-valid"
notok "$HERE/name-constrained" bad-leaf.pem
openssl verify -crl_check -CRLfile "$HERE/rsa/inter-revoking.crl.pem" -CAfile "$HERE/rsa/root.pem" \
  -untrusted "$HERE/rsa/inter.pem" "$HERE/rsa/revoked-leaf.pem" >/dev/null 2>&1 \
  && { echo "FAIL: revoked-leaf not revoked by inter-revoking.crl.pem" >&2; exit 1; }
# (`openssl req -verify` exits 0 either way in 3.0, so read its message)
openssl req -verify -noout -in "$HERE/csr/request.pem" 2>&1 | grep "verify OK" >/dev/null \
  || { echo "FAIL: csr/request.pem does not verify" >&2; exit 1; }
openssl req -verify -noout -in "$HERE/csr/bad-signature.pem" 2>&1 | grep "verify failure" >/dev/null \
  || { echo "FAIL: csr/bad-signature.pem still verifies" >&2; exit 1; }
[[ $(openssl pkey -in "$HERE/key-mismatch/leaf.key" -pubout) != \
   $(openssl x509 -in "$HERE/key-mismatch/leaf.pem" -noout -pubkey) ]] \
  || { echo "FAIL: key-mismatch key matches" >&2; exit 1; }
echo "all fixtures regenerated in $HERE"
