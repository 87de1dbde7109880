package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
)

const mockExample = `  llmchaos mock llm --listen 127.0.0.1:8080 --name primary
  curl -s 127.0.0.1:8080/v1/chat/completions -d '{"model":"m","messages":[{"role":"user","content":"hi"}]}'
  curl -s -XPOST 127.0.0.1:8080/_llmchaos/faults -d '{"type":"rate-limit","retry_after":"2s"}'
  curl -s 127.0.0.1:8080/_llmchaos/journal`

func cmdMock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mock", "llm|telemetry|store [flags]", mockExample, stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve on (loopback unless --allow-remote)")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback --listen address (the admin API has no authentication)")
	name := fs.String("name", "", "upstream name the mock answers as (default: primary, collector or store)")
	seed := fs.Int64("seed", llm.DefaultSeed, "llm: seed of the deterministic answers")
	words := fs.Int("words", llm.DefaultAnswerWords, "llm: words in each answer")
	ttft := fs.Duration("ttft", 0, "llm: delay before the first token")
	tokenDelay := fs.Duration("token-delay", 0, "llm: delay between tokens")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) == 0 {
			fs.Usage()
			return exitBadInput
		}
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK
	}
	kind := args[0]
	if code := parseFlags(fs, args[1:], stdout); code >= 0 {
		return code
	}
	if err := checkLoopback(*listen, *allowRemote); err != nil {
		fmt.Fprintln(stderr, "llmchaos mock:", err)
		return exitBadInput
	}
	h, closer, err := buildMock(mockConfig{kind: kind, name: *name, seed: *seed, words: *words, ttft: *ttft, tokenDelay: *tokenDelay})
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos mock:", err)
		return exitBadInput
	}
	defer closer()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "llmchaos mock: listen on %s: %v\n", *listen, err)
		return exitCannotRun
	}
	fmt.Fprintf(stdout, "llmchaos mock %s serving on http://%s (admin API under %s; Ctrl-C stops)\n", kind, ln.Addr(), control.AdminPrefix)
	if err := control.Serve(ctx, ln, h); err != nil {
		fmt.Fprintln(stderr, "llmchaos mock:", err)
		return exitCannotRun
	}
	return exitOK
}

// mockConfig is what the mock command's flags set.
type mockConfig struct {
	kind, name       string
	seed             int64
	words            int
	ttft, tokenDelay time.Duration
}

func buildMock(c mockConfig) (http.Handler, func(), error) {
	switch c.kind {
	case "llm":
		opts := []llm.Option{llm.WithSeed(c.seed), llm.WithAnswerWords(c.words), llm.WithTTFT(c.ttft), llm.WithTokenDelay(c.tokenDelay)}
		if c.name != "" {
			opts = append(opts, llm.WithName(c.name))
		}
		s, err := llm.New(opts...)
		if err != nil {
			return nil, nil, err
		}
		return control.WithAdmin(s), func() {}, nil
	case "telemetry":
		var opts []telemetry.Option
		if c.name != "" {
			opts = append(opts, telemetry.WithName(c.name))
		}
		col, err := telemetry.New(opts...)
		if err != nil {
			return nil, nil, err
		}
		return col.Handler(), func() { _ = col.Close() }, nil
	case "store":
		var opts []store.Option
		if c.name != "" {
			opts = append(opts, store.WithName(c.name))
		}
		st, err := store.New(opts...)
		if err != nil {
			return nil, nil, err
		}
		return st.Handler(), func() { _ = st.Close() }, nil
	default:
		return nil, nil, fmt.Errorf("unknown mock %q: llm, telemetry or store", c.kind)
	}
}

// checkLoopback refuses a non-loopback listen address unless allowed.
func checkLoopback(addr string, allow bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w (want host:port, e.g. 127.0.0.1:8080)", addr, err)
	}
	if allow {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--listen %q is not a loopback address; the admin API has no authentication (add --allow-remote if you mean it)", addr)
}
