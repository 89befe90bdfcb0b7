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
// _config.language picks the language of the alerts' summary and description and of the
// dashboards: 'id' (Bahasa Indonesia, the default: rules/jkn_alerts.yml, dashboards/*.json)
// or 'en' (English: en/rules/jkn_alerts.yml, en/dashboards/*-en.json, UIDs with -en); the
// other language stays beside it in the alerts (summary_en or summary_id). With
// _config.jknExporterURL set (the exporter's external URL, https://jkn.example.go.id), every
// region alert gets a region_url annotation, a link to the region's page on the exporter.
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
    // 'id' or 'en'.
    language: 'id',
    // The exporter's external URL, for the region alerts' region_url; empty, none.
    jknExporterURL: '',
  },

  local mixin = self,
  local url = std.rstripChars(mixin._config.jknExporterURL, '/'),
  local withSelector(file) = {
    groups+: [
      group {
        rules: [
          rule { expr: std.strReplace(rule.expr, 'job="jkn"', mixin._config.jknSelector) }
          + (
            // The region alerts are the group jkn-regions's.
            if url != '' && group.name == 'jkn-regions' then
              { annotations+: { region_url: url + '/region/{{ $labels.region_code }}' } }
            else {}
          )
          for rule in group.rules
        ],
      }
      for group in std.parseYaml(file).groups
    ],
  },

  local alerts = {
    id: importstr 'rules/jkn_alerts.yml',
    en: importstr 'en/rules/jkn_alerts.yml',
  },
  local dashboards = {
    id: {
      'jkn-uhc-overview.json': import 'dashboards/jkn-uhc-overview.json',
      'jkn-region-detail.json': import 'dashboards/jkn-region-detail.json',
      'jkn-exporter-health.json': import 'dashboards/jkn-exporter-health.json',
    },
    en: {
      'jkn-uhc-overview-en.json': import 'en/dashboards/jkn-uhc-overview-en.json',
      'jkn-region-detail-en.json': import 'en/dashboards/jkn-region-detail-en.json',
      'jkn-exporter-health-en.json': import 'en/dashboards/jkn-exporter-health-en.json',
    },
  },
  assert std.objectHas(alerts, mixin._config.language) : "_config.language must be 'id' or 'en'",

  prometheusRules+:: withSelector(importstr 'rules/jkn_rules.yml'),
  prometheusAlerts+:: withSelector(alerts[mixin._config.language]),

  grafanaDashboards+:: dashboards[mixin._config.language],
}
