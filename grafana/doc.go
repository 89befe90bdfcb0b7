// Package grafana is jkn_exporter's monitoring bundle: the generated Grafana dashboards
// (grafana/dashboards), the Prometheus recording and alerting rules (grafana/rules) with
// their promtool tests (grafana/tests), the Alertmanager routing example
// (grafana/alertmanager) and Grafana's provisioning files. This package holds the tests
// that check them together: every query parses and names only metrics the exporter
// exposes or the rules record, and promtool and amtool accept the files.
package grafana
