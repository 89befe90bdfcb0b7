// Package deploy holds no code: its tests check the ways jkn_exporter is
// deployed that live in this folder, with the real tools. deb_test.go builds
// the Debian package (make package) and checks it with lintian,
// systemd-analyze, dpkg-deb, shellcheck and its own maintainer scripts;
// helm_test.go lints and renders the Helm chart (helm/jkn-exporter) and reads
// every object it renders into the Kubernetes and Prometheus Operator types.
package deploy
