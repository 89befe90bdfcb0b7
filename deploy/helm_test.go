package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

const chart = "helm/jkn-exporter"

// rendered holds the objects of one `helm template`, each read strictly into its Go type.
type rendered struct {
	deployment      *appsv1.Deployment
	service         *corev1.Service
	configMaps      map[string]*corev1.ConfigMap
	secrets         map[string]*corev1.Secret
	claims          map[string]*corev1.PersistentVolumeClaim
	ingress         *networkingv1.Ingress
	serviceMonitor  *monitoringv1.ServiceMonitor
	prometheusRule  *monitoringv1.PrometheusRule
	kinds           []string
	dashboardConfig []*corev1.ConfigMap
}

// strict reads one rendered object into its type: an unknown or misspelt field is an
// error (sigs.k8s.io/yaml: YAML to JSON, then JSON with unknown fields disallowed), and so
// is one the type reads but writes back differently (a wrong type, a dropped value).
func strict(t *testing.T, doc []byte, into any) {
	t.Helper()
	if err := sigsyaml.UnmarshalStrict(doc, into); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	back, err := json.Marshal(into)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := sigsyaml.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(back, &got); err != nil {
		t.Fatal(err)
	}
	dropEmpty(got)
	dropEmpty(want)
	// The types add what Kubernetes sets itself (creationTimestamp: null, status: {}).
	if m, ok := got.(map[string]any); ok {
		delete(m, "status")
		if meta, ok := m["metadata"].(map[string]any); ok {
			delete(meta, "creationTimestamp")
		}
		spec, _ := m["spec"].(map[string]any)
		if tmpl, ok := spec["template"].(map[string]any); ok {
			if meta, ok := tmpl["metadata"].(map[string]any); ok {
				delete(meta, "creationTimestamp")
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("%T does not hold the rendered object as written:\n%s\nrendered:\n%s", into, g, w)
	}
}

// dropEmpty removes empty maps, lists and nulls, which the types write back or leave out.
func dropEmpty(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			dropEmpty(x)
			switch x := x.(type) {
			case nil:
				delete(v, k)
			case map[string]any:
				if len(x) == 0 {
					delete(v, k)
				}
			case []any:
				if len(x) == 0 {
					delete(v, k)
				}
			}
		}
	case []any:
		for _, x := range v {
			dropEmpty(x)
		}
	}
}

// helmTemplate renders the chart with a values file (none: the defaults) and reads every
// object it renders.
func helmTemplate(t *testing.T, helm, values string) rendered {
	t.Helper()
	args := []string{"template", "jkn", chart, "--namespace", "monitoring"}
	if values != "" {
		args = append(args, "-f", values)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(helm, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	r := rendered{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{},
		claims: map[string]*corev1.PersistentVolumeClaim{}}
	for _, doc := range bytes.Split(stdout.Bytes(), []byte("\n---\n")) {
		// The separator takes the line break that ends the document before it.
		doc = append(doc, '\n')
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := sigsyaml.Unmarshal(doc, &head); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		if head.Kind == "" {
			if len(bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(doc), []byte("---")))) > 0 && !onlyComments(doc) {
				t.Errorf("an object without a kind:\n%s", doc)
			}
			continue
		}
		r.kinds = append(r.kinds, head.APIVersion+" "+head.Kind)
		switch head.APIVersion + " " + head.Kind {
		case "apps/v1 Deployment":
			if r.deployment != nil {
				t.Error("two Deployments")
			}
			r.deployment = &appsv1.Deployment{}
			strict(t, doc, r.deployment)
		case "v1 Service":
			r.service = &corev1.Service{}
			strict(t, doc, r.service)
		case "v1 ConfigMap":
			cm := &corev1.ConfigMap{}
			strict(t, doc, cm)
			r.configMaps[cm.Name] = cm
		case "v1 Secret":
			s := &corev1.Secret{}
			strict(t, doc, s)
			r.secrets[s.Name] = s
		case "v1 PersistentVolumeClaim":
			c := &corev1.PersistentVolumeClaim{}
			strict(t, doc, c)
			r.claims[c.Name] = c
		case "networking.k8s.io/v1 Ingress":
			r.ingress = &networkingv1.Ingress{}
			strict(t, doc, r.ingress)
		case "monitoring.coreos.com/v1 ServiceMonitor":
			r.serviceMonitor = &monitoringv1.ServiceMonitor{}
			strict(t, doc, r.serviceMonitor)
		case "monitoring.coreos.com/v1 PrometheusRule":
			r.prometheusRule = &monitoringv1.PrometheusRule{}
			strict(t, doc, r.prometheusRule)
		default:
			t.Errorf("the chart renders a %s %s, which this test does not read", head.APIVersion, head.Kind)
		}
	}
	for _, cm := range r.configMaps {
		if _, ok := cm.Labels["grafana_dashboard"]; ok {
			r.dashboardConfig = append(r.dashboardConfig, cm)
		}
	}
	slices.Sort(r.kinds)
	return r
}

