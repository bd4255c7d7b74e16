package main

import (
	"os"
	"time"

	javadb "github.com/aquasecurity/trivy-java-db/pkg/db"
	_ "modernc.org/sqlite" // the database/sql driver trivy-java-db opens ("sqlite")
)

// writeJavaDB writes an empty Java DB with trivy-java-db's schema: trivy opens it only when it
// finds a Java archive, and `--skip-java-db-update` refuses to run without one on disk.
func writeJavaDB(dir string, updatedAt, nextUpdate time.Time) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	d, err := javadb.New(dir)
	if err != nil {
		return err
	}
	if err := d.Init(); err != nil {
		return err
	}
	if err := d.Close(); err != nil {
		return err
	}
	meta := javadb.NewMetadata(dir)
	return meta.Update(javadb.Metadata{
		Version:      javadb.SchemaVersion,
		NextUpdate:   nextUpdate,
		UpdatedAt:    updatedAt,
		DownloadedAt: updatedAt,
	})
}
