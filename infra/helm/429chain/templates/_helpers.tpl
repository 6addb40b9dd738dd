{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "429chain.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix: the release name, plus the chart name unless it already holds it. */}}
{{- define "429chain.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "429chain.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 }}
app.kubernetes.io/name: {{ include "429chain.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "gateway"). */}}
{{- define "429chain.selectorLabels" -}}
app.kubernetes.io/name: {{ include "429chain.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Image of one component; call with (dict "root" $ "component" "gateway"). */}}
{{- define "429chain.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.prefix .component (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end }}

{{- define "429chain.secretName" -}}
{{- default (printf "%s-secrets" (include "429chain.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{- define "429chain.configMapName" -}}
{{- printf "%s-config" (include "429chain.fullname" .) }}
{{- end }}

{{/* DATABASE_URL and REDIS_URL from the Secret, shared by every component. */}}
{{- define "429chain.connectionEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "429chain.secretName" . }}
      key: {{ .Values.secrets.keys.databaseUrl }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "429chain.secretName" . }}
      key: {{ .Values.secrets.keys.redisUrl }}
{{- end }}

{{- define "429chain.masterKeyEnv" -}}
- name: MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "429chain.secretName" . }}
      key: {{ .Values.secrets.keys.masterKey }}
{{- end }}

{{/* Writable scratch space for Node under a read-only root filesystem. */}}
{{- define "429chain.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{- define "429chain.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Fails the render with a clear message when the settings contradict each other. */}}
{{- define "429chain.validate" -}}
{{- if not .Values.secrets.existingSecret }}
{{- if not .Values.secrets.masterKey }}
{{- fail "secrets.masterKey is required (openssl rand -base64 32), or set secrets.existingSecret" }}
{{- end }}
{{- if not .Values.secrets.databaseUrl }}
{{- fail "secrets.databaseUrl is required (postgres://…), or set secrets.existingSecret" }}
{{- end }}
{{- if not .Values.secrets.redisUrl }}
{{- fail "secrets.redisUrl is required (redis://…), or set secrets.existingSecret" }}
{{- end }}
{{- end }}
{{- if eq (int .Values.gateway.metrics.port) (int .Values.gateway.port) }}
{{- fail "gateway.metrics.port must differ from gateway.port: the metrics listener is what keeps /metrics and /ready off the API port" }}
{{- end }}
{{- if and .Values.gateway.metrics.requireToken (not .Values.secrets.existingSecret) (lt (len .Values.secrets.metricsToken) 16) }}
{{- fail "gateway.metrics.requireToken needs secrets.metricsToken (at least 16 characters: openssl rand -hex 24), or secrets.existingSecret holding it" }}
{{- end }}
{{- if and .Values.gateway.metrics.serviceMonitor.enabled (not .Values.gateway.metrics.service.enabled) }}
{{- fail "gateway.metrics.serviceMonitor.enabled needs gateway.metrics.service.enabled: the ServiceMonitor selects that Service" }}
{{- end }}
{{- if and .Values.gateway.autoscaling.enabled (gt (int .Values.gateway.autoscaling.minReplicas) (int .Values.gateway.autoscaling.maxReplicas)) }}
{{- fail "gateway.autoscaling.minReplicas must not exceed maxReplicas" }}
{{- end }}
{{- end }}