func onlyComments(doc []byte) bool {
	for _, l := range strings.Split(string(doc), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") && l != "---" {
			return false
		}
	}
	return true
}

// TestHelmChart lints the chart with Helm and renders it for several value sets: the
// defaults (the demo), kube-prometheus-stack with everything on, and objects the operators
// made; every object is read strictly into the Kubernetes and Prometheus Operator types and
// checked against the values and the committed rules and dashboards.
func TestHelmChart(t *testing.T) {
	helm := testtool.GoTool(t, "helm.sh/helm/v3/cmd/helm@"+testtool.Helm)
	promtool := testtool.Need(t, "promtool")

	// The chart reads the committed files through links, not copies.
	for link, target := range map[string]string{"files/rules": "../../../../grafana/rules", "files/dashboards": "../../../../grafana/dashboards", "files/en": "../../../../grafana/en"} {
		if got, err := os.Readlink(filepath.Join(chart, link)); err != nil || got != target {
			t.Errorf("%s/%s -> %q (%v), want a link to %s", chart, link, got, err, target)
		}
	}

	valueSets := []string{""}
	files, _ := filepath.Glob(filepath.Join(chart, "ci", "*-values.yaml"))
	valueSets = append(valueSets, files...)
	if len(valueSets) < 3 {
		t.Fatalf("value sets %v: want the defaults and ci/*-values.yaml", valueSets)
	}
	for _, values := range valueSets {
		name := "defaults"
		if values != "" {
			name = strings.TrimSuffix(filepath.Base(values), "-values.yaml")
		}
		t.Run(name, func(t *testing.T) {
			args := []string{"lint", "--strict", chart, "--namespace", "monitoring"}
			if values != "" {
				args = append(args, "-f", values)
			}
			if out, err := exec.Command(helm, args...).CombinedOutput(); err != nil {
				t.Errorf("helm lint: %v\n%s", err, out)
			}
			v := chartValues(t, values)
			r := helmTemplate(t, helm, values)
			checkWorkload(t, r, v)
			checkMonitoring(t, r, v, promtool)
		})
	}
}

// values is what the tests read of a value set (the chart's defaults under it).
type values struct {
	Language       string            `yaml:"language"`
	Config         map[string]any    `yaml:"config"`
	SecretFiles    map[string]string `yaml:"secretFiles"`
	ExistingSecret string            `yaml:"existingSecret"`
	Persistence    struct {
		Enabled       bool   `yaml:"enabled"`
		ExistingClaim string `yaml:"existingClaim"`
	} `yaml:"persistence"`
	Inbox struct {
		ExistingClaim string `yaml:"existingClaim"`
	} `yaml:"inbox"`
	Ingress struct {
		Enabled bool `yaml:"enabled"`
	} `yaml:"ingress"`
	ServiceMonitor struct {
		Enabled          bool              `yaml:"enabled"`
		AdditionalLabels map[string]string `yaml:"additionalLabels"`
	} `yaml:"serviceMonitor"`
	PrometheusRule struct {
		Enabled          bool              `yaml:"enabled"`
		AdditionalLabels map[string]string `yaml:"additionalLabels"`
		ExporterURL      string            `yaml:"exporterURL"`
	} `yaml:"prometheusRule"`
	Dashboards struct {
		Namespace string `yaml:"namespace"`
		Folder    string `yaml:"folder"`
	} `yaml:"dashboards"`
	ExtraArgs []string `yaml:"extraArgs"`
}

