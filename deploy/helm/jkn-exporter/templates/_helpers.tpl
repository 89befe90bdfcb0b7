{{/* The release's name for its objects, at most 63 characters. */}}
{{- define "jkn-exporter.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "jkn-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "jkn-exporter.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "jkn-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The inbox directories: the path of every directory source of the configuration. */}}
{{- define "jkn-exporter.inboxes" -}}
{{- range (.Values.config.sources | default list) }}
{{- if .path }}
- {{ .path | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The state volume's claim. */}}
{{- define "jkn-exporter.claim" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-state" (include "jkn-exporter.fullname" .)) -}}
{{- end -}}

{{/* The secret files' Secret, when there is one. */}}
{{- define "jkn-exporter.secret" -}}
{{- if .Values.existingSecret -}}
{{- .Values.existingSecret -}}
{{- else if .Values.secretFiles -}}
{{- printf "%s-secrets" (include "jkn-exporter.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/*
The bundle's language (values language): id or en; anything else fails the render.
*/}}
{{- define "jkn-exporter.language" -}}
{{- $lang := .Values.language | default "id" -}}
{{- if not (has $lang (list "id" "en")) -}}
{{- fail (printf "language %q: want id (Bahasa Indonesia) or en (English)" $lang) -}}
{{- end -}}
{{- $lang -}}
{{- end }}
