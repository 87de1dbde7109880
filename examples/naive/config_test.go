package main

import "testing"

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{"PRIMARY_URL": "http://127.0.0.1:1/", "STORE_URL": "http://127.0.0.1:2"}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.PrimaryURL != "http://127.0.0.1:1" || c.StoreURL != "http://127.0.0.1:2" ||
		c.ListenAddr != DefaultListenAddr || c.OpenAIKey != DefaultAPIKey || c.OTLPEndpoint != "" {
		t.Fatalf("parsed %+v", c)
	}
	if _, err := ConfigFromEnv(func(string) string { return "" }); err == nil {
		t.Fatal("no error without PRIMARY_URL")
	}
}