func chartValues(t *testing.T, file string) values {
	t.Helper()
	var v values
	for _, f := range []string{filepath.Join(chart, "values.yaml"), file} {
		if f == "" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return v
}

// checkWorkload: the Deployment as the issue has it (the nonroot image, read-only root, the
// state on a claim or an emptyDir, the configuration from its ConfigMap, the secret files
// from a Secret), the Service and the Ingress reaching it.
func checkWorkload(t *testing.T, r rendered, v values) {
	t.Helper()
	d := r.deployment
	if d == nil || r.service == nil {
		t.Fatalf("no Deployment or Service: %v", r.kinds)
	}
	pod := d.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser != 65532 ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod security context %+v: want runAsNonRoot as 65532 (the image's nonroot user), RuntimeDefault seccomp", psc)
	}
	for _, ctr := range append(slices.Clone(pod.InitContainers), c) {
		sc := ctr.SecurityContext
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil ||
			*sc.AllowPrivilegeEscalation || sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
			t.Errorf("container %s: security context %+v, want a read-only root, no privilege escalation, no capabilities", ctr.Name, sc)
		}
	}
	volumes := map[string]corev1.Volume{}
	for _, vol := range pod.Volumes {
		volumes[vol.Name] = vol
	}
	mounts := map[string]corev1.VolumeMount{}
	for _, ctr := range append(slices.Clone(pod.InitContainers), c) {
		for _, m := range ctr.VolumeMounts {
			if _, ok := volumes[m.Name]; !ok {
				t.Errorf("container %s mounts %s, which is no volume", ctr.Name, m.Name)
			}
			if ctr.Name == c.Name {
				mounts[m.MountPath] = m
			}
		}
	}
	if mounts["/tmp"].Name == "" || volumes[mounts["/tmp"].Name].EmptyDir == nil {
		t.Error("no writable /tmp (an emptyDir) for the large sheets' temporary files")
	}

	// The state.
	state := volumes[mounts["/var/lib/jkn_exporter"].Name]
	if !slices.Contains(c.Args, "--storage.path=/var/lib/jkn_exporter") {
		t.Errorf("args %q: no --storage.path on the state volume", c.Args)
	}
	switch {
	case !v.Persistence.Enabled:
		if state.EmptyDir == nil {
			t.Errorf("state volume %+v, want an emptyDir without persistence", state)
		}
	case v.Persistence.ExistingClaim != "":
		if state.PersistentVolumeClaim == nil || state.PersistentVolumeClaim.ClaimName != v.Persistence.ExistingClaim || len(r.claims) != 0 {
			t.Errorf("state volume %+v (claims %v), want the existing claim %s", state, r.claims, v.Persistence.ExistingClaim)
		}
	default:
		if state.PersistentVolumeClaim == nil || r.claims[state.PersistentVolumeClaim.ClaimName] == nil {
			t.Errorf("state volume %+v, want the chart's claim (rendered: %v)", state, r.claims)
		}
	}

	// The configuration: none, the demo; else a ConfigMap holding exactly the values.
	configMount, hasConfig := mounts["/etc/jkn_exporter/config.yml"]
	if len(v.Config) == 0 {
		if hasConfig || slices.ContainsFunc(c.Args, func(a string) bool { return strings.HasPrefix(a, "--config.file") }) {
			t.Error("a configuration without config values: the defaults serve the demo")
		}
	} else {
		cmName := volumes[configMount.Name].ConfigMap
		if !slices.Contains(c.Args, "--config.file=/etc/jkn_exporter/config.yml") || cmName == nil || r.configMaps[cmName.Name] == nil {
			t.Fatalf("args %q, config mount %+v: want --config.file from the chart's ConfigMap", c.Args, configMount)
		}
		var got map[string]any
		if err := sigsyaml.Unmarshal([]byte(r.configMaps[cmName.Name].Data["config.yml"]), &got); err != nil {
			t.Fatal(err)
		}
		// As JSON values (numbers float64): Helm writes 1.0 as 1.
		data, _ := json.Marshal(v.Config)
		var want map[string]any
		_ = json.Unmarshal(data, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("config.yml %v, want the values' config %v", got, v.Config)
		}
		// Every directory source's inbox is made by the init container, on the inbox volume.
		var dirs []string
		for _, s := range v.Config["sources"].([]any) {
			if p, ok := s.(map[string]any)["path"].(string); ok {
				dirs = append(dirs, p)
			}
		}
		if len(pod.InitContainers) != 1 || !slices.Equal(pod.InitContainers[0].Command, append([]string{"mkdir", "-p"}, dirs...)) {
			t.Errorf("init containers %+v, want one making %v", pod.InitContainers, dirs)
		}
		inbox := volumes[mounts["/srv/jkn/inbox"].Name]
		if v.Inbox.ExistingClaim != "" && (inbox.PersistentVolumeClaim == nil || inbox.PersistentVolumeClaim.ClaimName != v.Inbox.ExistingClaim) {
			t.Errorf("inbox volume %+v, want the claim %s", inbox, v.Inbox.ExistingClaim)
		}
	}
	for _, a := range v.ExtraArgs {
		if !slices.Contains(c.Args, a) {
			t.Errorf("args %q lack the extra %s", c.Args, a)
		}
	}

	// The secret files (upload tokens and the like), from the chart's Secret or an existing one.
	secretVol := volumes[mounts["/etc/jkn_exporter/secrets"].Name].Secret
	switch {
	case v.ExistingSecret != "":
		if secretVol == nil || secretVol.SecretName != v.ExistingSecret || len(r.secrets) != 0 {
			t.Errorf("secret volume %+v, want the existing %s and no Secret of the chart's", secretVol, v.ExistingSecret)
		}
	case len(v.SecretFiles) > 0:
		s := r.secrets[secretVol.SecretName]
		if secretVol == nil || s == nil {
			t.Fatalf("secret volume %+v: no Secret of the chart's", secretVol)
		}
		for name, content := range v.SecretFiles {
			if string(s.Data[name]) != content {
				t.Errorf("Secret %s[%s] = %q, want %q", s.Name, name, s.Data[name], content)
			}
		}
	default:
		if secretVol != nil || len(r.secrets) != 0 {
			t.Error("a secret volume without secret files")
		}
	}

	// The Service reaches the pod's http port; the Ingress reaches the Service.
	podLabels := d.Spec.Template.Labels
	for k, val := range r.service.Spec.Selector {
		if podLabels[k] != val {
			t.Errorf("the Service selects %s=%s, which the pod lacks (%v)", k, val, podLabels)
		}
	}
	for k, val := range d.Spec.Selector.MatchLabels {
		if podLabels[k] != val {
			t.Errorf("the Deployment selects %s=%s, which its pod lacks", k, val)
		}
	}
	if len(r.service.Spec.Ports) != 1 || r.service.Spec.Ports[0].TargetPort.StrVal != "http" ||
		len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 10947 ||
		!slices.Contains(c.Args, "--web.listen-address=:10947") {
		t.Errorf("Service ports %+v, container ports %+v, args %q: want http on 10947", r.service.Spec.Ports, c.Ports, c.Args)
	}
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/-/ready" || c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/-/healthy" {
		t.Error("want the readiness probe on /-/ready and the liveness probe on /-/healthy")
	}
	if v.Ingress.Enabled != (r.ingress != nil) {
		t.Errorf("ingress.enabled %v, Ingress rendered: %v", v.Ingress.Enabled, r.ingress != nil)
	}
	if r.ingress != nil {
		for _, rule := range r.ingress.Spec.Rules {
			for _, p := range rule.HTTP.Paths {
				if p.Backend.Service == nil || p.Backend.Service.Name != r.service.Name || p.Backend.Service.Port.Name != "http" {
					t.Errorf("Ingress path %s goes to %+v, not the Service's http port", p.Path, p.Backend)
				}
			}
		}
	}
}

