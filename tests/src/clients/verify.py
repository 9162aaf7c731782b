"""The Python verifier of chainscope's differential client test.

For each chain, a real TLS handshake between two in-memory ssl.SSLObjects (no sockets):
the server presents chain.pem with leaf.key, the client is ssl.create_default_context()
with cafile=roots.pem and server_hostname=host, once with its default verify_flags and
once with VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN added (the default of
Python >= 3.13). Python's ssl cannot take a validation time: the corpus is built around
the current time with windows of days.

Reads lines "id<TAB>dir<TAB>host" on stdin; writes one JSON object per line and mode:
{"id", "mode": "default"|"strict", "accepts", "detail"}.
"""

import json
import ssl
import sys


def handshake(directory, host, strict):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # The server side only presents: let it load any key size and signature.
    server.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        server.load_cert_chain(directory + "/chain.pem", directory + "/leaf.key")
    except (ssl.SSLError, OSError) as e:
        return None, "harness: server cannot load the chain: %s" % e
    client = ssl.create_default_context(cafile=directory + "/roots.pem")
    if strict:
        client.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    c = client.wrap_bio(c_in, c_out, server_hostname=host)
    s = server.wrap_bio(s_in, s_out, server_side=True)
    c_done = s_done = False
    for _ in range(50):
        if not c_done:
            try:
                c.do_handshake()
                c_done = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLCertVerificationError as e:
                return False, "%d %s" % (e.verify_code, e.verify_message)
            except ssl.SSLError as e:
                return None, "harness: client handshake failed: %s" % e
        s_in.write(c_out.read())
        if not s_done:
            try:
                s.do_handshake()
                s_done = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLError as e:
                # The client's alert after a failed verification reaches the server first
                # only when the client already raised; anything else is a harness problem.
                return None, "harness: server handshake failed: %s" % e
        c_in.write(s_out.read())
        if c_done and s_done:
            return True, "ok"
    return None, "harness: handshake did not finish"


def main():
    out = sys.stdout
    probe = ssl.create_default_context()
    out.write(json.dumps({"meta": {
        "python": sys.version.split()[0],
        "openssl": ssl.OPENSSL_VERSION,
        "security_level": probe.security_level,
        "verify_flags": int(probe.verify_flags),
        "hostname_checks_common_name": probe.hostname_checks_common_name,
    }}) + "\n")
    for line in sys.stdin:
        ident, directory, host = line.rstrip("\n").split("\t")
        for mode, strict in (("default", False), ("strict", True)):
            accepts, detail = handshake(directory, host, strict)
            out.write(json.dumps({"id": ident, "mode": mode, "accepts": accepts, "detail": detail}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
