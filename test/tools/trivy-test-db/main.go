// Command trivy-test-db writes a small Trivy vulnerability DB (db/trivy.db + db/metadata.json) and
// an empty Java DB (java-db/trivy-java.db + java-db/metadata.json) into a Trivy cache directory,
// from a YAML list of advisories, with trivy-db's and trivy-java-db's own packages: the buckets,
// keys and JSON values are the ones those packages define, so the real trivy reads the result as it
// reads the published DB. Used by the tests (offline: the published DB cannot be downloaded there).
//
// Usage: trivy-test-db -advisories advisories.yaml -cache-dir DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"
)

// Advisory is one entry of the input list.
type Advisory struct {
	// Ecosystem is an OS bucket such as "alpine 3.20" or a language ecosystem such as "npm".
	Ecosystem string `yaml:"ecosystem"`
	Package   string `yaml:"package"`
	ID        string `yaml:"id"`
	Severity  string `yaml:"severity"`
	Title     string `yaml:"title"`
	// FixedVersion (OS packages): empty means not fixed yet.
	FixedVersion string `yaml:"fixedVersion"`
	// VulnerableVersions and PatchedVersions (language packages): version ranges such as "<4.17.21".
	VulnerableVersions []string `yaml:"vulnerableVersions"`
	PatchedVersions    []string `yaml:"patchedVersions"`
}

type input struct {
	Advisories []Advisory `yaml:"advisories"`
}

func main() {
	advisoriesFile := flag.String("advisories", "", "YAML file with an `advisories:` list")
	cacheDir := flag.String("cache-dir", "", "Trivy cache directory to write db/ and java-db/ into")
	flag.Parse()
	if *advisoriesFile == "" || *cacheDir == "" {
		fmt.Fprintln(os.Stderr, "usage: trivy-test-db -advisories FILE.yaml -cache-dir DIR")
		os.Exit(2)
	}
	if err := run(*advisoriesFile, *cacheDir); err != nil {
		fmt.Fprintf(os.Stderr, "trivy-test-db: %v\n", err)
		os.Exit(1)
	}
}

func run(advisoriesFile, cacheDir string) error {
	text, err := os.ReadFile(advisoriesFile)
	if err != nil {
		return err
	}
	var in input
	if err := yaml.Unmarshal(text, &in); err != nil {
		return fmt.Errorf("%s: %w", advisoriesFile, err)
	}
	if len(in.Advisories) == 0 {
		return fmt.Errorf("%s: no advisories", advisoriesFile)
	}
	for i, a := range in.Advisories {
		if a.Ecosystem == "" || a.Package == "" || a.ID == "" || a.Severity == "" {
			return fmt.Errorf("%s: advisory %d needs ecosystem, package, id and severity", advisoriesFile, i+1)
		}
	}
	// Fixed times: the same input gives the same metadata; NextUpdate far ahead so trivy never
	// considers the DB stale.
	updatedAt := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nextUpdate := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := writeVulnerabilityDB(filepath.Join(cacheDir, "db"), in.Advisories, updatedAt, nextUpdate); err != nil {
		return fmt.Errorf("vulnerability DB: %w", err)
	}
	if err := writeJavaDB(filepath.Join(cacheDir, "java-db"), updatedAt, nextUpdate); err != nil {
		return fmt.Errorf("Java DB: %w", err)
	}
	return nil
}
