// Package deploy holds the Kubernetes manifests (a kustomize base) and this test, which
// builds them with kustomize's library and checks the result without a cluster: no Docker
// engine or cluster runs where the tests run.
package deploy

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/llmchaos/llmchaos/scenarios"
)

// object is the part of a manifest the checks read.
type object struct {
	Data       map[string]string `yaml:"data"`
	APIVersion string            `yaml:"apiVersion"`
	Kind       string            `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Selector yaml.Node `yaml:"selector"`
		Ports    []struct {
			Port       int `yaml:"port"`
			TargetPort int `yaml:"targetPort"`
		} `yaml:"ports"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type podSpec struct {
	Containers []struct {
		Image string   `yaml:"image"`
		Args  []string `yaml:"args"`
		Ports []struct {
			ContainerPort int `yaml:"containerPort"`
		} `yaml:"ports"`
	} `yaml:"containers"`
	Volumes []struct {
		ConfigMap struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
	} `yaml:"volumes"`
}

// build renders the kustomize base at dir as kubectl apply -k would (kustomize's own
// library: generators, name suffixes and the references to them, image overrides).
func build(t *testing.T, dir string) []object {
	t.Helper()
	rm, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	b, err := rm.AsYaml()
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var out []object
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("kustomize build %s: %v", dir, err)
		}
		if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
			t.Errorf("kustomize build %s: an object without apiVersion, kind or name: %+v", dir, o)
		}
		out = append(out, o)
	}
}

// selects reports whether a selector (a Service's map, a Deployment's matchLabels) is
// within labels.
func selects(sel yaml.Node, labels map[string]string) bool {
	var m map[string]any
	if sel.Decode(&m) != nil || len(m) == 0 {
		return false
	}
	if ml, ok := m["matchLabels"].(map[string]any); ok {
		m = ml
	}
	for k, v := range m {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// TestKustomizeBase builds the base with kustomize and checks what a cluster would get:
// each Deployment's selector matches its pods, each Service selects a Deployment's pods and
// targets ports its containers open; every container runs the image the kustomization
// names; the Job mounts the generated ConfigMap by its generated name and reaches
// Toxiproxy's API through its Service; the scenario in the ConfigMap is valid and names the
// mocks' and Toxiproxy's Service ports.
func TestKustomizeBase(t *testing.T) {
	objs := build(t, "base")
	deployments := map[string]object{}
	servicePorts := map[string][]int{}
	for _, o := range objs {
		if o.Kind == "Deployment" {
			deployments[o.Metadata.Name] = o
			if !selects(o.Spec.Selector, o.Spec.Template.Metadata.Labels) {
				t.Errorf("deployment %s: its selector does not match its pods' labels", o.Metadata.Name)
			}
		}
	}
	for _, o := range objs {
		if o.Kind != "Service" {
			continue
		}
		var target *object
		for _, d := range deployments {
			if selects(o.Spec.Selector, d.Spec.Template.Metadata.Labels) {
				target = &d
			}
		}
		if target == nil {
			t.Errorf("service %s selects no deployment's pods", o.Metadata.Name)
			continue
		}
		var open []int
		for _, c := range target.Spec.Template.Spec.Containers {
			for _, p := range c.Ports {
				open = append(open, p.ContainerPort)
			}
		}
		for _, p := range o.Spec.Ports {
			if !slices.Contains(open, p.TargetPort) {
				t.Errorf("service %s targets port %d, which no container of %s opens (%v)", o.Metadata.Name, p.TargetPort, target.Metadata.Name, open)
			}
			servicePorts[o.Metadata.Name] = append(servicePorts[o.Metadata.Name], p.Port)
		}
	}
	var cm *object
	for i := range objs {
		if objs[i].Kind == "ConfigMap" && strings.HasPrefix(objs[i].Metadata.Name, "llmchaos-scenarios-") {
			cm = &objs[i]
		}
	}
	if cm == nil || len(cm.Data) == 0 {
		t.Fatalf("kustomize generated no llmchaos-scenarios ConfigMap with files: %+v", cm)
	}
	for _, o := range objs {
		for _, c := range o.Spec.Template.Spec.Containers {
			if strings.HasPrefix(c.Image, "llmchaos") {
				t.Errorf("%s %s runs image %q: the kustomization's images override did not reach it", o.Kind, o.Metadata.Name, c.Image)
			}
		}
	}
	var job *object
	for i := range objs {
		if objs[i].Kind == "Job" {
			job = &objs[i]
		}
	}
	if job == nil {
		t.Fatal("no Job")
	}
	pod := job.Spec.Template.Spec
	if len(pod.Volumes) == 0 || !slices.ContainsFunc(pod.Volumes, func(v struct {
		ConfigMap struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
	}) bool {
		return v.ConfigMap.Name == cm.Metadata.Name
	}) {
		t.Errorf("the Job does not mount the generated ConfigMap %s: %+v", cm.Metadata.Name, pod.Volumes)
	}
	if img := pod.Containers[0].Image; img != "ghcr.io/llmchaos/llmchaos:latest" {
		t.Errorf("the Job runs image %q, want the kustomization's ghcr.io/llmchaos/llmchaos:latest", img)
	}
	args := strings.Join(pod.Containers[0].Args, " ")
	if !strings.Contains(args, "--toxiproxy http://toxiproxy:8474") || !slices.Contains(servicePorts["toxiproxy"], 8474) {
		t.Errorf("the Job's args %q do not reach Toxiproxy's API through its Service (ports %v)", args, servicePorts["toxiproxy"])
	}
	for name, data := range cm.Data {
		f, err := scenarios.Parse(name, []byte(data))
		if err != nil {
			t.Fatalf("the ConfigMap's %s: %v", name, err)
		}
		for _, u := range f.Scenario.Upstreams {
			ru, err := url.Parse(u.Remote)
			port, _ := strconv.Atoi(ru.Port())
			if err != nil || !slices.Contains(servicePorts[ru.Hostname()], port) {
				t.Errorf("%s: upstream %s's remote %q is not a port of a Service (%v)", name, u.Name, u.Remote, servicePorts)
			}
			_, lp, _ := net.SplitHostPort(u.Listen)
			if n, _ := strconv.Atoi(lp); !slices.Contains(servicePorts["toxiproxy"], n) {
				t.Errorf("%s: upstream %s listens on %q, not a port of the toxiproxy Service %v", name, u.Name, u.Listen, servicePorts["toxiproxy"])
			}
		}
	}
}

// TestDockerfile: multi-stage, a static binary, a non-root user.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"CGO_ENABLED=0", "AS build", "COPY --from=build", "ENTRYPOINT"} {
		if !strings.Contains(s, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	froms := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "FROM ") {
			froms++
		}
	}
	if froms < 2 {
		t.Errorf("Dockerfile has %d stages, want a build stage and a runtime stage", froms)
	}
	users := 0
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "USER" {
			users++
			if u := strings.Split(f[1], ":")[0]; u == "0" || u == "root" {
				t.Errorf("Dockerfile runs as %s", f[1])
			}
		}
	}
	if users == 0 {
		t.Error("Dockerfile sets no USER: it would run as root")
	}
}
