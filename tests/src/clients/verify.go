// The Go verifier of chainscope's differential client test: crypto/x509 Verify exactly as
// crypto/tls does it for a client (Roots from the trust file, Intermediates from what the
// server sent, DNSName, KeyUsages defaulting to serverAuth).
//
// Reads lines "id<TAB>dir<TAB>host<TAB>unix-seconds" on stdin; for each writes one JSON
// object {"id","accepts","detail"} on stdout. dir holds roots.pem and chain.pem (leaf first).
package main

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

type result struct {
	ID      string `json:"id"`
	Accepts bool   `json:"accepts"`
	Detail  string `json:"detail"`
}

func blocks(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out, nil
		}
		if b.Type == "CERTIFICATE" {
			out = append(out, b.Bytes)
		}
	}
}

func verify(dir, host string, at time.Time) (bool, string) {
	roots := x509.NewCertPool()
	rootDer, err := blocks(dir + "/roots.pem")
	if err != nil {
		return false, "harness: " + err.Error()
	}
	// As CertPool.AppendCertsFromPEM: a root that does not parse is skipped.
	for _, der := range rootDer {
		if c, err := x509.ParseCertificate(der); err == nil {
			roots.AddCert(c)
		}
	}
	chainDer, err := blocks(dir + "/chain.pem")
	if err != nil || len(chainDer) == 0 {
		return false, "harness: no chain"
	}
	// As crypto/tls (handshake_client.go verifyServerCertificate): every certificate the
	// server sent must parse, or the handshake fails.
	var chain []*x509.Certificate
	for _, der := range chainDer {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return false, "tls: failed to parse certificate from server: " + err.Error()
		}
		chain = append(chain, c)
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err = chain[0].Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		DNSName:       host,
		CurrentTime:   at,
	})
	if err != nil {
		return false, err.Error()
	}
	return true, "ok"
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	enc := json.NewEncoder(os.Stdout)
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		if len(f) != 4 {
			fmt.Fprintln(os.Stderr, "bad line:", in.Text())
			os.Exit(2)
		}
		secs, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad time:", f[3])
			os.Exit(2)
		}
		ok, detail := verify(f[1], f[2], time.Unix(secs, 0))
		if err := enc.Encode(result{ID: f[0], Accepts: ok, Detail: detail}); err != nil {
			os.Exit(2)
		}
	}
}
