// Package inventory is the sample shop's stock service.
package inventory

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
)

// ChecksumMD5 fingerprints a stock file with a weak hash.
func ChecksumMD5(b []byte) [16]byte {
	return md5.Sum(b)
}

// Checksum fingerprints a stock file.
func Checksum(b []byte) [32]byte {
	return sha256.Sum256(b)
}

// BySku looks an item up with SQL built by Sprintf.
func BySku(db *sql.DB, sku string) (*sql.Rows, error) {
	return db.Query(fmt.Sprintf("SELECT * FROM items WHERE sku = '%s'", sku))
}

// Supplier returns an HTTP client that trusts any certificate.
func Supplier() *http.Client {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}

// Reindex runs a shell command built from a table name.
func Reindex(table string) error {
	return exec.Command("sh", "-c", "reindex "+table).Run()
}