// checkMonitoring: the ServiceMonitor scrapes the Service as job "jkn"; the PrometheusRule
// holds exactly the committed rule files and passes promtool; the dashboard ConfigMaps hold
// exactly the committed JSON; both carry the additional labels kube-prometheus-stack selects.
func checkMonitoring(t *testing.T, r rendered, v values, promtool string) {
	t.Helper()
	if v.ServiceMonitor.Enabled != (r.serviceMonitor != nil) || v.PrometheusRule.Enabled != (r.prometheusRule != nil) {
		t.Fatalf("serviceMonitor.enabled %v, prometheusRule.enabled %v; rendered %v", v.ServiceMonitor.Enabled, v.PrometheusRule.Enabled, r.kinds)
	}
	if sm := r.serviceMonitor; sm != nil {
		for k, val := range v.ServiceMonitor.AdditionalLabels {
			if sm.Labels[k] != val {
				t.Errorf("ServiceMonitor label %s=%q, want %q", k, sm.Labels[k], val)
			}
		}
		for k, val := range sm.Spec.Selector.MatchLabels {
			if r.service.Labels[k] != val {
				t.Errorf("the ServiceMonitor selects %s=%s, which the Service lacks", k, val)
			}
		}
		if len(sm.Spec.Endpoints) != 1 {
			t.Fatalf("endpoints %+v", sm.Spec.Endpoints)
		}
		ep := sm.Spec.Endpoints[0]
		if ep.Port != r.service.Spec.Ports[0].Name || ep.Path != "/metrics" {
			t.Errorf("endpoint %+v does not scrape the Service's port %s", ep, r.service.Spec.Ports[0].Name)
		}
		job := false
		for _, rc := range ep.RelabelConfigs {
			if rc.TargetLabel == "job" && rc.Replacement != nil && *rc.Replacement == "jkn" && (rc.Action == "" || rc.Action == "replace") {
				job = true
			}
		}
		if !job {
			t.Errorf("endpoint relabelings %+v do not name the job jkn, which the rules select", ep.RelabelConfigs)
		}
		if !slices.Equal(sm.Spec.NamespaceSelector.MatchNames, []string{"monitoring"}) {
			t.Errorf("namespaceSelector %+v, want the release's namespace", sm.Spec.NamespaceSelector)
		}
	}
	if pr := r.prometheusRule; pr != nil {
		for k, val := range v.PrometheusRule.AdditionalLabels {
			if pr.Labels[k] != val {
				t.Errorf("PrometheusRule label %s=%q, want %q", k, pr.Labels[k], val)
			}
		}
		// Exactly the groups of grafana/rules/*.yml, in order (the English alerts of
		// grafana/en/rules with language en), the region alerts with region_url when
		// exporterURL is set.
		var want []any
		files, _ := filepath.Glob("../grafana/rules/*.yml")
		for _, f := range files {
			if v.Language == "en" && filepath.Base(f) == "jkn_alerts.yml" {
				f = "../grafana/en/rules/jkn_alerts.yml"
			}
			var doc map[string]any
			data, _ := os.ReadFile(f)
			if err := sigsyaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			want = append(want, doc["groups"].([]any)...)
		}
		if url := strings.TrimSuffix(v.PrometheusRule.ExporterURL, "/"); url != "" {
			for _, g := range want {
				group := g.(map[string]any)
				if group["name"] != "jkn-regions" {
					continue
				}
				for _, r := range group["rules"].([]any) {
					r.(map[string]any)["annotations"].(map[string]any)["region_url"] = url + "/region/{{ $labels.region_code }}"
				}
			}
		}
		data, _ := json.Marshal(pr.Spec.Groups)
		var got []any
		_ = json.Unmarshal(data, &got)
		dropEmpty(got)
		dropEmpty(want)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			t.Errorf("the PrometheusRule's groups differ from grafana/rules/*.yml:\n%s", g)
		}
		// promtool on the rules as the operator hands them to Prometheus.
		rules := filepath.Join(t.TempDir(), "rules.yml")
		out, _ := sigsyaml.Marshal(map[string]any{"groups": pr.Spec.Groups})
		if err := os.WriteFile(rules, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(promtool, "check", "rules", rules).CombinedOutput(); err != nil {
			t.Errorf("promtool check rules on the PrometheusRule's rules: %v\n%s", err, out)
		} else if !bytes.Contains(out, []byte("SUCCESS")) {
			t.Errorf("promtool check rules: %s", out)
		}
	}

	// The dashboards of the language, byte for byte.
	dir := "../grafana/dashboards"
	if v.Language == "en" {
		dir = "../grafana/en/dashboards"
	}
	files, _ := filepath.Glob(dir + "/*.json")
	if len(r.dashboardConfig) != len(files) || len(files) == 0 {
		t.Fatalf("%d dashboard ConfigMaps, %d committed dashboards", len(r.dashboardConfig), len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		want, _ := os.ReadFile(f)
		var found *corev1.ConfigMap
		for _, cm := range r.dashboardConfig {
			if _, ok := cm.Data[name]; ok {
				found = cm
			}
		}
		if found == nil {
			t.Errorf("no ConfigMap holds %s", name)
			continue
		}
		if found.Data[name] != string(want) {
			t.Errorf("ConfigMap %s's %s differs from %s", found.Name, name, f)
		}
		folder := v.Dashboards.Folder
		if found.Labels["grafana_dashboard"] != "1" || found.Annotations["grafana_folder"] != folder || len(found.Data) != 1 {
			t.Errorf("ConfigMap %s: labels %v, annotations %v: want grafana_dashboard \"1\" and grafana_folder %q", found.Name, found.Labels, found.Annotations, folder)
		}
		if found.Namespace != v.Dashboards.Namespace {
			t.Errorf("ConfigMap %s in namespace %q, want %q", found.Name, found.Namespace, v.Dashboards.Namespace)
		}
	}
	t.Logf("rendered %d objects: %s", len(r.kinds), strings.Join(r.kinds, ", "))
}
