// jkn_exporter's monitoring mixin, for kube-prometheus, mixtool and other jsonnet setups:
// the committed rules (grafana/rules/*.yml) and dashboards (grafana/dashboards/*.json) as
// they are, read from those very files, so there is nothing to keep in step.
//
//   local jkn = (import 'github.com/jkn-exporter/jkn_exporter/grafana/mixin.libsonnet') + {
//     _config+:: { jknSelector: 'job="jkn-exporter", namespace="monitoring"' },
//   };
//   { 'jkn-rules.json': jkn.prometheusRules, 'jkn-alerts.json': jkn.prometheusAlerts }
//   + { [name]: jkn.grafanaDashboards[name] for name in std.objectFields(jkn.grafanaDashboards) }
//
// prometheusRules, prometheusAlerts and grafanaDashboards are the fields mixtool and
// kube-prometheus read. std.parseYaml needs go-jsonnet 0.18 or later (grafana/mixin_test.go
// evaluates this file with go-jsonnet).
{
  _config+:: {
    // The series of the exporter, as the rules and alerts select them. The committed files
    // say job="jkn" (the scrape job of deploy/prometheus.yml); every rule expression that
    // says so gets this selector instead. The dashboards pick the job with their $job
    // variable and need no change.
    jknSelector: 'job="jkn"',
  },

  local mixin = self,
  local withSelector(file) = {
    groups+: [
      group {
        rules: [
          rule { expr: std.strReplace(rule.expr, 'job="jkn"', mixin._config.jknSelector) }
          for rule in group.rules
        ],
      }
      for group in std.parseYaml(file).groups
    ],
  },

  prometheusRules+:: withSelector(importstr 'rules/jkn_rules.yml'),
  prometheusAlerts+:: withSelector(importstr 'rules/jkn_alerts.yml'),

  grafanaDashboards+:: {
    'jkn-uhc-overview.json': import 'dashboards/jkn-uhc-overview.json',
    'jkn-region-detail.json': import 'dashboards/jkn-region-detail.json',
    'jkn-exporter-health.json': import 'dashboards/jkn-exporter-health.json',
  },
}
